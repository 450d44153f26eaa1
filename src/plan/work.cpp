#include "plan/work.h"

#include <algorithm>

#include "codec/av1.h"
#include "ops/effects.h"
#include "ops/orient.h"
#include "ops/resize.h"

namespace edgepix {

namespace {

// Passes counted for the decoder per source pixel, for every format: a progressive JPEG makes one per scan (libjpeg
// writes 10 by default, our encoder 6) and the output pass; interlaced PNG about two. A file that needs more (a
// JPEG of hundreds of tiny scans, the known way to make a small file cost minutes) runs out of the default.
constexpr uint64_t kDecodePasses = 16;
// Over the upright decoded image: colour profile, orient, content box, salient window, premultiply.
constexpr uint64_t kDecodedImagePasses = 5;
// Over the output: colour curves, pad, border, alpha out.
constexpr uint64_t kOutputPasses = 4;
// Every encoder is counted as the costliest, aom at speed 6 with an alpha plane, so the estimate needs no model of
// each format (libjpeg's progressive script with Huffman optimisation makes ~13 passes; libwebp and libpng 1).
constexpr uint64_t kEncodeUnitsPerPixel = 2 * av1::kSlowSpeedUnitsPerPixel;
// The default budget is this many times the estimate, and at least kMinimumBudget (≈ 30 ms of native work), so a
// request that does what its header promised never runs out: the estimate already counts every step at its most.
constexpr uint64_t kHeadroom = 2;
constexpr uint64_t kMinimumBudget = 16u << 20;

uint64_t pixels(uint32_t width, uint32_t height) { return uint64_t(width) * height; }

}  // namespace

uint64_t estimate_work_units(const Plan& plan) {
  const bool swap = orientation_swaps_axes(plan.orientation);
  const uint32_t upright_w = swap ? plan.decoded_height : plan.decoded_width;
  const uint32_t upright_h = swap ? plan.decoded_width : plan.decoded_height;
  // trim=border finds the region in the pixels: any part of the image may be resampled.
  const Window window = plan.find_content ? Window{0, 0, double(upright_w), double(upright_h)} : plan.window;
  const uint64_t resized = pixels(plan.resized_width, plan.resized_height);
  const uint64_t output = pixels(plan.output_width, plan.output_height);
  const uint64_t frame = pixels(plan.source.width, plan.source.height) * kDecodePasses +
                         pixels(upright_w, upright_h) * kDecodedImagePasses +
                         resize_work_units(upright_w, upright_h, window, plan.resized_width, plan.resized_height) +
                         resized * kBlurAndSharpenUnitsPerPixel + output * (kOutputPasses + kEncodeUnitsPerPixel);
  return frame * (plan.animated ? plan.source.frame_count : 1);
}

uint64_t work_budget(const Plan& plan, const Limits& limits) {
  const uint64_t derived = std::max(kMinimumBudget, kHeadroom * estimate_work_units(plan));
  // A host may lower the budget, never raise it: like every limit, the default is what fits an isolate.
  return limits.max_work_units ? std::min(limits.max_work_units, derived) : derived;
}

}  // namespace edgepix
