#include "classify/phash.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "classify/working_copy.h"

namespace edgepix {

Result<uint64_t> perceptual_hash(const Image& luma) {
  constexpr int kSize = 32, kBlock = 8;
  Result<Image> small = box_shrink(luma, kSize, kSize);
  if (!small.ok()) return small.status();
  constexpr double kPi = 3.14159265358979323846;
  double basis[kBlock + 1][kSize];  // DCT-II: basis[u][x] = cos((2x + 1) u pi / 64)
  for (int u = 0; u <= kBlock; ++u)
    for (int x = 0; x < kSize; ++x) basis[u][x] = std::cos((2 * x + 1) * u * kPi / (2 * kSize));
  double columns[kBlock + 1][kSize] = {};  // the vertical transform of each column, frequencies 0..8
  for (int v = 1; v <= kBlock; ++v)
    for (int x = 0; x < kSize; ++x)
      for (int y = 0; y < kSize; ++y) columns[v][x] += basis[v][y] * small->row(uint32_t(y))[x];
  std::vector<double> block;
  for (int v = 1; v <= kBlock; ++v)
    for (int u = 1; u <= kBlock; ++u) {
      double sum = 0;
      for (int x = 0; x < kSize; ++x) sum += basis[u][x] * columns[v][x];
      block.push_back(sum);
    }
  std::vector<double> sorted = block;
  std::sort(sorted.begin(), sorted.end());
  const double median = (sorted[31] + sorted[32]) / 2;
  uint64_t hash = 0;
  for (size_t i = 0; i < block.size(); ++i)
    if (block[i] > median) hash |= uint64_t(1) << (63 - i);
  return hash;
}

}  // namespace edgepix
