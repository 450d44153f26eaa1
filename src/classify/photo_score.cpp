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
  // Exact colours counted in an open-addressing table (a sort of every pixel was most of classify's feature time),
  // key and count side by side (one cache line a probe), at most three quarters full: a 256 px copy's table is
  // 512 KB to clear, not the 1 MB a half-full pair of arrays took.
  size_t capacity = 1024;
  int capacity_bits = 10;
  while (capacity * 3 < pixels * 4) capacity *= 2, ++capacity_bits;
  struct Entry {
    uint32_t key, count;  // key: colour + 1 (0: empty)
  };
  std::vector<Entry> table(capacity, Entry{0, 0});
  std::vector<uint8_t> coarse(1 << 15), levels(256);  // bytes: cheaper to set than vector<bool>'s bits
  size_t counted = 0;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    if (image.channels == 4 && p[3] < 128) continue;  // what shows through is not the picture's
    const uint32_t key = (uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]) + 1;
    size_t slot = (key * 2654435761u) >> (32 - capacity_bits);  // Fibonacci hashing: the product's top bits
    while (table[slot].key && table[slot].key != key) slot = (slot + 1) & (capacity - 1);
    table[slot].key = key;
    ++table[slot].count;
    coarse[size_t(p[0] >> 3) << 10 | size_t(p[1] >> 3) << 5 | size_t(p[2] >> 3)] = 1;
    levels[(299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000] = 1;
    ++counted;
  }
  if (counted == 0) return 0;
  // The kCommonColours largest counts, kept in descending order (most entries fall below the smallest).
  uint32_t best[kCommonColours] = {};
  for (const Entry& e : table) {
    if (e.count <= best[kCommonColours - 1]) continue;
    size_t at = kCommonColours - 1;
    for (; at > 0 && best[at - 1] < e.count; --at) best[at] = best[at - 1];
    best[at] = e.count;
  }
  size_t common = 0;
  for (uint32_t c : best) common += c;
  const double distinct = double(std::count(coarse.begin(), coarse.end(), uint8_t(1)));
  const double level_count = double(std::count(levels.begin(), levels.end(), uint8_t(1)));
  const double concentration = double(common) / counted;
  const double variety = std::min(1.0, std::max(distinct / kManyColours, level_count / kManyLevels));
  return std::pow(1 - concentration, 2) * std::sqrt(variety);
}

}  // namespace edgepix
