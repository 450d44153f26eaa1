// Limits are enforced by the plan from the probed header, before any pixel is decoded. The host may lower
// them per request (the request's "limits", see plan/request.h); these defaults are also the ceilings.
#pragma once
#include <cstdint>

namespace edgepix {

struct Limits {
  // Working memory a decode + transform + encode may need, estimated from the header (after scale-on-load).
  uint64_t max_working_bytes = 96ull * 1024 * 1024;
  // Pixels a source may claim at all, whatever scale-on-load could do (catches header bombs cheaply).
  uint64_t max_source_pixels = 16384ull * 16384;
  uint32_t max_output_side = 12000;
  // Animations: frames, and pixels summed over all frames of the source (animation bombs stop here).
  uint32_t max_frames = 1000;
  uint64_t max_animation_pixels = 200ull * 1000 * 1000;
  // The request's work budget in units (core/budget.h); 0: the default the plan derives from the work it will do
  // (plan/work.h).
  uint64_t max_work_units = 0;
};

}  // namespace edgepix
