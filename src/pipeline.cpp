#include "pipeline.h"

#include <string_view>
#include <vector>

#include "codec/animation.h"
#include "codec/icc.h"
#include "core/counters.h"
#include "ops/colour.h"
#include "ops/draw.h"
#include "ops/effects.h"
#include "ops/locate.h"
#include "ops/orient.h"
#include "ops/pad.h"
#include "ops/resize.h"
#include "plan/decision.h"
#include "plan/work.h"

namespace edgepix {

namespace {

// An overlay ready to composite: its pixels (RGB, or premultiplied RGBA) and where and how they go.
struct Layer {
  Image image;
  DrawOptions options;
};

struct Context {
  Plan plan;  // a copy: the locate step may refine the region from the pixels
  ByteView input;
  Image image;
  SrgbConverter* to_srgb;  // the source's profile, when the output does not carry it
  bool keep_ycbcr;         // see keeps_ycbcr
  Budget* budget;          // null: unlimited
  const Metadata* metadata;  // what the output carries
  const std::vector<Layer>* layers;  // overlays, in drawing order (null: none), the same for every frame
  Buffer output;           // the encoded image
};

// Steps that make one pass over the image charge its pixels before they start (plan/work.h).
Status charge_pass(Context& context) {
  return charge(context.budget, uint64_t(context.image.width) * context.image.height);
}

// The metadata the output carries, and the conversion to sRGB of a source profile that it leaves out.
struct OutputMetadata {
  OutputMetadata(const Plan& plan, ByteView input)
      : source(read_metadata(input, plan.source.format)),
        metadata(apply_policy(source, plan.metadata, plan.encode.format, plan.keep_gps)),
        to_srgb(metadata.icc.empty() ? source.icc : std::string()) {}
  Metadata source;
  Metadata metadata;
  SrgbConverter to_srgb;
};

Status replace_image(Context& context, Result<Image> next) {
  if (!next.ok()) return next.status();
  context.image = std::move(next.value());
  return {};
}

// JPEG to JPEG through steps that treat three channels alike (orient and crop move pixels, the resampler and
// blur/sharpen are linear, and YCbCr is an affine function of RGB) stays in the decoder's YCbCr: libjpeg's two
// colour conversions, YCbCr to RGB and back, were 8% of a 12 MP -> 1000 px JPEG run in wasm. What reads or
// paints colours (profiles, colour curves, pad and border colours, content and saliency search) needs RGB.
// fit=pad: the resized image sits on a larger canvas of the background colour.
bool pads(const Plan& plan) {
  return plan.canvas_width != plan.resized_width || plan.canvas_height != plan.resized_height;
}

bool keeps_ycbcr(const Plan& plan, const SrgbConverter& to_srgb) {
  return codec_for(plan.source.format)->decodes_ycbcr && codec_for(plan.encode.format)->encodes_ycbcr &&
         !to_srgb.converts() && !plan.effects.any_colour() && !plan.find_content && !plan.find_salient &&
         !plan.border.any() && !pads(plan) && plan.overlays.empty();
}

Status decode_step(Context& context) {
  const Codec* codec = codec_for(context.plan.source.format);
  DecodeOptions options;
  options.scale_eighths = context.plan.scale_eighths;
  options.keep_ycbcr = context.keep_ycbcr;
  options.limits = &context.plan.limits;
  options.budget = context.budget;
  EP_TRY(replace_image(context, codec->decode(context.input, options)));
  if (context.image.width != context.plan.decoded_width || context.image.height != context.plan.decoded_height)
    return error(ErrorCode::corrupt_image, "the image data does not match its header's dimensions");
  return {};
}

// Pixels in an embedded profile the output will not carry become sRGB, before premultiplying (the conversion
// is not linear) and before any step reads colours.
Status colour_profile_step(Context& context) {
  if (!context.to_srgb->converts()) return {};
  EP_TRY(charge_pass(context));
  unpremultiply(&context.image);  // WebP decodes alpha premultiplied
  context.to_srgb->convert(&context.image);
  return {};
}

Status orient_step(Context& context) {
  if (context.plan.orientation <= 1) return {};
  EP_TRY(charge_pass(context));
  return replace_image(context, orient(std::move(context.image), context.plan.orientation));
}

// trim=border and gravity=auto: regions that only the pixels can tell. The ops find them; the plan places the fit.
Status locate_step(Context& context) {
  Plan& plan = context.plan;
  const Image& image = context.image;
  Rect within{0, 0, image.width, image.height};
  if (plan.find_content) {
    EP_TRY(charge_pass(context));
    within = content_box(image);
    place_fit_in_content(&plan, within);
  }
  if (!plan.find_salient) return {};
  EP_TRY(charge_pass(context));
  place_salient_window(&plan, salient_window(image, within, plan.region.width, plan.region.height));
  return {};
}

// Straight alpha would let the colour of transparent pixels bleed into edges while resampling.
Status premultiply_step(Context& context) {
  if (!context.image.has_alpha()) return {};
  EP_TRY(charge_pass(context));
  premultiply(&context.image);
  return {};
}

Status resize_step(Context& context) {
  const Plan& plan = context.plan;
  return replace_image(context, resize(std::move(context.image), plan.window, plan.resized_width, plan.resized_height,
                                       context.budget));
}

Status pad_step(Context& context) {
  const Plan& plan = context.plan;
  if (!pads(plan)) return {};
  EP_TRY(charge(context.budget, uint64_t(plan.canvas_width) * plan.canvas_height));
  return replace_image(context, pad(context.image, plan.canvas_width, plan.canvas_height, plan.offset_x,
                                    plan.offset_y, plan.background));
}

// Linear filters: fine on premultiplied pixels.
Status blur_and_sharpen_step(Context& context) {
  EP_TRY(blur(&context.image, context.plan.effects.blur, context.budget));
  return sharpen(&context.image, context.plan.effects.sharpen, context.budget);
}

// Colour curves apply to colour, not to colour times coverage: straight alpha first.
Status colour_step(Context& context) {
  if (!context.plan.effects.any_colour()) return {};
  EP_TRY(charge_pass(context));
  unpremultiply(&context.image);
  adjust_colours(&context.image, context.plan.effects);
  return {};
}

Status border_step(Context& context) {
  const Plan& plan = context.plan;
  if (!plan.border.any()) return {};
  EP_TRY(charge(context.budget, uint64_t(plan.output_width) * plan.output_height));
  return replace_image(context, pad(context.image, plan.output_width, plan.output_height, plan.border.left,
                                    plan.border.top, plan.border_colour));
}

// JPEG has no alpha: composite onto the background. Other formats keep alpha, straight, unless all opaque; lossy
// ones get the smooth form of the colours under low alpha (colour.h).
Status finish_alpha_step(Context& context) {
  Image& image = context.image;
  if (image.channels != 4) return {};
  EP_TRY(charge_pass(context));
  const EncodeSettings& encode = context.plan.encode;
  const Codec* codec = codec_for(encode.format);
  if (!codec->holds_alpha || is_opaque(image))
    flatten(&image, context.plan.background);
  else if (codec->lossy && !encode.lossless)
    unpremultiply_smooth(&image);
  else
    unpremultiply(&image);
  return {};
}

// Overlays (the request's draw entries), composited onto the canvas in order, before the border. Each was rendered
// once, before the base (render_layers); draw paints RGB, so a plan with overlays never stays in YCbCr.
Status draw_step(Context& context) {
  if (!context.layers || context.layers->empty()) return {};
  premultiply(&context.image);
  for (const Layer& layer : *context.layers)
    EP_TRY(replace_image(context, draw(context.image, layer.image, layer.options, context.budget)));
  return {};
}

Status encode_step(Context& context) {
  EncodeSettings settings = context.plan.encode;
  settings.metadata = context.metadata;
  settings.budget = context.budget;
  Result<Buffer> bytes = codec_for(settings.format)->encode(context.image, settings);
  if (!bytes.ok()) return bytes.status();
  context.output = std::move(bytes.value());
  return {};
}

struct Step {
  const char* name;  // named in the error when the budget runs out
  Status (*run)(Context&);
};

// The steps, in order; each reads and replaces context.image. Animations run every frame through all but the
// first and last: their frame reader and writer take the place of decode and encode.
const Step kSteps[] = {
    {"decode", decode_step},
    {"colour profile", colour_profile_step},
    {"orient", orient_step},
    {"locate", locate_step},
    {"premultiply", premultiply_step},
    {"resize", resize_step},
    {"blur and sharpen", blur_and_sharpen_step},
    {"colour", colour_step},
    {"pad", pad_step},
    {"draw", draw_step},
    {"border", border_step},
    {"alpha out", finish_alpha_step},
    {"encode", encode_step},
};
constexpr size_t kStepCount = sizeof(kSteps) / sizeof(kSteps[0]);

// Runs steps [first, end), checking the budget after each: runaway work ends at the next boundary if not sooner.
Status run_steps(Context& context, size_t first, size_t end) {
  for (size_t i = first; i < end; ++i) {
    if (context.budget) context.budget->enter(kSteps[i].name);
    EP_TRY(kSteps[i].run(context));
    if (context.budget) EP_TRY(context.budget->check());
  }
  return {};
}

// Every frame through the same steps as a still image (decode and encode aside), into an animation writer.
Result<TransformOutput> run_animation(const Plan& plan, ByteView input, const std::vector<Layer>* layers,
                                      Budget* budget) {
  Result<std::unique_ptr<FrameReader>> reader = open_frames(input, plan.source.format);
  if (!reader.ok()) return reader.status();
  OutputMetadata output_metadata(plan, input);
  EncodeSettings settings = plan.encode;
  settings.metadata = &output_metadata.metadata;
  Result<std::unique_ptr<AnimationWriter>> writer =
      create_animation_writer(plan.output_width, plan.output_height, settings, reader.value()->loop_count());
  if (!writer.ok()) return writer.status();
  uint32_t frames = 0;
  for (;;) {
    Context context{plan, input, {}, &output_metadata.to_srgb, false, budget, nullptr, layers, {}};
    if (budget) budget->enter("read frame");
    uint32_t duration_ms = 0;
    Result<bool> more = reader.value()->next(&context.image, &duration_ms);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    if (++frames > plan.source.frame_count) return error(ErrorCode::corrupt_image, "more frames than the header said");
    EP_TRY(charge(budget, uint64_t(plan.source.width) * plan.source.height));  // the reader's canvas
    EP_TRY(run_steps(context, 1, kStepCount - 1));
    if (budget) budget->enter("write frame");
    EP_TRY(charge(budget, uint64_t(context.image.width) * context.image.height * kAnimationEncodePasses));
    EP_TRY(writer.value()->add(context.image, duration_ms));
  }
  if (frames == 0) return error(ErrorCode::corrupt_image, "the animation has no frames");
  Result<Buffer> bytes = writer.value()->finish();
  if (!bytes.ok()) return bytes.status();
  TransformOutput output;
  output.bytes = std::move(bytes.value());
  output.format = plan.encode.format;
  output.width = plan.output_width;
  output.height = plan.output_height;
  output.frames = frames;  // (animations size from the plan: no per-frame trim=border or gravity=auto)
  return output;
}

// Where one draw entry goes on the base's canvas: the binding's edge distances, centred on an axis with neither.
DrawOptions placement(const Overlay& overlay) {
  const auto anchor = [](const std::optional<int32_t>& start, const std::optional<int32_t>& end) {
    if (start) return Anchor{Anchor::From::start, *start};
    if (end) return Anchor{Anchor::From::end, *end};
    return Anchor{};
  };
  DrawOptions options;
  options.x = anchor(overlay.left, overlay.right);
  options.y = anchor(overlay.top, overlay.bottom);
  options.opacity = overlay.opacity;
  options.repeat_x = overlay.repeat == Repeat::both || overlay.repeat == Repeat::x;
  options.repeat_y = overlay.repeat == Repeat::both || overlay.repeat == Repeat::y;
  options.mode = overlay.composite;
  return options;
}

// One overlay's own input through its own transform, every step up to the draw step: its pixels premultiplied, in
// sRGB, on its own budget (the plan's, from its header), never encoded.
Result<Image> render_overlay(const Plan& overlay_plan, ByteView input) {
  OutputMetadata output_metadata(overlay_plan, input);
  Budget budget(overlay_plan.work_budget);
  Context context{overlay_plan, input, {}, &output_metadata.to_srgb, false, &budget, nullptr, nullptr, {}};
  size_t draw = 0;
  while (std::string_view(kSteps[draw].name) != "draw") ++draw;
  EP_TRY(run_steps(context, 0, draw));
  premultiply(&context.image);  // colour curves leave straight alpha
  return std::move(context.image);
}

// Every draw entry's layer, rendered once before the base: an animated base draws the same layers on each frame.
Result<std::vector<Layer>> render_layers(const Plan& plan, const std::vector<ByteView>& inputs) {
  std::vector<Layer> layers;
  for (const Overlay& overlay : plan.overlays) {
    if (overlay.input >= inputs.size()) return error(ErrorCode::bad_option, "draw: an overlay's input was not given");
    const ByteView input = inputs[overlay.input];
    Result<ProbeInfo> info = probe(input);
    if (!info.ok()) return info.status();
    Result<Plan> overlay_plan = plan_overlay(overlay, info.value(), plan.limits);
    if (!overlay_plan.ok()) return overlay_plan.status();
    ++core_counters.decoded;
    Result<Image> image = render_overlay(overlay_plan.value(), input);
    if (!image.ok()) return image.status();
    layers.push_back({std::move(image.value()), placement(overlay)});
  }
  return layers;
}

}  // namespace

Result<TransformOutput> run_plan(const Plan& plan, const std::vector<ByteView>& inputs, Budget* budget) {
  if (inputs.empty()) return error(ErrorCode::bad_option, "no input image");
  const ByteView input = inputs[0];
  Result<std::vector<Layer>> layers = render_layers(plan, inputs);
  if (!layers.ok()) return layers.status();
  ++core_counters.decoded;  // the base image (render_layers counts the overlays)
  if (plan.animated) return run_animation(plan, input, &layers.value(), budget);
  OutputMetadata output_metadata(plan, input);
  Context context{plan, input, {}, &output_metadata.to_srgb, keeps_ycbcr(plan, output_metadata.to_srgb), budget,
                  &output_metadata.metadata, &layers.value(), {}};
  EP_TRY(run_steps(context, 0, kStepCount));
  TransformOutput output;
  output.bytes = std::move(context.output);
  output.format = plan.encode.format;
  output.width = context.image.width;
  output.height = context.image.height;
  return output;
}

Result<TransformOutput> transform(ByteView input, const Options& options, const FormatDecision& format,
                                  const Limits& limits) {
  Result<ProbeInfo> info = probe(input);
  if (!info.ok()) return info.status();
  Result<Plan> plan = make_plan(options, format, info.value(), limits);
  if (!plan.ok()) return plan.status();
  Budget budget(plan->work_budget);
  return run_plan(plan.value(), {input}, &budget);
}

}  // namespace edgepix
