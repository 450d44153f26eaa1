#include "classify/working_copy.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "codec/jpeg_dc.h"
#include "core/budget.h"
#include "ops/colour.h"
#include "ops/orient.h"
#include "plan/plan.h"

namespace edgepix {
namespace {

// The limits a transform to this size would meet: source pixels, working memory, frames; and its work budget.
Result<Plan> plan_working_copy(const ProbeInfo& info, const Limits& limits) {
  if (info.animated && (info.frame_count > limits.max_frames ||
                        uint64_t(info.width) * info.height * info.frame_count > limits.max_animation_pixels))
    return error(ErrorCode::too_large, "the animation has " + std::to_string(info.frame_count) + " frames of " +
                                           std::to_string(info.width) + "x" + std::to_string(info.height) +
                                           ", more than the limits allow");
  Options options;
  options.width = options.height = kWorkingSide;
  options.fit = Fit::scale_down;
  options.animate = false;
  return make_plan(options, FormatDecision{Format::png, false}, info, limits);
}

// The smallest decode in eighths whose long side still covers the working copy's: the box filter only shrinks.
uint32_t decode_eighths(const ProbeInfo& info) {
  if (!codec_for(info.format)->scales_on_load) return kFullScale;
  const uint32_t long_side = std::max(info.width, info.height);
  const uint32_t wanted = std::min(long_side, kWorkingSide);
  for (uint32_t eighths = 1; eighths < kFullScale; ++eighths)
    if (scaled_size(long_side, eighths) >= wanted) return eighths;
  return kFullScale;
}

Result<Image> decode_scaled(ByteView bytes, const ProbeInfo& info, const Plan& plan, Budget* budget) {
  const uint32_t eighths = decode_eighths(info);
  if (info.format == Format::jpeg && eighths == 1) {
    Result<Image> image = decode_jpeg_dc(bytes, budget);
    if (image.ok() || image.status().code() != ErrorCode::unsupported_format) return image;
  }
  DecodeOptions options;
  options.scale_eighths = eighths;
  options.limits = &plan.limits;
  options.budget = budget;
  Result<Image> image = codec_for(info.format)->decode(bytes, options);
  if (image.ok() && image->premultiplied) unpremultiply(&image.value());
  return image;
}

// Source pixels (with their coverage) behind each of `out` pixels along an axis of `in`.
struct Tap {
  uint32_t first;
  std::vector<float> weights;
};
std::vector<Tap> box_taps(uint32_t in, uint32_t out) {
  std::vector<Tap> taps(out);
  const double ratio = double(in) / out;
  for (uint32_t i = 0; i < out; ++i) {
    const double start = i * ratio, end = std::min(double(in), (i + 1) * ratio);
    Tap& tap = taps[i];
    tap.first = uint32_t(start);
    for (uint32_t s = tap.first; s < end; ++s)
      tap.weights.push_back(float((std::min(end, s + 1.0) - std::max(start, double(s))) / ratio));
  }
  return taps;
}

}  // namespace

void fit_within(uint32_t width, uint32_t height, uint32_t side, uint32_t* fitted_width, uint32_t* fitted_height) {
  const double scale = std::min(1.0, double(side) / std::max(width, height));
  *fitted_width = std::max(1u, uint32_t(std::lround(width * scale)));
  *fitted_height = std::max(1u, uint32_t(std::lround(height * scale)));
}

Result<Image> box_shrink(const Image& image, uint32_t width, uint32_t height) {
  Result<Image> out = Image::allocate_like(image, width, height);
  if (!out.ok()) return out;
  const uint32_t channels = image.channels;
  const std::vector<Tap> across = box_taps(image.width, width), down = box_taps(image.height, height);
  std::vector<float> rows(size_t(width) * image.height * channels);  // the horizontal pass
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* in = image.row(y);
    float* row = rows.data() + size_t(y) * width * channels;
    for (uint32_t x = 0; x < width; ++x)
      for (uint32_t c = 0; c < channels; ++c) {
        float sum = 0;
        for (size_t k = 0; k < across[x].weights.size(); ++k)
          sum += across[x].weights[k] * in[(across[x].first + k) * channels + c];
        row[x * channels + c] = sum;
      }
  }
  for (uint32_t y = 0; y < height; ++y) {
    uint8_t* row = out->row(y);
    for (uint32_t i = 0; i < width * channels; ++i) {
      float sum = 0;
      for (size_t k = 0; k < down[y].weights.size(); ++k)
        sum += down[y].weights[k] * rows[(down[y].first + k) * size_t(width) * channels + i];
      row[i] = uint8_t(std::clamp(std::lround(sum), 0l, 255l));
    }
  }
  return out;
}

Result<Image> working_copy(ByteView bytes, const ProbeInfo& info, const Limits& limits) {
  Result<Plan> plan = plan_working_copy(info, limits);
  if (!plan.ok()) return plan.status();
  Budget budget(plan->work_budget);
  Result<Image> image = decode_scaled(bytes, info, plan.value(), &budget);
  if (!image.ok()) return image;
  if (info.orientation > 1) {
    image = orient(std::move(image.value()), info.orientation);
    if (!image.ok()) return image;
  }
  uint32_t width = 0, height = 0;
  fit_within(image->width, image->height, kWorkingSide, &width, &height);
  if (width == image->width && height == image->height) return image;
  return box_shrink(image.value(), width, height);
}

}  // namespace edgepix
