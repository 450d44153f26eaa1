#include "classify/colours.h"

#include <algorithm>
#include <cmath>

namespace edgepix {
namespace {

// RGB distance under which two bins count as one colour: about what separates "the same red, lit differently"
// from "another colour" on photos and graphics alike.
constexpr double kMergeDistance = 40;

struct Cluster {
  double weight = 0, r = 0, g = 0, b = 0;  // sums, weighted
  double mean(double sum) const { return sum / weight; }
  double distance_squared(const Cluster& other) const {
    const double dr = mean(r) - other.mean(other.r), dg = mean(g) - other.mean(other.g),
                 db = mean(b) - other.mean(other.b);
    return dr * dr + dg * dg + db * db;
  }
  void absorb(const Cluster& other) {
    weight += other.weight, r += other.r, g += other.g, b += other.b;
  }
};

uint8_t to_byte(double value) { return uint8_t(std::clamp(std::lround(value), 0l, 255l)); }

}  // namespace

std::vector<DominantColour> dominant_colours(const Image& image) {
  std::vector<Cluster> bins(4096);
  const size_t pixels = size_t(image.width) * image.height;
  double total = 0;
  for (size_t i = 0; i < pixels; ++i) {
    const uint8_t* p = image.pixels.data() + i * image.channels;
    const double weight = image.channels == 4 ? p[3] / 255.0 : 1.0;
    Cluster& bin = bins[size_t(p[0] >> 4) << 8 | size_t(p[1] >> 4) << 4 | size_t(p[2] >> 4)];
    bin.absorb({weight, weight * p[0], weight * p[1], weight * p[2]});
    total += weight;
  }
  bins.erase(std::remove_if(bins.begin(), bins.end(), [](const Cluster& bin) { return bin.weight <= 0; }), bins.end());
  std::stable_sort(bins.begin(), bins.end(), [](const Cluster& a, const Cluster& b) { return a.weight > b.weight; });
  std::vector<Cluster> clusters;
  for (const Cluster& bin : bins) {
    Cluster* nearest = nullptr;
    double best = kMergeDistance * kMergeDistance;
    for (Cluster& cluster : clusters) {
      const double d = cluster.distance_squared(bin);
      if (d < best) best = d, nearest = &cluster;
    }
    if (nearest)
      nearest->absorb(bin);
    else
      clusters.push_back(bin);
  }
  std::stable_sort(clusters.begin(), clusters.end(),
                   [](const Cluster& a, const Cluster& b) { return a.weight > b.weight; });
  std::vector<DominantColour> colours;
  for (size_t i = 0; i < clusters.size() && i < kDominantColours; ++i) {
    const Cluster& c = clusters[i];
    colours.push_back({to_byte(c.mean(c.r)), to_byte(c.mean(c.g)), to_byte(c.mean(c.b)), c.weight / total});
  }
  return colours;
}

}  // namespace edgepix
