// The dominant colours: pixels binned at 4 bits a channel, bins merged greedily into clusters (largest first) whose
// colours lie within kMergeDistance of each other, clusters reported by their share of the alpha-weighted pixels.
#pragma once
#include <vector>

#include "classify/features.h"
#include "core/image.h"

namespace edgepix {
constexpr size_t kDominantColours = 5;
std::vector<DominantColour> dominant_colours(const Image& image);  // straight alpha or RGB
}  // namespace edgepix
