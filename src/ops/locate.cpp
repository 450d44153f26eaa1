#include "ops/locate.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace edgepix {

namespace {

// JPEG noise and antialiasing around a flat border stay below this (sum of RGB differences, or alpha).
constexpr int kBorderTolerance = 36;

bool differs(const uint8_t* pixel, const uint8_t* reference, uint32_t channels) {
  const int colour = std::abs(pixel[0] - reference[0]) + std::abs(pixel[1] - reference[1]) +
                     std::abs(pixel[2] - reference[2]);
  return colour > kBorderTolerance || (channels == 4 && std::abs(pixel[3] - reference[3]) > kBorderTolerance / 3);
}

}  // namespace

Rect content_box(const Image& image) {
  const uint8_t* reference = image.row(0);
  const uint32_t c = image.channels;
  uint32_t top = image.height, bottom = 0, left = image.width, right = 0;
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* row = image.row(y);
    for (uint32_t x = 0; x < image.width; ++x) {
      if (!differs(row + size_t(x) * c, reference, c)) continue;
      top = std::min(top, y);
      bottom = std::max(bottom, y);
      left = std::min(left, x);
      right = std::max(right, x);
    }
  }
  if (top > bottom) return {0, 0, image.width, image.height};
  return {left, top, right - left + 1, bottom - top + 1};
}

Rect salient_window(const Image& image, Rect within, uint32_t width, uint32_t height) {
  // Detail per cell of a coarse grid (at most 64 cells a side): cheap, and smooth enough to search.
  const uint32_t cell = std::max(1u, std::max(within.width, within.height) / 64);
  const uint32_t cols = (within.width + cell - 1) / cell, rows = (within.height + cell - 1) / cell;
  std::vector<double> sums(size_t(cols + 1) * (rows + 1), 0.0);  // summed-area table
  const uint32_t c = image.channels;
  const auto luma = [&](const uint8_t* p) { return (p[0] * 54 + p[1] * 183 + p[2] * 19) >> 8; };
  for (uint32_t y = 0; y < within.height; ++y) {
    const uint8_t* row = image.row(within.y + y) + size_t(within.x) * c;
    const uint8_t* below = image.row(std::min(within.y + y + 1, image.height - 1)) + size_t(within.x) * c;
    for (uint32_t x = 0; x < within.width; ++x) {
      const uint8_t* p = row + size_t(x) * c;
      const uint8_t* right = row + size_t(std::min(x + 1, within.width - 1)) * c;
      const int edges = std::abs(luma(p) - luma(right)) + std::abs(luma(p) - luma(below + size_t(x) * c));
      const int chroma = std::max({p[0], p[1], p[2]}) - std::min({p[0], p[1], p[2]});
      const double weight = c == 4 ? p[3] / 255.0 : 1.0;  // transparent pixels are not the subject
      sums[size_t(y / cell + 1) * (cols + 1) + x / cell + 1] += weight * (edges * 2 + chroma / 4);
    }
  }
  for (uint32_t y = 1; y <= rows; ++y)
    for (uint32_t x = 1; x <= cols; ++x)
      sums[y * (cols + 1) + x] += sums[(y - 1) * (cols + 1) + x] + sums[y * (cols + 1) + x - 1] -
                                  sums[(y - 1) * (cols + 1) + x - 1];
  const auto area = [&](uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1) {
    return sums[y1 * (cols + 1) + x1] - sums[y0 * (cols + 1) + x1] - sums[y1 * (cols + 1) + x0] +
           sums[y0 * (cols + 1) + x0];
  };
  const uint32_t window_cols = std::max(1u, std::min(cols, (width + cell / 2) / cell));
  const uint32_t window_rows = std::max(1u, std::min(rows, (height + cell / 2) / cell));
  uint32_t best_x = (cols - window_cols) / 2, best_y = (rows - window_rows) / 2;
  double best = -1;
  for (uint32_t y = 0; y + window_rows <= rows; ++y)
    for (uint32_t x = 0; x + window_cols <= cols; ++x) {
      // A slight pull to the centre breaks ties between equally busy windows the way a person would.
      const double off_centre = std::abs(double(x) - (cols - window_cols) / 2.0) + std::abs(double(y) - (rows - window_rows) / 2.0);
      const double score = area(x, y, x + window_cols, y + window_rows) * (1.0 - 0.002 * off_centre);
      if (score > best) best = score, best_x = x, best_y = y;
    }
  const uint32_t x = std::min(within.x + best_x * cell, within.x + within.width - width);
  const uint32_t y = std::min(within.y + best_y * cell, within.y + within.height - height);
  return {x, y, width, height};
}

}  // namespace edgepix
