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

// The horizontal pass takes the taps two at a time: a pair of neighbouring pixels' bytes is shuffled into 16-bit
// lanes (r0 r1 g0 g1 b0 b1 a0 a1) and one multiply-add against (w0 w1 w0 w1 ...) gives the four 32-bit channel
// sums: i32x4.dot_i16x8_s in wasm, pmaddwd natively. Exact integer arithmetic, so it matches the scalar loop bit
// for bit. In wasm (the 12 MP -> 1000 px JPEG job's profile) the pass went from 14.5% of the run, one tap and
// one pixel widened to 32 bits at a time, to 10.5%; each row's pairs are now made once (pair_row).

// Each output pixel's weights as pairs, (w0 w1) repeated four times per 16 bytes; an odd count gets a zero partner.
struct PairedWeights {
  std::vector<int16_t> lanes;
  uint32_t max_pairs = 0;
};

#if defined(__wasm_simd128__) || defined(__SSE4_1__)
#define EP_PAIRED_TAPS 1
#if defined(__wasm_simd128__)
typedef v128_t Vec;
inline Vec load8(const uint8_t* p) { return wasm_v128_load64_zero(p); }
inline Vec load16(const void* p) { return wasm_v128_load(p); }
inline void store16(void* p, Vec v) { wasm_v128_store(p, v); }
inline Vec splat32(int32_t v) { return wasm_i32x4_splat(v); }
inline Vec shift_right(Vec v, int bits) { return wasm_i32x4_shr(v, bits); }
inline Vec pack_words(Vec a, Vec b) { return wasm_i16x8_narrow_i32x4(a, b); }  // signed saturation
inline Vec pack_bytes(Vec a, Vec b) { return wasm_u8x16_narrow_i16x8(a, b); }  // unsigned saturation
inline uint32_t low32(Vec v) { return uint32_t(wasm_i32x4_extract_lane(v, 0)); }
// Bytes 0..2C-1 of `v` (two pixels of C channels) to 16-bit lanes, channel by channel, the pixels interleaved.
// Widen, then one single-input shuffle of 16-bit lanes (a pshufb); for RGB the last two lanes are the third
// pixel's red and green, summed into the unused fourth channel.
template <int C>
inline Vec interleave_pair(Vec v) {
  const Vec w = wasm_u16x8_extend_low_u8x16(v);
  if (C == 4) return wasm_i8x16_shuffle(w, w, 0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
  return wasm_i8x16_shuffle(w, w, 0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11, 12, 13, 14, 15);
}
// Bytes of rows a and b alternated (a0 b0 a1 b1 ...), low and high halves; widen_* makes them 16-bit lanes.
inline Vec interleave_low(Vec a, Vec b) { return wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23); }
inline Vec interleave_high(Vec a, Vec b) { return wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31); }
inline Vec widen_low(Vec v) { return wasm_u16x8_extend_low_u8x16(v); }
inline Vec widen_high(Vec v) { return wasm_u16x8_extend_high_u8x16(v); }
inline Vec multiply_add(Vec a, Vec b) { return wasm_i32x4_dot_i16x8(a, b); }
inline Vec add(Vec a, Vec b) { return wasm_i32x4_add(a, b); }
#else
typedef __m128i Vec;
inline Vec load8(const uint8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); }
inline Vec load16(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
inline void store16(void* p, Vec v) { _mm_storeu_si128(static_cast<__m128i*>(p), v); }
inline Vec splat32(int32_t v) { return _mm_set1_epi32(v); }
inline Vec shift_right(Vec v, int bits) { return _mm_srai_epi32(v, bits); }
inline Vec pack_words(Vec a, Vec b) { return _mm_packs_epi32(a, b); }
inline Vec pack_bytes(Vec a, Vec b) { return _mm_packus_epi16(a, b); }
inline uint32_t low32(Vec v) { return uint32_t(_mm_cvtsi128_si32(v)); }
inline Vec interleave_low(Vec a, Vec b) { return _mm_unpacklo_epi8(a, b); }
inline Vec interleave_high(Vec a, Vec b) { return _mm_unpackhi_epi8(a, b); }
inline Vec widen_low(Vec v) { return _mm_cvtepu8_epi16(v); }
inline Vec widen_high(Vec v) { return _mm_unpackhi_epi8(v, _mm_setzero_si128()); }
template <int C>
inline Vec interleave_pair(Vec v) {
  const __m128i order = C == 4 ? _mm_setr_epi8(0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1)
                               : _mm_setr_epi8(0, -1, 3, -1, 1, -1, 4, -1, 2, -1, 5, -1, -1, -1, -1, -1);
  return _mm_shuffle_epi8(v, order);
}
inline Vec multiply_add(Vec a, Vec b) { return _mm_madd_epi16(a, b); }
inline Vec add(Vec a, Vec b) { return _mm_add_epi32(a, b); }
#endif

// On top of either set of primitives:
inline Vec zero() { return splat32(0); }
// (w0 w1) in every 32-bit lane: the 16-bit weight pairs multiply_add takes.
inline Vec splat_pair(int16_t w0, int16_t w1) { return splat32(int32_t(uint16_t(w0)) | int32_t(uint32_t(uint16_t(w1)) << 16)); }
// (sum + 0.5) >> 14 in each 32-bit lane: clamp_to_byte without the clamp, which the packs below saturate.
inline Vec rounded(Vec sum) { return shift_right(add(sum, splat32(kHalf)), FilterWeights::kPrecisionBits); }
// Four vectors of sums to sixteen bytes.
inline Vec round_to_bytes(Vec a, Vec b, Vec c, Vec d) {
  return pack_bytes(pack_words(rounded(a), rounded(b)), pack_words(rounded(c), rounded(d)));
}
// One vector of sums to four bytes (lanes 0..3).
inline uint32_t to_bytes(Vec sum) {
  const Vec r = rounded(sum);
  const Vec words = pack_words(r, r);
  return low32(pack_bytes(words, words));
}

PairedWeights pair_weights(const FilterWeights& filter, uint32_t out_width) {
  PairedWeights paired;
  paired.max_pairs = (filter.max_taps + 1) / 2;
  paired.lanes.assign(size_t(out_width) * paired.max_pairs * 8, 0);
  for (uint32_t x = 0; x < out_width; ++x) {
    const int16_t* weight = &filter.weights[size_t(x) * filter.max_taps];
    int16_t* lanes = &paired.lanes[size_t(x) * paired.max_pairs * 8];
    for (uint32_t k = 0; k < filter.count[x]; ++k)
      for (int lane = 0; lane < 4; ++lane) lanes[(k / 2) * 8 + lane * 2 + (k % 2)] = weight[k];
  }
  return paired;
}
#endif

// One output row from one input row; Channels is 3 or 4. The plain fixed-point sum, for builds without SIMD.
template <int Channels>
void resample_row(const uint8_t* in, uint8_t* out, const FilterWeights& filter, uint32_t out_width) {
  for (uint32_t x = 0; x < out_width; ++x, out += Channels) {
    const uint8_t* src = in + size_t(filter.first[x]) * Channels;
    const int16_t* weight = &filter.weights[size_t(x) * filter.max_taps];
    int32_t sum[4] = {0, 0, 0, 0};
    for (uint32_t k = 0; k < filter.count[x]; ++k, src += Channels)
      for (int c = 0; c < Channels; ++c) sum[c] += src[c] * weight[k];
    for (int c = 0; c < Channels; ++c) out[c] = clamp_to_byte(sum[c]);
  }
}

#ifdef EP_PAIRED_TAPS
// Every pixel j of a row beside its right-hand neighbour, channel by channel in 16-bit lanes (r_j r_j+1 g_j g_j+1
// ...): what a pair of taps starting at j multiplies. Made once per row, each is then read by every output pixel
// with a pair of taps there (about three at a 1.5x reduction) instead of being shuffled together again for each.
// Past the row's end the neighbour is zero: only a zero weight (an odd count's partner) ever meets it.
template <int Channels>
void pair_row(const uint8_t* in, uint32_t in_width, int16_t* pairs) {
  uint32_t j = 0;
  // An 8-byte load takes two pixels, and for RGB two bytes of a third, which must still be in the row.
  for (; j + 2 + (Channels == 3 ? 1 : 0) <= in_width; ++j)
    store16(pairs + size_t(j) * 8, interleave_pair<Channels>(load8(in + size_t(j) * Channels)));
  for (; j < in_width; ++j)
    for (int c = 0; c < 4; ++c) {
      pairs[size_t(j) * 8 + c * 2] = int16_t(c < Channels ? in[size_t(j) * Channels + c] : 0);
      pairs[size_t(j) * 8 + c * 2 + 1] = int16_t(c < Channels && j + 1 < in_width ? in[size_t(j + 1) * Channels + c] : 0);
    }
}

// One output row from a paired row: a multiply-add and an add per two taps.
template <int Channels>
void resample_paired_row(const int16_t* pairs, uint8_t* out, const FilterWeights& filter, uint32_t out_width,
                         const PairedWeights& paired) {
  for (uint32_t x = 0; x < out_width; ++x, out += Channels) {
    const int16_t* p = pairs + size_t(filter.first[x]) * 8;
    const int16_t* lanes = &paired.lanes[size_t(x) * paired.max_pairs * 8];
    const uint32_t count = (filter.count[x] + 1) / 2;
    Vec sum = multiply_add(load16(p), load16(lanes));
    for (uint32_t k = 1; k < count; ++k) sum = add(sum, multiply_add(load16(p + k * 16), load16(lanes + k * 8)));
    const uint32_t bytes = to_bytes(sum);
    std::memcpy(out, &bytes, Channels);
  }
}
#endif

// Each output row is a weighted sum of whole input rows. With SIMD, 16 bytes at a time run through all the taps
// in registers, two rows per multiply-add (their bytes interleaved, against (w0 w1) pairs); the rest of the row,
// and builds without SIMD, take the scalar sum. Bit-exact either way.
// `in`'s rows are read from `row_offset` (the filter's row 0) and `byte_offset` (the first column the output
// covers, times the channels).
Status resample_columns(const Image& in, uint32_t row_offset, size_t byte_offset, Image* out,
                        const FilterWeights& filter, Budget* budget) {
  const size_t row_bytes = out->stride();
  std::vector<const uint8_t*> rows(filter.max_taps);
  for (uint32_t y = 0; y < out->height; ++y) {
    EP_TRY(charge(budget, uint64_t(out->width) * filter.max_taps));
    const int16_t* weight = &filter.weights[size_t(y) * filter.max_taps];
    const uint32_t count = filter.count[y];
    for (uint32_t k = 0; k < count; ++k) rows[k] = in.row(filter.first[y] + k - row_offset) + byte_offset;
    uint8_t* dst = out->row(y);
    size_t i = 0;
#ifdef EP_PAIRED_TAPS
    for (; i + 16 <= row_bytes; i += 16) {
      Vec sum0 = zero(), sum1 = zero(), sum2 = zero(), sum3 = zero();
      for (uint32_t k = 0; k < count; k += 2) {
        const bool pair = k + 1 < count;
        const Vec a = load16(rows[k] + i);
        const Vec b = pair ? load16(rows[k + 1] + i) : a;
        const Vec w = splat_pair(weight[k], pair ? weight[k + 1] : 0);
        const Vec low = interleave_low(a, b), high = interleave_high(a, b);
        sum0 = add(sum0, multiply_add(widen_low(low), w));
        sum1 = add(sum1, multiply_add(widen_high(low), w));
        sum2 = add(sum2, multiply_add(widen_low(high), w));
        sum3 = add(sum3, multiply_add(widen_high(high), w));
      }
      store16(dst + i, round_to_bytes(sum0, sum1, sum2, sum3));
    }
#endif
    for (; i < row_bytes; ++i) {
      int32_t sum = 0;
      for (uint32_t k = 0; k < count; ++k) sum += rows[k][i] * weight[k];
      dst[i] = clamp_to_byte(sum);
    }
  }
  return {};
}

// One output row from each `in` row, horizontally.
Status resample_rows(const Image& in, uint32_t first_row, Image* out, const FilterWeights& filter, Budget* budget) {
  const bool rgba = in.channels == 4;
  const uint64_t row_units = uint64_t(out->width) * filter.max_taps;
#ifdef EP_PAIRED_TAPS
  const PairedWeights paired = pair_weights(filter, out->width);
  std::vector<int16_t> pairs(size_t(in.width) * 8);
  for (uint32_t y = 0; y < out->height; ++y) {
    EP_TRY(charge(budget, row_units));
    if (rgba) {
      pair_row<4>(in.row(first_row + y), in.width, pairs.data());
      resample_paired_row<4>(pairs.data(), out->row(y), filter, out->width, paired);
    } else {
      pair_row<3>(in.row(first_row + y), in.width, pairs.data());
      resample_paired_row<3>(pairs.data(), out->row(y), filter, out->width, paired);
    }
  }
#else
  for (uint32_t y = 0; y < out->height; ++y) {
    EP_TRY(charge(budget, row_units));
    if (rgba)
      resample_row<4>(in.row(first_row + y), out->row(y), filter, out->width);
    else
      resample_row<3>(in.row(first_row + y), out->row(y), filter, out->width);
  }
#endif
  return {};
}

// A tap costs about three times as much in the horizontal pass (four pixels' channels per multiply-add) as in the
// vertical one (sixteen bytes of two rows per multiply-add): measured in wasm on the 12 MP -> 1000 px job, 14.6%
// of the run for 11.3 M horizontal taps against 3.5% for 7.5 M vertical ones, when every output pixel still
// shuffled its own pairs. With the pairs made once per row the ratio measured about 2.3; for a uniform downscale
// any ratio above 1 puts the vertical pass first, so the order chosen is the same.
constexpr double kHorizontalTapCost = 3;

}  // namespace

