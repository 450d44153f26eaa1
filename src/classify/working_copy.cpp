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

namespace {

// std::lround's answer (half away from zero) clamped to a byte, for the sums box_shrink makes (never negative):
// the fraction s - trunc(s) of a float is exact, so this rounds exactly as lroundf does, without the call.
uint8_t round_to_byte(float sum) {
  if (!(sum > 0)) return 0;
  if (sum >= 255) return 255;
  const int whole = int(sum);
  return uint8_t(whole + (sum - float(whole) >= 0.5f));
}

// The horizontal pass, each output sample's sum in tap order (the vertical pass and the rounding depend on it).
template <uint32_t kChannels>
void shrink_rows(const Image& image, const std::vector<Tap>& across, uint32_t channels_at_run_time, float* rows) {
  const uint32_t channels = kChannels ? kChannels : channels_at_run_time;
  const uint32_t width = uint32_t(across.size());
  size_t most_taps = 0;
  for (const Tap& tap : across) most_taps = std::max(most_taps, tap.weights.size());
  if (kChannels == 3 && most_taps <= 3) {
    // Shrinking by less than 2: every output sample has two or three taps. Three each, the missing one weighted 0
    // (adding 0 changes no sum), so the loop has no branches.
    std::vector<uint32_t> at(size_t(width) * 3);
    std::vector<float> weight(size_t(width) * 3, 0.0f);
    for (uint32_t x = 0; x < width; ++x)
      for (size_t k = 0; k < 3; ++k) {
        const bool real = k < across[x].weights.size();
        at[x * 3 + k] = (across[x].first + (real ? uint32_t(k) : 0)) * 3;
        if (real) weight[x * 3 + k] = across[x].weights[k];
      }
    for (uint32_t y = 0; y < image.height; ++y) {
      const uint8_t* in = image.row(y);
      float* row = rows + size_t(y) * width * 3;
      for (uint32_t x = 0; x < width; ++x) {
        const uint32_t* a = at.data() + x * 3;
        const float* w = weight.data() + x * 3;
        for (uint32_t c = 0; c < 3; ++c) {
          float sum = 0;
          sum += w[0] * in[a[0] + c];
          sum += w[1] * in[a[1] + c];
          sum += w[2] * in[a[2] + c];
          row[x * 3 + c] = sum;
        }
      }
    }
    return;
  }
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t* in = image.row(y);
    float* row = rows + size_t(y) * width * channels;
    for (uint32_t x = 0; x < width; ++x) {
      const float* weights = across[x].weights.data();
      const size_t taps = across[x].weights.size();
      const uint8_t* source = in + size_t(across[x].first) * channels;
      if (kChannels == 3) {  // the usual case: one pass over the taps for all three channels
        float r = 0, g = 0, b = 0;
        for (size_t k = 0; k < taps; ++k) {
          r += weights[k] * source[k * 3];
          g += weights[k] * source[k * 3 + 1];
          b += weights[k] * source[k * 3 + 2];
        }
        row[x * 3] = r, row[x * 3 + 1] = g, row[x * 3 + 2] = b;
        continue;
      }
      for (uint32_t c = 0; c < channels; ++c) {
        float sum = 0;
        for (size_t k = 0; k < taps; ++k) sum += weights[k] * source[k * channels + c];
        row[x * channels + c] = sum;
      }
    }
  }
}

}  // namespace

Result<Image> box_shrink(const Image& image, uint32_t width, uint32_t height) {
  Result<Image> out = Image::allocate_like(image, width, height);
  if (!out.ok()) return out;
  const uint32_t channels = image.channels;
  const std::vector<Tap> across = box_taps(image.width, width), down = box_taps(image.height, height);
  const size_t stride = size_t(width) * channels;
  std::vector<float> rows(stride * image.height);  // the horizontal pass
  if (channels == 3) shrink_rows<3>(image, across, channels, rows.data());
  else shrink_rows<0>(image, across, channels, rows.data());
  // The vertical pass a row of sums at a time: each sample still adds its taps in order, so the result is the same
  // as one sum per sample.
  std::vector<float> sums(stride);
  for (uint32_t y = 0; y < height; ++y) {
    const float* weights = down[y].weights.data();
    const size_t taps = down[y].weights.size();
    const float* source = rows.data() + size_t(down[y].first) * stride;
    float* sum = sums.data();
    for (size_t i = 0; i < stride; ++i) sum[i] = 0;
    for (size_t k = 0; k < taps; ++k) {
      const float weight = weights[k];
      const float* in = source + k * stride;
      for (size_t i = 0; i < stride; ++i) sum[i] += weight * in[i];
    }
    uint8_t* row = out->row(y);
    for (size_t i = 0; i < stride; ++i) row[i] = round_to_byte(sum[i]);
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
