#include "classify/luma.h"

namespace edgepix {

Result<Image> luma_over_white(const Image& image) {
  Result<Image> luma = Image::allocate(image.width, image.height, 1);
  if (!luma.ok()) return luma;
  const size_t pixels = size_t(image.width) * image.height;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    const uint32_t y = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;
    const uint32_t alpha = image.channels == 4 ? p[3] : 255;
    luma->pixels.data()[i] = uint8_t((y * alpha + 255 * (255 - alpha) + 127) / 255);
  }
  return luma;
}

// The 4-neighbour Laplacian over the interior; its variance is high where edges are crisp, low when blurred.
double laplacian_variance(const Image& luma) {
  if (luma.width < 3 || luma.height < 3) return 0;
  double sum = 0, sum_squares = 0;
  for (uint32_t y = 1; y + 1 < luma.height; ++y) {
    const uint8_t *above = luma.row(y - 1), *row = luma.row(y), *below = luma.row(y + 1);
    for (uint32_t x = 1; x + 1 < luma.width; ++x) {
      const double value = double(above[x]) + below[x] + row[x - 1] + row[x + 1] - 4.0 * row[x];
      sum += value;
      sum_squares += value * value;
    }
  }
  const double count = double(luma.width - 2) * (luma.height - 2);
  const double mean = sum / count;
  return sum_squares / count - mean * mean;
}

Exposure exposure(const Image& luma) {
  const size_t pixels = size_t(luma.width) * luma.height;
  double sum = 0;
  size_t shadows = 0, highlights = 0;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t y = luma.pixels.data()[i];
    sum += y;
    shadows += y <= 5;
    highlights += y >= 250;
  }
  return {sum / pixels / 255, double(shadows) / pixels, double(highlights) / pixels};
}

}  // namespace edgepix
