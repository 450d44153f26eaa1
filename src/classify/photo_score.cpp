#include "classify/photo_score.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace edgepix {
namespace {
constexpr size_t kCommonColours = 16;   // a graphic's palette: its few most common exact colours
constexpr double kManyColours = 512;    // distinct colours (5 bits a channel) from which a copy looks photographic
constexpr double kManyLevels = 160;     // distinct luma levels that do the same for a grayscale photograph
}  // namespace

double photo_score(const Image& image) {
  const size_t pixels = size_t(image.width) * image.height;
  // Exact colours counted in an open-addressing table (a sort of every pixel was most of classify's feature time).
  size_t capacity = 1024;
  int capacity_bits = 10;
  while (capacity < pixels * 2) capacity *= 2, ++capacity_bits;
  std::vector<uint32_t> keys(capacity, 0), counts(capacity, 0);  // key: colour + 1 (0: empty)
  std::vector<uint8_t> coarse(1 << 15), levels(256);  // bytes: cheaper to set than vector<bool>'s bits
  size_t counted = 0;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    if (image.channels == 4 && p[3] < 128) continue;  // what shows through is not the picture's
    const uint32_t key = (uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]) + 1;
    size_t slot = (key * 2654435761u) >> (32 - capacity_bits);  // Fibonacci hashing: the product's top bits
    while (keys[slot] && keys[slot] != key) slot = (slot + 1) & (capacity - 1);
    keys[slot] = key;
    ++counts[slot];
    coarse[size_t(p[0] >> 3) << 10 | size_t(p[1] >> 3) << 5 | size_t(p[2] >> 3)] = 1;
    levels[(299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000] = 1;
    ++counted;
  }
  if (counted == 0) return 0;
  const size_t top = std::min(kCommonColours, counts.size());
  std::partial_sort(counts.begin(), counts.begin() + long(top), counts.end(), std::greater<uint32_t>());
  size_t common = 0;
  for (size_t i = 0; i < top; ++i) common += counts[i];
  const double distinct = double(std::count(coarse.begin(), coarse.end(), uint8_t(1)));
  const double level_count = double(std::count(levels.begin(), levels.end(), uint8_t(1)));
  const double concentration = double(common) / counted;
  const double variety = std::min(1.0, std::max(distinct / kManyColours, level_count / kManyLevels));
  return std::pow(1 - concentration, 2) * std::sqrt(variety);
}

}  // namespace edgepix
