#include "pipeline.h"

#include "codec/animation.h"
#include "codec/icc.h"
#include "core/counters.h"
#include "ops/colour.h"
#include "ops/effects.h"
#include "ops/locate.h"
#include "ops/orient.h"
#include "ops/pad.h"
#include "ops/resize.h"

namespace edgepix {

namespace {

struct Context {
  Plan plan;  // a copy: the locate step may refine the region from the pixels
  ByteView input;
  Image image;
  SrgbConverter* to_srgb;  // the source's profile, when the output does not carry it
  bool keep_ycbcr;         // see keeps_ycbcr
};

// The metadata the output carries, and the conversion to sRGB of a source profile that it leaves out.
struct OutputMetadata {
  OutputMetadata(const Plan& plan, ByteView input)
      : source(read_metadata(input, plan.source.format)),
        metadata(apply_policy(source, plan.metadata, plan.encode.format)),
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
  return plan.source.format == Format::jpeg && plan.encode.format == Format::jpeg && !to_srgb.converts() &&
         !plan.effects.any_colour() && !plan.find_content && !plan.find_salient && !plan.border.any() && !pads(plan);
}

Status decode_step(Context& context) {
  const Codec* codec = codec_for(context.plan.source.format);
  EP_TRY(replace_image(context, context.keep_ycbcr
                                    ? jpeg::decode(context.input, context.plan.scale_eighths, true)
                                    : codec->decode(context.input, context.plan.scale_eighths)));
  if (context.image.width != context.plan.decoded_width || context.image.height != context.plan.decoded_height)
    return error(ErrorCode::corrupt_image, "the image data does not match its header's dimensions");
  return {};
}

// Pixels in an embedded profile the output will not carry become sRGB, before premultiplying (the conversion
// is not linear) and before any step reads colours.
Status colour_profile_step(Context& context) {
  if (!context.to_srgb->converts()) return {};
  unpremultiply(&context.image);  // WebP decodes alpha premultiplied
  context.to_srgb->convert(&context.image);
  return {};
}

Status orient_step(Context& context) {
  if (context.plan.orientation <= 1) return {};
  return replace_image(context, orient(std::move(context.image), context.plan.orientation));
}

// trim=border and gravity=auto: regions that only the pixels can tell.
Status locate_step(Context& context) {
  Plan& plan = context.plan;
  if (plan.find_content) {
    const Rect box = content_box(context.image);
    const double to_source = 1 / plan.decoded_per_source;
    place_fit(&plan, box.x * to_source, box.y * to_source, box.width * to_source, box.height * to_source);
    if (plan.find_salient) plan.region = salient_window(context.image, box, plan.region.width, plan.region.height);
  } else if (plan.find_salient) {
    plan.region = salient_window(context.image, {0, 0, context.image.width, context.image.height},
                                 plan.region.width, plan.region.height);
  }
  if (plan.find_salient) plan.window = window_of(plan.region);
  return {};
}

// Straight alpha would let the colour of transparent pixels bleed into edges while resampling.
Status premultiply_step(Context& context) {
  premultiply(&context.image);
  return {};
}

Status resize_step(Context& context) {
  const Plan& plan = context.plan;
  return replace_image(context, resize(std::move(context.image), plan.window, plan.resized_width, plan.resized_height));
}

Status pad_step(Context& context) {
  const Plan& plan = context.plan;
  if (!pads(plan)) return {};
  return replace_image(context, pad(context.image, plan.canvas_width, plan.canvas_height, plan.offset_x,
                                    plan.offset_y, plan.background));
}

// Linear filters: fine on premultiplied pixels.
Status blur_and_sharpen_step(Context& context) {
  EP_TRY(blur(&context.image, context.plan.effects.blur));
  return sharpen(&context.image, context.plan.effects.sharpen);
}

// Colour curves apply to colour, not to colour times coverage: straight alpha first.
Status colour_step(Context& context) {
  if (!context.plan.effects.any_colour()) return {};
  unpremultiply(&context.image);
  adjust_colours(&context.image, context.plan.effects);
  return {};
}

Status border_step(Context& context) {
  const Plan& plan = context.plan;
  if (!plan.border.any()) return {};
  return replace_image(context, pad(context.image, plan.output_width, plan.output_height, plan.border.left,
                                    plan.border.top, plan.border_colour));
}

// JPEG has no alpha: composite onto the background. Other formats keep alpha, straight, unless all opaque; lossy
// ones get the smooth form of the colours under low alpha (colour.h).
Status finish_alpha_step(Context& context) {
  Image& image = context.image;
  if (image.channels != 4) return {};
  const EncodeSettings& encode = context.plan.encode;
  if (encode.format == Format::jpeg || is_opaque(image))
    flatten(&image, context.plan.background);
  else if ((encode.format == Format::webp && !encode.lossless) || encode.format == Format::avif)
    unpremultiply_smooth(&image);
  else
    unpremultiply(&image);
  return {};
}

// The steps, in order; each reads and replaces context.image.
Status (*const kSteps[])(Context&) = {decode_step,  colour_profile_step, orient_step,           locate_step,
                                      premultiply_step, resize_step,     blur_and_sharpen_step, colour_step,
                                      pad_step,     border_step,         finish_alpha_step};

// Every frame through the same steps as a still image (decode aside), into an animation writer.
Result<TransformOutput> run_animation(const Plan& plan, ByteView input) {
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
    Context context{plan, input, {}, &output_metadata.to_srgb, false};
    uint32_t duration_ms = 0;
    Result<bool> more = reader.value()->next(&context.image, &duration_ms);
    if (!more.ok()) return more.status();
    if (!more.value()) break;
    if (++frames > plan.source.frame_count) return error(ErrorCode::corrupt_image, "more frames than the header said");
    for (size_t i = 1; i < sizeof(kSteps) / sizeof(kSteps[0]); ++i) EP_TRY(kSteps[i](context));
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

}  // namespace

Result<TransformOutput> run_plan(const Plan& plan, const std::vector<ByteView>& inputs) {
  if (inputs.empty()) return error(ErrorCode::bad_option, "no input image");
  const ByteView input = inputs[0];
  ++core_counters.decoded;  // the base image; the draw step counts each overlay it decodes
  if (plan.animated) return run_animation(plan, input);
  OutputMetadata output_metadata(plan, input);
  Context context{plan, input, {}, &output_metadata.to_srgb, keeps_ycbcr(plan, output_metadata.to_srgb)};
  for (auto step : kSteps) EP_TRY(step(context));
  const Codec* codec = codec_for(plan.encode.format);
  EncodeSettings settings = plan.encode;
  settings.metadata = &output_metadata.metadata;
  Result<Buffer> bytes = codec->encode(context.image, settings);
  if (!bytes.ok()) return bytes.status();
  TransformOutput output;
  output.bytes = std::move(bytes.value());
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
  return run_plan(plan.value(), {input});
}

}  // namespace edgepix
