// The work a plan will do, in budget units (core/budget.h: about one per pixel a step touches), and the budget a
// request gets from it.
//
// What each step charges, and where:
//   decode          the decoder, per source pixel per pass: libjpeg per iMCU row of each scan of a progressive
//                   file and per output row; libpng per row (per interlace pass); WebP, GIF, AV1 (no progress
//                   callback) the decoded pixels, up front
//   colour profile, orient, locate (each search), premultiply, colour curves, pad, border, alpha out
//                   the pipeline, one unit per pixel of the image the step reads, before it runs
//   resize          per output row of each pass: the row's pixels times the pass's taps
//   blur, sharpen   per line of each box pass: its pixels (six passes, sharpen one more)
//   draw            per overlay: the pixels of the base it covers
//   encode          libjpeg per row and per iMCU row of each later pass; libwebp its progress, in percent of the
//                   pixels; libpng per row; aom (no callback) pixels times a per-speed weight, up front
//   animations      per frame, the reader's canvas and the writer's frame (several candidate encodings)
#pragma once
#include <cstdint>

#include "core/limits.h"
#include "plan/plan.h"

namespace edgepix {

// An upper bound of what the steps above charge for this plan (every frame of an animation).
uint64_t estimate_work_units(const Plan& plan);
// The request's budget: limits.max_work_units when the host set one, else the default derived from the estimate.
uint64_t work_budget(const Plan& plan, const Limits& limits);

// Passes libwebp's animation encoder makes over each frame (key-frame and sub-frame candidates, each lossy and
// lossless when allowed): what the pipeline charges per frame written.
constexpr uint64_t kAnimationEncodePasses = 4;

}  // namespace edgepix
