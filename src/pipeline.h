// Runs a plan's named steps, always in this order whatever the order of the options: decode (with scale-on-load) →
// embedded ICC profile to sRGB (unless metadata=keep carries it) → orient (EXIF, flip, rotate) → locate
// (trim=border, gravity=auto) → premultiply → crop/trim + resize → blur, sharpen → brightness, contrast, gamma,
// saturation → pad → draw (overlays) → border → alpha out (flattened for JPEG) → encode. The request's work budget
// is charged inside the long loops and checked between steps; it ends runaway work with over_budget (422).
#pragma once
#include <vector>

#include "codec/codec.h"
#include "core/budget.h"
#include "core/limits.h"
#include "plan/plan.h"

namespace edgepix {

struct TransformOutput {
  Buffer bytes;
  Format format = Format::unknown;
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t frames = 1;
};

// `inputs`: the request's images, [0] the base, the others the overlays' sources (Overlay::input indexes them).
// `budget` (null: unlimited) is charged by the steps as they go and checked between them: see plan/work.h.
Result<TransformOutput> run_plan(const Plan& plan, const std::vector<ByteView>& inputs, Budget* budget);
// Probe, plan and run one image in one call, within the plan's work budget (tests use it; the C ABI goes through
// plan/decision.h).
Result<TransformOutput> transform(ByteView input, const Options& options, const FormatDecision& format,
                                  const Limits& limits);

}  // namespace edgepix
