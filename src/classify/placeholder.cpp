#include "classify/placeholder.h"

#include "classify/base64.h"
#include "classify/thumbhash.h"
#include "codec/codec.h"
#include "ops/colour.h"

namespace edgepix {

Result<Placeholder> placeholder_png(std::string_view thumbhash) {
  const std::optional<std::vector<uint8_t>> hash = base64_decode(thumbhash);
  if (!hash) return error(ErrorCode::bad_option, "the placeholder's ThumbHash is not base64");
  Result<Image> image = thumbhash_decode(*hash);
  if (!image.ok()) return image.status();
  // An opaque hash decodes to alpha 255 everywhere: RGB keeps the PNG smaller.
  if (is_opaque(image.value())) flatten(&image.value(), Rgba{});
  EncodeSettings settings;
  settings.format = Format::png;
  Result<Buffer> png = codec_for(Format::png)->encode(image.value(), settings);
  if (!png.ok()) return png.status();
  Placeholder placeholder;
  placeholder.png = std::move(png.value());
  placeholder.width = image->width;
  placeholder.height = image->height;
  return placeholder;
}

}  // namespace edgepix
