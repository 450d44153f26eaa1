#include "ops/pad.h"

#include <cstring>

#include "ops/colour.h"

namespace edgepix {

Result<Image> pad(const Image& image, uint32_t canvas_width, uint32_t canvas_height, uint32_t x, uint32_t y,
                  Rgba background) {
  if (image.channels == 3 && background.a < 255) {
    Result<Image> with_alpha = add_alpha(image);
    if (!with_alpha.ok()) return with_alpha;
    return pad(with_alpha.value(), canvas_width, canvas_height, x, y, background);
  }
  Result<Image> canvas = Image::allocate_like(image, canvas_width, canvas_height);
  if (!canvas.ok()) return canvas;
  // The fill in the same form as the pixels: premultiplied when there is alpha.
  const unsigned a = background.a;
  const uint8_t fill[4] = {uint8_t((background.r * a + 127) / 255), uint8_t((background.g * a + 127) / 255),
                           uint8_t((background.b * a + 127) / 255), background.a};
  const uint8_t straight_fill[4] = {background.r, background.g, background.b, background.a};
  const uint8_t* pixel = image.channels == 4 && image.premultiplied ? fill : straight_fill;
  for (uint32_t row = 0; row < canvas_height; ++row) {
    uint8_t* dst = canvas->row(row);
    for (uint32_t col = 0; col < canvas_width; ++col) std::memcpy(dst + size_t(col) * image.channels, pixel, image.channels);
  }
  for (uint32_t row = 0; row < image.height; ++row)
    std::memcpy(canvas->row(y + row) + size_t(x) * image.channels, image.row(row), image.stride());
  return canvas;
}

}  // namespace edgepix
