// AVIF: AV1 still images in a HEIF container. The container is heif.h's, the AV1 coding av1.h's, the colour
// conversion yuv.h's; this file joins them. Our own container rather than libheif: see README.md ("AVIF") for the
// size measurement that decided it.
//
// Written: one 8-bit 4:2:0 colour item (BT.601 full range, sRGB primaries and transfer, as JPEG), an alpha
// auxiliary item when the image has transparency, EXIF/XMP items and an ICC profile when the metadata policy
// keeps them. Read: av01 items and grids of them, 8/10/12-bit, 4:0:0/4:2:0/4:2:2/4:4:4, the common matrix
// coefficients and both ranges, alpha (straight or premultiplied), irot/imir as an EXIF orientation.
#include <algorithm>
#include <string>
#include <vector>

#include "codec/av1.h"
#include "codec/codec.h"
#include "codec/heif.h"
#include "codec/yuv.h"
#include "core/budget.h"
#include "core/limits.h"

namespace edgepix {
namespace avif {
namespace {

using heif::Container;
using heif::corrupt;
using heif::Item;
using heif::Size;

// The primary item, when it is an AV1 image or a grid of them with a size.
Result<heif::PrimaryImage> open_primary(ByteView bytes) {
  Result<heif::PrimaryImage> primary = heif::open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const std::string_view type = primary->item->type;
  if (type == "hvc1")
    return Status::error(ErrorCode::unsupported_format, "HEIC (HEVC-coded HEIF) input is not supported: use AVIF");
  if (type != "av01" && type != "grid")
    return Status::error(ErrorCode::unsupported_format,
                         "the AVIF primary item is '" + std::string(type) + "', not an AV1 image");
  if (primary->size.width == 0 || primary->size.height == 0) return corrupt("the primary image has no size (ispe)");
  return primary;
}

// Decodes an av01 item, or each tile of a grid item, into `image` (colour, or alpha into channel 3).
Status decode_into(const Container& c, const Item& item, bool alpha, Image* image) {
  std::vector<heif::Tile> tiles;
  Size tile_size;
  EP_TRY(heif::image_tiles(c, item, {image->width, image->height}, "av01", &tiles, &tile_size));
  for (const heif::Tile& tile : tiles) {
    std::string storage;
    Result<ByteView> obus = heif::item_data(c, *tile.item, &storage);
    if (!obus.ok()) return obus.status();
    av1::Picture picture;
    EP_TRY(av1::decode(obus.value(), tile_size.width, tile_size.height, &picture));
    // The item's nclx, when present, overrides the bitstream's.
    ColourInfo info = picture.colour();
    if (heif::Nclx nclx; heif::item_nclx(c, *tile.item, &nclx)) info = {nclx.matrix, nclx.full_range};
    if (alpha) luma_to_alpha(picture.planes(), info.full_range, image, tile.x, tile.y);
    else yuv_to_rgb(picture.planes(), info, image, tile.x, tile.y);
  }
  return {};
}

bool any_transparent(const Image& image) {
  if (image.channels != 4) return false;
  const size_t count = size_t(image.width) * image.height;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < count; ++i)
    if (p[i * 4 + 3] != 255) return true;
  return false;
}

bool sniff(ByteView bytes) { return heif::lists_brand(bytes, heif::kAvifBrands); }

Result<ProbeInfo> probe(ByteView bytes) {
  Result<heif::PrimaryImage> primary = open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  ProbeInfo info;
  info.format = Format::avif;
  info.width = primary->size.width;
  info.height = primary->size.height;
  info.orientation = heif::item_orientation(c, item);
  info.has_alpha = heif::alpha_item(c, item) != nullptr;
  // dav1d holds the YUV planes (16-bit samples above 8 bits) and its own per-frame state while we convert.
  const Item* first = heif::first_tile(c, item);
  const heif::Box* av1c = first ? c.property(*first, "av1C") : nullptr;
  const bool wide = av1c && av1::record_is_high_bitdepth(av1c->payload);
  const Size tile = first ? heif::item_size(c, *first) : primary->size;
  info.decoder_overhead_bytes = uint64_t(tile.width) * tile.height * (wide ? 2 : 1) * 3 + (8u << 20);
  return info;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  Result<heif::PrimaryImage> primary = open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  const Size size = primary->size;
  const uint64_t max_pixels = options.limits ? options.limits->max_source_pixels : Limits().max_source_pixels;
  if (uint64_t(size.width) * size.height > max_pixels)
    return Status::error(ErrorCode::too_large, "the AVIF image is larger than the source pixel limit");
  const Item* alpha = heif::alpha_item(c, item);
  // dav1d reports no progress: each plane, bounded by the header, is charged before it is decoded.
  EP_TRY(charge(options.budget, uint64_t(size.width) * size.height * (alpha ? 2 : 1)));
  Result<Image> image = Image::allocate(size.width, size.height, alpha ? 4 : 3);
  if (!image.ok()) return image;
  EP_TRY(decode_into(c, item, false, &image.value()));
  if (alpha) {
    const Size alpha_size = heif::item_size(c, *alpha);
    if (alpha_size.width != size.width || alpha_size.height != size.height)
      return corrupt("the alpha plane's size differs from the image's");
    EP_TRY(decode_into(c, *alpha, true, &image.value()));
    // 'prem': the colour was stored multiplied by alpha.
    const std::vector<uint32_t>* prem = c.references_from(item.id, "prem");
    image->premultiplied = prem && std::find(prem->begin(), prem->end(), alpha->id) != prem->end();
  }
  return image;
}

Result<heif::CodedItem> encode_item(const Image& image, bool alpha, const EncodeSettings& settings) {
  Result<av1::Frame> frame = av1::encode(image, alpha, settings);
  if (!frame.ok()) return frame.status();
  return heif::CodedItem{"av01", "av1C", av1::configuration_record(frame.value(), alpha),
                         std::move(frame->obus)};
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  Result<heif::CodedItem> colour = encode_item(image, false, settings);
  if (!colour.ok()) return colour.status();
  const bool has_alpha = any_transparent(image);
  Result<heif::CodedItem> alpha = has_alpha ? encode_item(image, true, settings) : heif::CodedItem{};
  if (!alpha.ok()) return alpha.status();
  heif::StillImage still;
  still.major_brand = "avif";
  still.compatible_brands = {"avif", "mif1", "miaf"};
  still.width = image.width;
  still.height = image.height;
  still.colour = &colour.value();
  still.alpha = has_alpha ? &alpha.value() : nullptr;
  still.metadata = settings.metadata;  // nclx: the defaults, which is what av1::encode codes
  return heif::write_still(still);
}

Metadata read_metadata(ByteView bytes) {
  Result<Container> parsed = heif::parse_container(bytes);
  return parsed.ok() ? heif::read_metadata(parsed.value()) : Metadata();
}

// aom: its YUV copy, mode info per 4x4 block, the reconstruction and analysis buffers. Measured as the wasm
// heap's growth at speed 9: 14–16 bytes a pixel (1000x750 +14 MB, 2000x1500 +49 MB, 2500x1875 +82 MB), with
// the allocator's slack on top; none of aom's tool switches (TPL, superblock size, CDEF, restoration) changed
// it. Speed 6 took more below ~1.5 MP (+7.4 MB at 800x600, +13.3 MB at 1200x900; nothing more at 1500x1125 or
// 1900x1100: aom picks some tools by resolution), so it is counted at 30 bytes a pixel.
uint64_t encoder_bytes(const EncodeSettings& settings, uint64_t pixels) {
  return pixels * (av1::speed_for(settings, pixels) == av1::kFastSpeed ? 18 : 30) + (6u << 20);
}

}  // namespace
}  // namespace avif

// No scale-on-load (AV1 has no scaled decode) and no animation (image sequences are not read).
extern const Codec kAvifCodec = {
    .format = Format::avif, .name = "avif", .content_type = "image/avif",
    .sniff = avif::sniff, .probe = avif::probe, .decode = avif::decode, .read_metadata = avif::read_metadata,
    .encode = avif::encode, .encoder_bytes = avif::encoder_bytes, .holds_alpha = true, .lossy = true,
    .writes_metadata = {true, true, true},
    .auto_substitute = Format::webp,  // every client that reads AVIF reads WebP
    .family = {Format::avif, Format::avif}, .family_when_refused = {Format::jpeg, Format::png}};

}  // namespace edgepix