double lanczos3(double x) {
  if (x == 0) return 1;
  if (x <= -3 || x >= 3) return 0;
  const double pi_x = M_PI * x;
  return 3 * std::sin(pi_x) * std::sin(pi_x / 3) / (pi_x * pi_x);
}

// Which pass goes first: the one that leaves the other less to do. Downscaling by the same factor both ways, the
// vertical pass first reads more pixels but at its lower cost, and the horizontal pass then runs on the output
// rows only: 17% less work on that job. Upscaling, the horizontal pass goes first.
bool vertical_pass_first(const FilterWeights& columns, const FilterWeights& rows) {
  const auto span = [](const FilterWeights& f) { return double(f.first.back() + f.count.back() - f.first.front()); };
  const double width = double(columns.first.size()), height = double(rows.first.size());
  const double horizontal_tap = kHorizontalTapCost * columns.max_taps, vertical_tap = rows.max_taps;
  const double horizontal_then_vertical = span(rows) * width * horizontal_tap + height * width * vertical_tap;
  const double vertical_then_horizontal = height * span(columns) * vertical_tap + height * width * horizontal_tap;
  return vertical_then_horizontal < horizontal_then_vertical;
}

uint32_t lanczos3_max_taps(double region_size, uint32_t out_size) {
  const double stretch = std::max(region_size / out_size, 1.0);
  return uint32_t(std::ceil(3 * stretch)) * 2 + 1;
}

