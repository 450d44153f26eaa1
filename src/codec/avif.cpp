// AVIF: AV1 still images in a HEIF container. The container is heif.h's, the AV1 coding av1.h's, reading the still
// image heif_image.h's; this file joins them. Our own container rather than libheif: see README.md ("AVIF") for the
// size measurement that decided it.
//
// Written: one 8-bit 4:2:0 colour item (BT.601 full range, sRGB primaries and transfer, as JPEG), an alpha
// auxiliary item when the image has transparency, EXIF/XMP items and an ICC profile when the metadata policy
// keeps them. Read: av01 items and grids of them, 8/10/12-bit, 4:0:0/4:2:0/4:2:2/4:4:4, the common matrix
// coefficients and both ranges, alpha (straight or premultiplied), irot/imir as an EXIF orientation.
#include <string>
#include <vector>

#include "codec/av1.h"
#include "codec/codec.h"
#include "codec/heif.h"
#include "codec/heif_image.h"
#include "codec/yuv.h"

namespace edgepix {
namespace avif {
namespace {

using heif::Container;
using heif::Item;
using heif::Size;

// One av01 item decoded by dav1d into `image` at (x, y).
Status decode_item(const Container& c, const Item& item, Size size, bool alpha, Image* image, uint32_t x,
                   uint32_t y) {
  std::string storage;
  Result<ByteView> obus = heif::item_data(c, item, &storage);
  if (!obus.ok()) return obus.status();
  av1::Picture picture;
  EP_TRY(av1::decode(obus.value(), size.width, size.height, &picture));
  heif::place_picture(c, item, picture.planes(), picture.colour(), alpha, image, x, y);
  return {};
}

bool high_bitdepth(const Container& c, const Item& item) {
  const heif::Box* av1c = c.property(item, "av1C");
  return av1c && av1::record_is_high_bitdepth(av1c->payload);
}

constexpr heif::PictureCoding kAv1Coding = {Format::avif, "av01", decode_item, high_bitdepth};

bool any_transparent(const Image& image) {
  if (image.channels != 4) return false;
  const size_t count = size_t(image.width) * image.height;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < count; ++i)
    if (p[i * 4 + 3] != 255) return true;
  return false;
}

bool sniff(ByteView bytes) { return heif::lists_brand(bytes, heif::kAvifBrands); }
Result<ProbeInfo> probe(ByteView bytes) { return heif::probe_image(bytes, kAv1Coding); }
Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  return heif::decode_image(bytes, options, kAv1Coding);
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
    .sniff = avif::sniff, .probe = avif::probe, .decode = avif::decode, .read_metadata = heif::read_image_metadata,
    .encode = avif::encode, .encoder_bytes = avif::encoder_bytes, .holds_alpha = true, .lossy = true,
    .writes_metadata = {true, true, true},
    .auto_substitute = Format::webp,  // every client that reads AVIF reads WebP
    .family = {Format::avif, Format::avif}, .family_when_refused = {Format::jpeg, Format::png}};

}  // namespace edgepix
