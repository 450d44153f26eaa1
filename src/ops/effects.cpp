#include "ops/effects.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace edgepix {

namespace {

// One box pass of half-width `radius` along rows (step = channels) or columns (step = stride), with the
// edge pixel repeated beyond the border. A running sum makes it O(1) per pixel whatever the radius.
Status box_pass(uint8_t* data, size_t count, size_t lines, size_t step, size_t line_step, uint32_t channels,
                int radius, std::vector<uint8_t>* scratch, Budget* budget) {
  if (radius <= 0 || count == 0) return {};
  scratch->resize(count);
  const int window = 2 * radius + 1;
  for (size_t line = 0; line < lines; ++line) {
    EP_TRY(charge(budget, count));
    for (uint32_t c = 0; c < channels; ++c) {
      uint8_t* p = data + line * line_step + c;
      for (size_t i = 0; i < count; ++i) (*scratch)[i] = p[i * step];
      const auto at = [&](long i) { return (*scratch)[size_t(std::clamp<long>(i, 0, long(count) - 1))]; };
      int sum = 0;
      for (long i = -radius; i <= radius; ++i) sum += at(i);
      for (size_t i = 0; i < count; ++i) {
        p[i * step] = uint8_t((sum + window / 2) / window);
        sum += at(long(i) + radius + 1) - at(long(i) - radius);
      }
    }
  }
  return {};
}

// Box radii whose three passes approximate a Gaussian of the given sigma.
void gaussian_boxes(double sigma, int radii[3]) {
  const double ideal = std::sqrt(12 * sigma * sigma / 3 + 1);
  int lower = int(std::floor(ideal));
  if (lower % 2 == 0) --lower;
  const int upper = lower + 2;
  const double m = std::round((12 * sigma * sigma - 3.0 * lower * lower - 12.0 * lower - 9) / (-4.0 * lower - 4));
  for (int i = 0; i < 3; ++i) radii[i] = ((i < m ? lower : upper) - 1) / 2;
}

Status gaussian(Image* image, double sigma, Budget* budget) {
  int radii[3];
  gaussian_boxes(sigma, radii);
  std::vector<uint8_t> scratch;
  const uint32_t c = image->channels;
  for (const int r : radii) {
    EP_TRY(box_pass(image->pixels.data(), image->width, image->height, c, image->stride(), c, r, &scratch, budget));
    EP_TRY(box_pass(image->pixels.data(), image->height, image->width, image->stride(), c, c, r, &scratch, budget));
  }
  return {};
}

}  // namespace

Status blur(Image* image, double radius, Budget* budget) {
  if (radius <= 0) return {};
  return gaussian(image, std::max(0.5, radius / 2), budget);
}

Status sharpen(Image* image, double amount, Budget* budget) {
  if (amount <= 0) return {};
  Result<Image> blurred = Image::allocate(image->width, image->height, image->channels);
  if (!blurred.ok()) return blurred.status();
  std::memcpy(blurred->pixels.data(), image->pixels.data(), image->pixels.size());
  EP_TRY(gaussian(&blurred.value(), 1.0, budget));
  EP_TRY(charge(budget, uint64_t(image->width) * image->height));
  const double strength = amount / 2;  // 1 is a light touch after a downscale, 10 is harsh
  uint8_t* p = image->pixels.data();
  const uint8_t* b = blurred->pixels.data();
  const bool alpha = image->channels == 4;
  for (size_t i = 0, n = image->pixels.size(); i < n; ++i) {
    if (alpha && i % 4 == 3) continue;  // edges of colour, not of coverage
    const double v = p[i] + strength * (p[i] - b[i]);
    const int limit = alpha ? p[i - i % 4 + 3] : 255;  // premultiplied colour never exceeds alpha
    p[i] = uint8_t(std::clamp(int(std::lround(v)), 0, limit));
  }
  return {};
}

void adjust_colours(Image* image, const Effects& e) {
  uint8_t table[256];
  for (int v = 0; v < 256; ++v) {
    double x = v / 255.0 * e.brightness;
    x = (x - 0.5) * e.contrast + 0.5;
    x = std::pow(std::clamp(x, 0.0, 1.0), 1.0 / e.gamma);
    table[v] = uint8_t(std::lround(std::clamp(x, 0.0, 1.0) * 255));
  }
  const uint32_t c = image->channels;
  uint8_t* p = image->pixels.data();
  for (size_t i = 0, n = size_t(image->width) * image->height; i < n; ++i, p += c) {
    int r = table[p[0]], g = table[p[1]], b = table[p[2]];
    if (e.saturation != 1) {
      const double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;  // Rec. 709 weights, as CSS saturate() uses
      r = int(std::lround(std::clamp(luma + (r - luma) * e.saturation, 0.0, 255.0)));
      g = int(std::lround(std::clamp(luma + (g - luma) * e.saturation, 0.0, 255.0)));
      b = int(std::lround(std::clamp(luma + (b - luma) * e.saturation, 0.0, 255.0)));
    }
    p[0] = uint8_t(r);
    p[1] = uint8_t(g);
    p[2] = uint8_t(b);
  }
}

}  // namespace edgepix
