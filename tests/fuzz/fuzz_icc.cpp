// Embedded ICC profiles (src/codec/icc.cpp, lcms2 behind it): the header check, the sRGB converter built from the
// profile and run on small RGB and RGBA images, and the CMYK conversion, both ink polarities.
#include <string>

#include "codec/icc.h"
#include "target.h"

namespace {

void convert_gradient(edgepix::SrgbConverter& converter, uint32_t channels) {
  auto image = edgepix::Image::allocate(5, 3, channels);
  if (!image.ok()) return;
  for (size_t i = 0; i < image->pixels.size(); ++i) image->pixels.data()[i] = uint8_t(i * 37);
  (void)converter.convert(&*image);
}

}  // namespace

EDGEPIX_FUZZ_TARGET(icc) {
  using namespace edgepix;
  const std::string profile(reinterpret_cast<const char*>(data), size);
  (void)icc_describes_rgb(profile);
  SrgbConverter converter(profile);
  if (converter.converts()) {
    convert_gradient(converter, 3);
    convert_gradient(converter, 4);
  }
  for (bool inverted : {false, true}) {
    uint8_t cmyk[4 * 4 * 3];
    for (size_t i = 0; i < sizeof cmyk; ++i) cmyk[i] = uint8_t(i * 53);
    (void)cmyk_to_srgb(cmyk, 4, 3, inverted, profile);
  }
}
