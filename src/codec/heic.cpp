// HEIC: HEVC-coded HEIF stills, as phones take them. Read only: the container is heif.h's, reading the still
// image (grids, alpha, irot/imir, nclx) heif_image.h's, HEVC decoding hevc.h's (libde265); this file joins them.
// Never an output: the row has no encoder, so no negotiation or format option can answer HEIC.
//
// Orientation comes from irot/imir: HEIF puts the display transform in the properties, and phones that write irot
// also leave the sensor's EXIF orientation, which must then be ignored or the photo turns twice. A file with
// neither irot nor imir but an EXIF orientation was written by an encoder that did not translate the tag (heif-enc
// up to libheif 1.15 keeps a JPEG's tag and stores the pixels as they were): the tag is then the only statement
// of how the photo stands, so it counts, as it would in the JPEG it came from and in heif-convert's JPEG output.
// AVIF keeps HEIF's rule strictly: browsers ignore an AVIF's EXIF orientation, and we answer as they show it.
#include <string>

#include "codec/codec.h"
#include "codec/heif.h"
#include "codec/heif_image.h"
#include "codec/hevc.h"

namespace edgepix {
namespace heic {
namespace {

using heif::Container;
using heif::Item;
using heif::Size;

// Brands a HEIC file lists (HEIF's image brands for HEVC; mif1 files are checked for an hvc1 primary item).
constexpr std::string_view kHeicBrands[] = {"heic", "heix", "heim", "heis"};
constexpr std::string_view kHeifBrands[] = {"mif1"};

// One hvc1 item decoded by libde265 into `image` at (x, y).
Status decode_item(const Container& c, const Item& item, Size size, bool alpha, Image* image, uint32_t x,
                   uint32_t y) {
  const heif::Box* hvcc = c.property(item, "hvcC");
  if (!hvcc) return heif::corrupt("an HEVC item has no configuration (hvcC)");
  std::string storage;
  Result<ByteView> data = heif::item_data(c, item, &storage);
  if (!data.ok()) return data.status();
  hevc::Picture picture;
  EP_TRY(hevc::decode(hvcc->payload, data.value(), size.width, size.height, &picture));
  heif::place_picture(c, item, picture.planes(), picture.colour(), alpha, image, x, y);
  return {};
}

bool high_bitdepth(const Container& c, const Item& item) {
  const heif::Box* hvcc = c.property(item, "hvcC");
  return hvcc && hevc::record_is_high_bitdepth(hvcc->payload);
}

constexpr heif::PictureCoding kHevcCoding = {Format::heic, "hvc1", decode_item, high_bitdepth,
                                             /*exif_orientation_without_transform=*/true};

// A HEIC brand, or a plain HEIF (mif1) file whose primary item is HEVC-coded (or a grid of HEVC tiles).
bool sniff(ByteView bytes) {
  if (heif::lists_brand(bytes, kHeicBrands)) return true;
  if (!heif::lists_brand(bytes, kHeifBrands) || heif::lists_brand(bytes, heif::kAvifBrands)) return false;
  Result<heif::PrimaryImage> primary = heif::open_primary(bytes);
  if (!primary.ok()) return false;
  const Item* first = heif::first_tile(primary->container, *primary->item);
  return first && first->type == "hvc1";
}

Result<ProbeInfo> probe(ByteView bytes) { return heif::probe_image(bytes, kHevcCoding); }
Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  return heif::decode_image(bytes, options, kHevcCoding);
}

}  // namespace
}  // namespace heic

// No scale-on-load (HEVC has no scaled decode), no animation (image sequences are not read), no encoder. Its
// family is what format=auto falls back to: the JPEG/PNG family, as for AVIF sources.
extern const Codec kHeicCodec = {
    .format = Format::heic, .name = "heic", .content_type = "image/heic",
    .sniff = heic::sniff, .probe = heic::probe, .decode = heic::decode, .read_metadata = heif::read_image_metadata,
    .family = {Format::jpeg, Format::png}, .family_when_refused = {Format::jpeg, Format::png}};

}  // namespace edgepix
