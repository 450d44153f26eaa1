#include "plan/plan.h"

#include <algorithm>
#include <cmath>

#include "ops/orient.h"
#include "plan/work.h"

namespace edgepix {

namespace {

constexpr int kDefaultQuality = 85;
uint32_t at_least_one(double size) { return uint32_t(std::max(1.0, std::round(size))); }

// What scale-on-load leaves for the Lanczos kernel. A scaled IDCT alone is a block-wise box filter that aliases:
// decoding a 4000 px JPEG straight to 1000 px scored SSIM 0.9965 against an exact Lanczos-3 of the full decode,
// 3/8 then 1.33x Lanczos 0.9982, 1/2 then 2x 0.9986 (libvips' choice); residuals of 1.25 and below stayed under
// 0.9973. 1.3 buys most of the quality for 2.25x the decoded pixels of the 1/4 path, not 4x.
constexpr double kMinResidualShrink = 1.3;

// The smallest decode (in eighths) that still leaves the resampler kMinResidualShrink of the reduction.
uint32_t choose_eighths(double input_per_output, bool scales_on_load) {
  if (!scales_on_load) return kFullScale;
  for (uint32_t eighths = 1; eighths < kFullScale; ++eighths)
    if (input_per_output * eighths / kFullScale >= kMinResidualShrink - 1e-9) return eighths;
  return kFullScale;
}

uint64_t estimate_working_bytes(const Plan& plan, uint32_t channels) {
  const uint64_t decoded = uint64_t(plan.decoded_width) * plan.decoded_height * channels;
  const uint64_t upright = plan.orientation > 1 ? decoded : 0;
  // The resampler's first pass: horizontal (output width, region's rows) or vertical (region's columns, output
  // height), whichever costs less; the larger of the two bounds either.
  const uint64_t first_pass = std::max(uint64_t(plan.resized_width) * plan.region.height,
                                       uint64_t(plan.region.width) * plan.resized_height) * channels;
  const uint64_t resized = uint64_t(plan.resized_width) * plan.resized_height * channels;
  const uint64_t canvas = uint64_t(plan.output_width) * plan.output_height * channels;
  const uint64_t canvas_pixels = uint64_t(plan.output_width) * plan.output_height;
  // Stages run one after another; each holds its input and output at once.
  const uint64_t stages[] = {
      decoded + plan.source.decoder_overhead_bytes,
      decoded + upright,
      std::max(decoded, upright) + first_pass,  // resize frees its input after its first pass
      first_pass + resized,
      resized + canvas,
      canvas + codec_for(plan.encode.format)->encoder_bytes(plan.encode, canvas_pixels),
  };
  uint64_t peak = *std::max_element(std::begin(stages), std::end(stages));
  // An animation also holds the reader's canvases (current, previous, two back, stb's background) and the
  // writer's (previous frame, candidate encodings, the growing output).
  if (plan.animated) peak += decoded / channels * 4 * 4 + canvas_pixels * 4 * 6;
  return peak;
}

std::string megabytes(uint64_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB"; }

}  // namespace

namespace {
// Where along an axis a crop window sits: 0 = start, 1 = end, as a fraction of the slack.
double placement(const Gravity& gravity, bool horizontal, double source, double window) {
  using Kind = Gravity::Kind;
  switch (gravity.kind) {
    case Kind::left: return horizontal ? 0 : 0.5;
    case Kind::right: return horizontal ? 1 : 0.5;
    case Kind::top: return horizontal ? 0.5 : 0;
    case Kind::bottom: return horizontal ? 0.5 : 1;
    case Kind::point: {
      // Centre the window on the focal point, as far as the image allows.
      const double slack = source - window;
      if (slack <= 0) return 0.5;
      const double start = (horizontal ? gravity.x : gravity.y) * source - window / 2;
      return std::min(1.0, std::max(0.0, start / slack));
    }
    default: return 0.5;
  }
}

// The trim edges are given for the EXIF-upright image, before flip and rotation: carry them through both.
Edges transform_edges(Edges e, const Options& o) {
  if (o.flip_horizontal) std::swap(e.left, e.right);
  if (o.flip_vertical) std::swap(e.top, e.bottom);
  if (o.rotate == 90) e = {e.left, e.top, e.right, e.bottom};
  if (o.rotate == 180) e = {e.bottom, e.left, e.top, e.right};
  if (o.rotate == 270) e = {e.right, e.bottom, e.left, e.top};
  return e;
}
}  // namespace

FitGeometry fit_geometry(uint32_t sw, uint32_t sh, uint32_t w, uint32_t h, Fit fit, const Gravity& gravity) {
  FitGeometry g;
  g.crop_width = sw;
  g.crop_height = sh;
  if (!w && !h) {
    g.resized_width = g.canvas_width = sw;
    g.resized_height = g.canvas_height = sh;
    return g;
  }
  const bool both = w && h;
  if (both && (fit == Fit::cover || fit == Fit::crop)) {
    double scale = std::max(double(w) / sw, double(h) / sh);
    if (fit == Fit::crop) scale = std::min(scale, 1.0);  // crop never enlarges: it only cuts
    g.resized_width = std::min(w, at_least_one(sw * scale));
    g.resized_height = std::min(h, at_least_one(sh * scale));
    g.crop_width = std::min<double>(sw, g.resized_width / scale);
    g.crop_height = std::min<double>(sh, g.resized_height / scale);
    g.crop_x = (sw - g.crop_width) * placement(gravity, true, sw, g.crop_width);
    g.crop_y = (sh - g.crop_height) * placement(gravity, false, sh, g.crop_height);
  } else if (both && fit == Fit::squeeze) {
    g.resized_width = w;
    g.resized_height = h;
  } else {
    // Fit inside the box; the limiting side gets exactly the requested size.
    const bool width_limits = w && (!h || double(w) / sw <= double(h) / sh);
    const double scale = width_limits ? double(w) / sw : double(h) / sh;
    const bool enlarge = fit == Fit::contain || fit == Fit::pad || fit == Fit::cover || fit == Fit::squeeze;
    if (scale >= 1 && !enlarge) {
      g.resized_width = sw;
      g.resized_height = sh;
    } else {
      g.resized_width = width_limits ? w : at_least_one(sw * scale);
      g.resized_height = width_limits ? at_least_one(sh * scale) : h;
    }
  }
  g.canvas_width = fit == Fit::pad && w ? w : g.resized_width;
  g.canvas_height = fit == Fit::pad && h ? h : g.resized_height;
  return g;
}

void place_fit(Plan* plan, double base_x, double base_y, double base_width, double base_height) {
  const FitRequest& fit = plan->fit;
  const FitGeometry g = fit_geometry(uint32_t(std::lround(base_width)), uint32_t(std::lround(base_height)),
                                     fit.width, fit.height, fit.fit, fit.gravity);
  const bool swap = orientation_swaps_axes(plan->orientation);
  const uint32_t decoded_w = swap ? plan->decoded_height : plan->decoded_width;
  const uint32_t decoded_h = swap ? plan->decoded_width : plan->decoded_height;
  // The kept rectangle, mapped from upright source pixels to upright decoded pixels.
  const double scale = plan->decoded_per_source;
  plan->region.x = std::min(decoded_w - 1, uint32_t(std::floor((base_x + g.crop_x) * scale + 1e-6)));
  plan->region.y = std::min(decoded_h - 1, uint32_t(std::floor((base_y + g.crop_y) * scale + 1e-6)));
  plan->region.width = std::min(decoded_w - plan->region.x, at_least_one(g.crop_width * scale));
  plan->region.height = std::min(decoded_h - plan->region.y, at_least_one(g.crop_height * scale));
  plan->window.x = std::min(double(decoded_w - 1), (base_x + g.crop_x) * scale);
  plan->window.y = std::min(double(decoded_h - 1), (base_y + g.crop_y) * scale);
  plan->window.width = std::min(decoded_w - plan->window.x, g.crop_width * scale);
  plan->window.height = std::min(decoded_h - plan->window.y, g.crop_height * scale);
  plan->resized_width = g.resized_width;
  plan->resized_height = g.resized_height;
  plan->canvas_width = g.canvas_width;
  plan->canvas_height = g.canvas_height;
  plan->offset_x = (g.canvas_width - g.resized_width) / 2;
  plan->offset_y = (g.canvas_height - g.resized_height) / 2;
  plan->output_width = g.canvas_width + plan->border.left + plan->border.right;
  plan->output_height = g.canvas_height + plan->border.top + plan->border.bottom;
}

void place_fit_in_content(Plan* plan, Rect content_box) {
  const double to_source = 1 / plan->decoded_per_source;
  place_fit(plan, content_box.x * to_source, content_box.y * to_source, content_box.width * to_source,
            content_box.height * to_source);
}

void place_salient_window(Plan* plan, Rect window) {
  plan->region = window;
  plan->window = window_of(window);
}

Result<Plan> make_plan(const Options& options, const FormatDecision& format, const ProbeInfo& source,
                       const Limits& limits) {
  if (uint64_t(source.width) * source.height > limits.max_source_pixels)
    return error(ErrorCode::too_large, "the image claims " + std::to_string(source.width) + "x" +
                                           std::to_string(source.height) + " pixels, more than the limit of " +
                                           std::to_string(limits.max_source_pixels / 1000000) + " megapixels");
  Plan plan;
  plan.source = source;
  plan.orientation =
      compose_orientation(source.orientation, options.flip_horizontal, options.flip_vertical, options.rotate);
  const bool swap = orientation_swaps_axes(plan.orientation);
  const uint32_t upright_w = swap ? source.height : source.width, upright_h = swap ? source.width : source.height;
  // The part of the upright source that is kept before fitting: everything but the trimmed edges.
  const Edges trim = transform_edges(options.trim, options);
  if (uint64_t(trim.left) + trim.right >= upright_w || uint64_t(trim.top) + trim.bottom >= upright_h)
    return error(ErrorCode::bad_option, "option 'trim': it removes the whole " + std::to_string(upright_w) + "x" +
                                            std::to_string(upright_h) + " image");
  const uint32_t base_w = upright_w - trim.left - trim.right, base_h = upright_h - trim.top - trim.bottom;
  const auto target = [&](uint32_t side) { return side ? uint32_t(std::lround(side * options.dpr)) : 0u; };
  const FitGeometry g = fit_geometry(base_w, base_h, target(options.width), target(options.height), options.fit,
                               options.gravity);
  plan.fit = {target(options.width), target(options.height), options.fit, options.gravity};
  plan.border = options.border;
  const uint64_t output_w = uint64_t(g.canvas_width) + plan.border.left + plan.border.right;
  const uint64_t output_h = uint64_t(g.canvas_height) + plan.border.top + plan.border.bottom;
  if (output_w > limits.max_output_side || output_h > limits.max_output_side)
    return error(ErrorCode::too_large, "the output would be " + std::to_string(output_w) + "x" +
                                           std::to_string(output_h) + ", more than " +
                                           std::to_string(limits.max_output_side) + " pixels a side");
  plan.border_colour = options.border_colour;
  plan.effects = {options.blur, options.sharpen, options.brightness, options.contrast, options.gamma,
                  options.saturation};

  plan.encode.format = output_format(format, source, source.animated && options.animate);
  plan.animated = source.animated && options.animate && codec_for(plan.encode.format)->create_animation_writer;
  if (plan.animated && (source.frame_count > limits.max_frames ||
                        uint64_t(source.width) * source.height * source.frame_count > limits.max_animation_pixels))
    return error(ErrorCode::too_large, "the animation has " + std::to_string(source.frame_count) + " frames of " +
                                           std::to_string(source.width) + "x" + std::to_string(source.height) +
                                           ", more than the limit of " + std::to_string(limits.max_frames) +
                                           " frames or " + std::to_string(limits.max_animation_pixels / 1000000) +
                                           " megapixels in all");

  const Codec* codec = codec_for(source.format);
  // Animation readers composite whole canvases: no scale-on-load for them. Nor when the content box is
  // searched for: where it lies, and so how much may be shrunk, is not known before decoding.
  // Both refine the region per image; an animation keeps one geometry for all its frames.
  plan.find_content = options.trim_border && !plan.animated;
  plan.scale_eighths = choose_eighths(std::min(g.crop_width / g.resized_width, g.crop_height / g.resized_height),
                                      codec->scales_on_load && !plan.animated && !plan.find_content);
  plan.decoded_width = scaled_size(source.width, plan.scale_eighths);
  plan.decoded_height = scaled_size(source.height, plan.scale_eighths);
  plan.decoded_per_source = double(swap ? plan.decoded_height : plan.decoded_width) / upright_w;
  place_fit(&plan, trim.left, trim.top, base_w, base_h);
  plan.find_salient = options.gravity.kind == Gravity::Kind::automatic && !plan.animated &&
                      (plan.region.width + 1 < base_w * plan.decoded_per_source ||
                       plan.region.height + 1 < base_h * plan.decoded_per_source);
  plan.background = options.background;

  plan.encode.quality = options.quality ? options.quality : kDefaultQuality;
  plan.encode.lossless = codec_for(plan.encode.format)->lossless_at_100 && options.quality == 100;
  plan.encode.progressive = options.format != FormatRequest::baseline_jpeg;
  plan.encode.fast = options.fast_compression;
  plan.metadata = options.metadata;

  const bool alpha = source.has_alpha || (options.fit == Fit::pad && options.background.a < 255) ||
                     (plan.border.any() && options.border_colour.a < 255);
  plan.working_bytes = estimate_working_bytes(plan, alpha ? 4 : 3);
  const Format substitute = codec_for(plan.encode.format)->auto_substitute;
  if (plan.working_bytes > limits.max_working_bytes && substitute != Format::unknown && format.vary_accept) {
    // format=auto: an AVIF too large for the memory budget (aom needs ~18 bytes a pixel, ~4 MP in 96 MB) goes
    // out as WebP, which every AVIF client decodes, rather than failing. format=avif asked by name still fails.
    plan.encode.format = substitute;
    plan.encode.lossless = codec_for(substitute)->lossless_at_100 && options.quality == 100;
    plan.working_bytes = estimate_working_bytes(plan, alpha ? 4 : 3);
  }
  if (plan.working_bytes > limits.max_working_bytes)
    return error(ErrorCode::too_large, "this transform would need about " + megabytes(plan.working_bytes) +
                                           " of memory, more than the limit of " +
                                           megabytes(limits.max_working_bytes));
  plan.work_budget = work_budget(plan, limits);
  plan.limits = limits;
  return plan;
}

}  // namespace edgepix
