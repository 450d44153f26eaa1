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
  std::vector<uint32_t> colours;
  colours.reserve(pixels);
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    if (image.channels == 4 && p[3] < 128) continue;  // what shows through is not the picture's
    colours.push_back(uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]);
  }
  if (colours.empty()) return 0;
  std::sort(colours.begin(), colours.end());
  std::vector<size_t> runs;  // pixels of each exact colour
  std::vector<uint32_t> coarse;
  std::vector<bool> levels(256);
  for (size_t i = 0; i < colours.size();) {
    size_t j = i;
    while (j < colours.size() && colours[j] == colours[i]) ++j;
    runs.push_back(j - i);
    const uint32_t c = colours[i];
    coarse.push_back((c >> 19 & 31) << 10 | (c >> 11 & 31) << 5 | (c >> 3 & 31));
    levels[(299 * (c >> 16) + 587 * (c >> 8 & 255) + 114 * (c & 255) + 500) / 1000] = true;
    i = j;
  }
  std::sort(runs.begin(), runs.end(), std::greater<size_t>());
  size_t common = 0;
  for (size_t i = 0; i < runs.size() && i < kCommonColours; ++i) common += runs[i];
  std::sort(coarse.begin(), coarse.end());
  const size_t distinct = size_t(std::unique(coarse.begin(), coarse.end()) - coarse.begin());
  const double concentration = double(common) / colours.size();
  const double level_count = double(std::count(levels.begin(), levels.end(), true));
  const double variety = std::min(1.0, std::max(distinct / kManyColours, level_count / kManyLevels));
  return std::pow(1 - concentration, 2) * std::sqrt(variety);
}

}  // namespace edgepix
