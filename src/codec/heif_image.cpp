#include "codec/heif_image.h"

#include <algorithm>
#include <string>
#include <vector>

#include "codec/exif.h"
#include "core/budget.h"
#include "core/limits.h"

namespace edgepix::heif {
namespace {

// The primary item, when it is a picture of this coding or a grid of them, with a size.
Result<PrimaryImage> open_coded_primary(ByteView bytes, const PictureCoding& coding) {
  Result<PrimaryImage> primary = open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const std::string_view type = primary->item->type;
  if (type != coding.coded_type && type != "grid")
    return Status::error(ErrorCode::unsupported_format, "the HEIF primary item is '" + std::string(type) +
                                                            "', not a '" + std::string(coding.coded_type) + "' image");
  if (primary->size.width == 0 || primary->size.height == 0) return corrupt("the primary image has no size (ispe)");
  return primary;
}

uint64_t max_source_pixels(const DecodeOptions& options) {
  return options.limits ? options.limits->max_source_pixels : Limits().max_source_pixels;
}

// Decodes a coded item, or each tile of a grid item, into `image` (colour, or alpha into channel 3). Each tile is
// checked against the pixel limit and charged before it is decoded: the decoders report no progress.
Status decode_into(const Container& c, const Item& item, bool alpha, const DecodeOptions& options,
                   const PictureCoding& coding, Image* image) {
  std::vector<Tile> tiles;
  Size tile_size;
  EP_TRY(image_tiles(c, item, {image->width, image->height}, coding.coded_type, &tiles, &tile_size));
  const uint64_t tile_pixels = uint64_t(tile_size.width) * tile_size.height;
  if (tile_pixels > max_source_pixels(options))
    return Status::error(ErrorCode::too_large, "a HEIF tile is larger than the source pixel limit");
  for (const Tile& tile : tiles) {
    EP_TRY(charge(options.budget, tile_pixels));
    EP_TRY(coding.decode_item(c, *tile.item, tile_size, alpha, image, tile.x, tile.y));
  }
  return {};
}

}  // namespace

void place_picture(const Container& c, const Item& item, const YuvPlanes& planes, ColourInfo coded, bool alpha,
                   Image* image, uint32_t x, uint32_t y) {
  if (Nclx nclx; item_nclx(c, item, &nclx)) coded = {nclx.matrix, nclx.full_range};
  if (alpha) luma_to_alpha(planes, coded.full_range, image, x, y);
  else yuv_to_rgb(planes, coded, image, x, y);
}

Result<ProbeInfo> probe_image(ByteView bytes, const PictureCoding& coding) {
  Result<PrimaryImage> primary = open_coded_primary(bytes, coding);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  ProbeInfo info;
  info.format = coding.format;
  info.width = primary->size.width;
  info.height = primary->size.height;
  info.orientation = item_orientation(c, item);
  if (coding.exif_orientation_without_transform && !c.property(item, "irot") && !c.property(item, "imir")) {
    // exif_orientation answers 1 for no block, no tag or a value outside 1..8.
    const std::string exif = read_metadata(c).exif;
    info.orientation = exif_orientation({reinterpret_cast<const uint8_t*>(exif.data()), exif.size()});
  }
  info.has_alpha = alpha_item(c, item) != nullptr;
  // The decoder holds one tile's YUV planes (16-bit samples above 8 bits) and its own per-picture state while we
  // convert: a grid of huge tiles is refused here, before anything is decoded.
  const Item* first = first_tile(c, item);
  const bool wide = first && coding.high_bitdepth(c, *first);
  const Size tile = first ? item_size(c, *first) : primary->size;
  info.decoder_overhead_bytes = uint64_t(tile.width) * tile.height * (wide ? 2 : 1) * 3 + (8u << 20);
  return info;
}

Result<Image> decode_image(ByteView bytes, const DecodeOptions& options, const PictureCoding& coding) {
  Result<PrimaryImage> primary = open_coded_primary(bytes, coding);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  const Size size = primary->size;
  if (uint64_t(size.width) * size.height > max_source_pixels(options))
    return Status::error(ErrorCode::too_large, "the HEIF image is larger than the source pixel limit");
  const Item* alpha = alpha_item(c, item);
  Result<Image> image = Image::allocate(size.width, size.height, alpha ? 4 : 3);
  if (!image.ok()) return image;
  EP_TRY(decode_into(c, item, false, options, coding, &image.value()));
  if (alpha) {
    const Size alpha_size = item_size(c, *alpha);
    if (alpha_size.width != size.width || alpha_size.height != size.height)
      return corrupt("the alpha plane's size differs from the image's");
    EP_TRY(decode_into(c, *alpha, true, options, coding, &image.value()));
    // 'prem': the colour was stored multiplied by alpha.
    const std::vector<uint32_t>* prem = c.references_from(item.id, "prem");
    image->premultiplied = prem && std::find(prem->begin(), prem->end(), alpha->id) != prem->end();
  }
  return image;
}

Metadata read_image_metadata(ByteView bytes) {
  Result<Container> parsed = parse_container(bytes);
  return parsed.ok() ? read_metadata(parsed.value()) : Metadata();
}

}  // namespace edgepix::heif
