// The plan: everything a transform will do — scale-on-load, region, sizes, output format, memory — decided from
// the options, the negotiation and the probed header before any pixel is decoded. Limits are enforced here.
#pragma once
#include <string>

#include "codec/codec.h"
#include "core/limits.h"
#include "ops/effects.h"
#include "plan/negotiate.h"
#include "plan/options.h"
#include "plan/request.h"

namespace edgepix {

// What the fit asks for, kept so the region can be placed again once pixels are known (trim=border,
// gravity=auto).
struct FitRequest {
  uint32_t width = 0, height = 0;  // target, dpr applied; 0: not given
  Fit fit = Fit::scale_down;
  Gravity gravity;
};

struct Plan {
  ProbeInfo source;
  FitRequest fit;
  bool find_content = false;       // trim=border: the region comes from the pixels (see ops/locate.h)
  bool find_salient = false;       // gravity=auto with a crop: the window goes where the detail is
  double decoded_per_source = 1;   // upright decoded pixels per upright source pixel
  uint8_t orientation = 1;         // EXIF orientation composed with flip and rotate: one pass makes it upright
  bool animated = false;           // every frame is transformed and an animation is written
  uint32_t scale_eighths = kFullScale;  // scale-on-load: the decoder returns ceil(size * e / 8)
  uint32_t decoded_width = 0;      // after scale-on-load, stored orientation
  uint32_t decoded_height = 0;
  Rect region;                     // part of the upright decoded image that is resampled, in whole pixels
  Window window;                   // the same part exactly: what the resampler maps onto the resized size
  uint32_t resized_width = 0;
  uint32_t resized_height = 0;
  uint32_t canvas_width = 0;       // the output; larger than the resized image only for fit=pad
  uint32_t canvas_height = 0;
  uint32_t offset_x = 0;           // where the resized image sits on the canvas
  uint32_t offset_y = 0;
  Rgba background;
  Effects effects;
  Edges border;                    // added around the canvas
  Rgba border_colour;
  uint32_t output_width = 0;       // canvas plus border
  uint32_t output_height = 0;
  EncodeSettings encode;           // (metadata is attached by the pipeline, read from the source)
  MetadataPolicy metadata = MetadataPolicy::copyright;
  bool keep_gps = false;           // metadata=keep delivers GPS (the request's keepGps; set by plan_decision)
  uint64_t working_bytes = 0;      // estimated peak memory of decode + transform + encode
  uint64_t work_budget = 0;        // the request's work budget, in units (plan/work.h)
  std::vector<Overlay> overlays;   // drawn on the output, in order (set by plan_decision, plan/decision.h)
  Limits limits;                   // what the plan was made within: its overlays are planned within the same
};

// Geometry of a fit, in upright source pixels: the source rectangle kept and the size it is resampled to.
struct FitGeometry {
  double crop_x = 0, crop_y = 0, crop_width = 0, crop_height = 0;
  uint32_t resized_width = 0, resized_height = 0;
  uint32_t canvas_width = 0, canvas_height = 0;
};
FitGeometry fit_geometry(uint32_t source_width, uint32_t source_height, uint32_t width, uint32_t height, Fit fit,
                         const Gravity& gravity = {});

// Places the fit inside `base` (upright source pixels): sets region (decoded pixels), the resized, canvas and
// output sizes. make_plan calls it; so does the pipeline when the content box is found from the pixels.
void place_fit(Plan* plan, double base_x, double base_y, double base_width, double base_height);
// trim=border, once the pixels are known: places the fit inside the content box found in them (upright decoded
// pixels, ops/locate.h), as make_plan placed it inside the trimmed source.
void place_fit_in_content(Plan* plan, Rect content_box);
// gravity=auto, once the pixels are known: the region becomes the window found in them (upright decoded pixels,
// the region's size).
void place_salient_window(Plan* plan, Rect window);

Result<Plan> make_plan(const Options& options, const FormatDecision& format, const ProbeInfo& source,
                       const Limits& limits);

}  // namespace edgepix
