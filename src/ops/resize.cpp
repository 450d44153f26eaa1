#include "ops/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "ops/crop.h"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE4_1__)
#include <smmintrin.h>
#endif

namespace edgepix {

namespace {

constexpr int kOne = 1 << FilterWeights::kPrecisionBits;
constexpr int kHalf = kOne / 2;

inline uint8_t clamp_to_byte(int32_t fixed_point) {
  const int32_t v = (fixed_point + kHalf) >> FilterWeights::kPrecisionBits;
  return uint8_t(v < 0 ? 0 : v > 255 ? 255 : v);
}

#if defined(__clang__) || defined(__GNUC__)
// Four channels in one 128-bit vector: SIMD128 in wasm, SSE natively, from the same source.
typedef int32_t Int32x4 __attribute__((vector_size(16)));
typedef uint8_t Uint8x4 __attribute__((vector_size(4)));
#define EP_HAVE_VECTORS 1

// One widening load of a pixel's bytes into 32-bit lanes (compilers do not find it from portable code).
template <int Channels>
inline Int32x4 load_pixel(const uint8_t* src) {
  int32_t word = 0;
  std::memcpy(&word, src, Channels);
#if defined(__wasm_simd128__)
  const v128_t bytes = wasm_i32x4_make(word, 0, 0, 0);
  return Int32x4(wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(bytes)));
#elif defined(__SSE4_1__)
  return Int32x4(_mm_cvtepu8_epi32(_mm_cvtsi32_si128(word)));
#else
  Uint8x4 bytes;
  std::memcpy(&bytes, &word, 4);
  return __builtin_convertvector(bytes, Int32x4);
#endif
}
#endif

// One output row from one input row; Channels is 3 or 4 (a 3-channel pixel fills three of the four lanes).
template <int Channels>
void resample_row(const uint8_t* in, uint8_t* out, const FilterWeights& filter, uint32_t out_width) {
  for (uint32_t x = 0; x < out_width; ++x, out += Channels) {
    const uint8_t* src = in + size_t(filter.first[x]) * Channels;
    const int16_t* weight = &filter.weights[size_t(x) * filter.max_taps];
#ifdef EP_HAVE_VECTORS
    Int32x4 sum = {0, 0, 0, 0};
    for (uint32_t k = 0; k < filter.count[x]; ++k, src += Channels) sum += load_pixel<Channels>(src) * int32_t(weight[k]);
#else
    int32_t sum[4] = {0, 0, 0, 0};
    for (uint32_t k = 0; k < filter.count[x]; ++k, src += Channels)
      for (int c = 0; c < Channels; ++c) sum[c] += src[c] * weight[k];
#endif
    for (int c = 0; c < Channels; ++c) out[c] = clamp_to_byte(sum[c]);
  }
}

// Each output row is a weighted sum of whole input rows: a plain loop over bytes that the compiler vectorises.
void resample_columns(const Image& in, uint32_t row_offset, Image* out, const FilterWeights& filter,
                      std::vector<int32_t>* accumulator) {
  const size_t row_bytes = out->stride();
  accumulator->resize(row_bytes);
  int32_t* sum = accumulator->data();
  for (uint32_t y = 0; y < out->height; ++y) {
    std::fill(sum, sum + row_bytes, 0);
    const int16_t* weight = &filter.weights[size_t(y) * filter.max_taps];
    for (uint32_t k = 0; k < filter.count[y]; ++k) {
      const uint8_t* src = in.row(filter.first[y] + k - row_offset);
      const int32_t w = weight[k];
      for (size_t i = 0; i < row_bytes; ++i) sum[i] += src[i] * w;
    }
    uint8_t* dst = out->row(y);
    for (size_t i = 0; i < row_bytes; ++i) dst[i] = clamp_to_byte(sum[i]);
  }
}

}  // namespace

double lanczos3(double x) {
  if (x == 0) return 1;
  if (x <= -3 || x >= 3) return 0;
  const double pi_x = M_PI * x;
  return 3 * std::sin(pi_x) * std::sin(pi_x / 3) / (pi_x * pi_x);
}

FilterWeights lanczos3_weights(uint32_t in_size, double region_start, double region_size, uint32_t out_size) {
  const double scale = region_size / out_size;  // input pixels per output pixel
  const double stretch = std::max(scale, 1.0);  // a downscale widens the filter to low-pass the input
  const double support = 3 * stretch;
  FilterWeights filter;
  filter.max_taps = uint32_t(std::ceil(support)) * 2 + 1;
  filter.first.resize(out_size);
  filter.count.resize(out_size);
  filter.weights.assign(size_t(out_size) * filter.max_taps, 0);
  std::vector<double> taps(filter.max_taps);
  for (uint32_t i = 0; i < out_size; ++i) {
    const double center = region_start + (i + 0.5) * scale;  // pixel j spans [j, j+1)
    const int64_t lo = std::max<int64_t>(0, int64_t(std::floor(center - support + 0.5)));
    const int64_t hi = std::min<int64_t>(in_size, int64_t(std::floor(center + support + 0.5)));
    uint32_t count = uint32_t(std::max<int64_t>(1, std::min<int64_t>(hi - lo, filter.max_taps)));
    const uint32_t first = uint32_t(std::min<int64_t>(lo, int64_t(in_size) - count));
    double total = 0;
    for (uint32_t k = 0; k < count; ++k) total += taps[k] = lanczos3((first + k + 0.5 - center) / stretch);
    if (total == 0) taps[0] = total = 1;
    // Quantise, then give the rounding remainder to the largest tap so every row sums to exactly one.
    int16_t* weight = &filter.weights[size_t(i) * filter.max_taps];
    int sum = 0;
    uint32_t largest = 0;
    for (uint32_t k = 0; k < count; ++k) {
      weight[k] = int16_t(std::lround(taps[k] / total * kOne));
      sum += weight[k];
      if (weight[k] > weight[largest]) largest = k;
    }
    weight[largest] = int16_t(weight[largest] + kOne - sum);
    filter.first[i] = first;
    filter.count[i] = count;
  }
  return filter;
}

Result<Image> resize(Image image, Rect region, uint32_t width, uint32_t height) {
  if (region.width == width && region.height == height) return crop(image, region);
  const FilterWeights columns = lanczos3_weights(image.width, region.x, region.width, width);
  const FilterWeights rows = lanczos3_weights(image.height, region.y, region.height, height);
  // Only the input rows some output row reads are resampled horizontally.
  const uint32_t first_row = rows.first.front();
  const uint32_t end_row = rows.first.back() + rows.count.back();
  Result<Image> horizontal = Image::allocate(width, end_row - first_row, image.channels);
  if (!horizontal.ok()) return horizontal;
  for (uint32_t y = first_row; y < end_row; ++y) {
    if (image.channels == 4)
      resample_row<4>(image.row(y), horizontal->row(y - first_row), columns, width);
    else
      resample_row<3>(image.row(y), horizontal->row(y - first_row), columns, width);
  }
  const bool premultiplied = image.premultiplied;
  image.pixels = Buffer();
  Result<Image> out = Image::allocate(width, height, horizontal->channels);
  if (!out.ok()) return out;
  std::vector<int32_t> accumulator;
  resample_columns(horizontal.value(), first_row, &out.value(), rows, &accumulator);
  out->premultiplied = premultiplied;
  return out;
}

}  // namespace edgepix