FilterWeights lanczos3_weights(uint32_t in_size, double region_start, double region_size, uint32_t out_size) {
  const double scale = region_size / out_size;  // input pixels per output pixel
  const double stretch = std::max(scale, 1.0);  // a downscale widens the filter to low-pass the input
  const double support = 3 * stretch;
  FilterWeights filter;
  filter.max_taps = lanczos3_max_taps(region_size, out_size);
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

Result<Image> resize(Image image, Window window, uint32_t width, uint32_t height, Budget* budget) {
  // At 1:1 a fractional offset would only blur (a pure crop, or a scaled decode that landed on the size): take
  // whole pixels.
  if (window.width == width && window.height == height && width <= image.width && height <= image.height) {
    EP_TRY(charge(budget, uint64_t(width) * height));
    const uint32_t x = std::min(uint32_t(std::floor(window.x + 1e-6)), image.width - width);
    const uint32_t y = std::min(uint32_t(std::floor(window.y + 1e-6)), image.height - height);
    return crop(image, {x, y, width, height});
  }
  FilterWeights columns = lanczos3_weights(image.width, window.x, window.width, width);
  const FilterWeights rows = lanczos3_weights(image.height, window.y, window.height, height);
  // Only the input rows and columns some output pixel reads are resampled in the first pass.
  const uint32_t first_row = rows.first.front(), end_row = rows.first.back() + rows.count.back();
  const uint32_t first_column = columns.first.front(), end_column = columns.first.back() + columns.count.back();
  if (vertical_pass_first(columns, rows)) {
    Result<Image> vertical = Image::allocate_like(image, end_column - first_column, height);
    if (!vertical.ok()) return vertical;
    EP_TRY(resample_columns(image, 0, size_t(first_column) * image.channels, &vertical.value(), rows, budget));
    image.pixels = Buffer();
    for (uint32_t& first : columns.first) first -= first_column;
    Result<Image> out = Image::allocate_like(vertical.value(), width, height);
    if (!out.ok()) return out;
    EP_TRY(resample_rows(vertical.value(), 0, &out.value(), columns, budget));
    return out;
  }
  Result<Image> horizontal = Image::allocate_like(image, width, end_row - first_row);
  if (!horizontal.ok()) return horizontal;
  EP_TRY(resample_rows(image, first_row, &horizontal.value(), columns, budget));
  image.pixels = Buffer();
  Result<Image> out = Image::allocate_like(horizontal.value(), width, height);
  if (!out.ok()) return out;
  EP_TRY(resample_columns(horizontal.value(), first_row, 0, &out.value(), rows, budget));
  return out;
}

uint64_t resize_work_units(uint32_t in_width, uint32_t in_height, Window window, uint32_t width, uint32_t height) {
  const uint64_t column_taps = lanczos3_max_taps(window.width, width), row_taps = lanczos3_max_taps(window.height, height);
  // The first pass covers the window and the taps beyond its edges, within the image.
  const uint64_t columns = std::min<uint64_t>(in_width, uint64_t(std::ceil(window.width)) + column_taps);
  const uint64_t rows = std::min<uint64_t>(in_height, uint64_t(std::ceil(window.height)) + row_taps);
  const uint64_t second = uint64_t(width) * height;
  return std::max(columns * height * row_taps + second * column_taps, width * rows * column_taps + second * row_taps);
}

}  // namespace edgepix
