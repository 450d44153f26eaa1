/*
 * libjpeg-turbo's SIMD hooks (jsimd.h, jsimddct.h) in WebAssembly SIMD128: ours, for the wasm presets. The recipe
 * (third_party/recipes/libjpeg-turbo.sh) puts this file in place of jsimd_none.c, where every hook answers "no",
 * and builds with WITH_SIMD defined, which makes DCTELEM 16 bits wide as the SIMD kernels expect.
 *
 * Why these hooks: in the wasm profile of a 12 MP JPEG -> 1000 px JPEG the scalar C of the progressive encoder's
 * coefficient preparation (10%), quantisation (5%), chroma upsampling (3%) and colour conversion (4% with RGB
 * output) had SIMD versions natively but not in wasm. Each kernel gives exactly the C code's result (integer
 * arithmetic only, the same roundings), so output does not depend on which build made it: the wasm module's
 * JPEGs equal the native build's (x86 SIMD) byte for byte, a test checks it. Hooks not written here answer "no"
 * and libjpeg runs its C.
 *
 * Without SIMD128 (no build of ours, but this file must still compile) every hook answers "no".
 */

#define JPEG_INTERNALS
#include "jinclude.h"
#include "jpeglib.h"
#include "jsimd.h"
#include "jdct.h"
#include "jsimddct.h"

#if defined(__wasm_simd128__) && BITS_IN_JSAMPLE == 8
#define WASM_HOOKS 1
#include <stdint.h>
#include <wasm_simd128.h>
#else
#define WASM_HOOKS 0
#endif

#if WASM_HOOKS

static inline JSAMPLE clamp_sample(int v)
{
  return (JSAMPLE)(v < 0 ? 0 : v > MAXJSAMPLE ? MAXJSAMPLE : v);
}

/* --- YCbCr -> RGB (decoder), as jdcolor.c's tables compute it ------------------------------------------------ */

#define YCC_SCALEBITS  16
#define YCC_HALF       ((int32_t)1 << (YCC_SCALEBITS - 1))
#define YCC_FIX(x)     ((int32_t)((x) * (1L << YCC_SCALEBITS) + 0.5))

static inline void ycc_pixel(int y, int cb, int cr, JSAMPLE *r, JSAMPLE *g, JSAMPLE *b)
{
  const int32_t xb = cb - CENTERJSAMPLE, xr = cr - CENTERJSAMPLE;
  *r = clamp_sample(y + ((YCC_FIX(1.40200) * xr + YCC_HALF) >> YCC_SCALEBITS));
  *g = clamp_sample(y + ((-YCC_FIX(0.34414) * xb + YCC_HALF - YCC_FIX(0.71414) * xr) >> YCC_SCALEBITS));
  *b = clamp_sample(y + ((YCC_FIX(1.77200) * xb + YCC_HALF) >> YCC_SCALEBITS));
}

/* Four pixels' R, G and B as 32-bit lanes, from their Y, Cb - 128 and Cr - 128. */
static inline void ycc_quarter(v128_t y, v128_t xb, v128_t xr, v128_t *r, v128_t *g, v128_t *b)
{
  const v128_t half = wasm_i32x4_splat(YCC_HALF);
  *r = wasm_i32x4_add(y, wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(xr, wasm_i32x4_splat(YCC_FIX(1.40200))), half),
                                        YCC_SCALEBITS));
  *g = wasm_i32x4_add(y, wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_mul(xb, wasm_i32x4_splat(-YCC_FIX(0.34414))), half),
                                                       wasm_i32x4_mul(xr, wasm_i32x4_splat(-YCC_FIX(0.71414)))),
                                        YCC_SCALEBITS));
  *b = wasm_i32x4_add(y, wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(xb, wasm_i32x4_splat(YCC_FIX(1.77200))), half),
                                        YCC_SCALEBITS));
}

/* Sixteen bytes to 16-bit lanes, then (centred) to 32-bit lanes, in pixel order. */
static inline void widen_bytes(v128_t v, int centre, v128_t out[4])
{
  const v128_t lo = wasm_u16x8_extend_low_u8x16(v), hi = wasm_u16x8_extend_high_u8x16(v);
  const v128_t c = wasm_i32x4_splat(centre);
  out[0] = wasm_i32x4_sub(wasm_u32x4_extend_low_u16x8(lo), c);
  out[1] = wasm_i32x4_sub(wasm_u32x4_extend_high_u16x8(lo), c);
  out[2] = wasm_i32x4_sub(wasm_u32x4_extend_low_u16x8(hi), c);
  out[3] = wasm_i32x4_sub(wasm_u32x4_extend_high_u16x8(hi), c);
}

/* Four vectors of 32-bit lanes to sixteen bytes, clamped to 0..255 by the saturating narrows. */
static inline v128_t narrow_to_bytes(const v128_t v[4])
{
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(v[0], v[1]), wasm_i16x8_narrow_i32x4(v[2], v[3]));
}

/* Sixteen pixels' R, G, B planes to 48 bytes R G B R G B ... */
static inline void store_rgb(JSAMPROW out, v128_t r, v128_t g, v128_t b)
{
  v128_t t;
  t = wasm_i8x16_shuffle(r, g, 0, 16, 0, 1, 17, 0, 2, 18, 0, 3, 19, 0, 4, 20, 0, 5);
  wasm_v128_store(out, wasm_i8x16_shuffle(t, b, 0, 1, 16, 3, 4, 17, 6, 7, 18, 9, 10, 19, 12, 13, 20, 15));
  t = wasm_i8x16_shuffle(r, g, 21, 0, 6, 22, 0, 7, 23, 0, 8, 24, 0, 9, 25, 0, 10, 26);
  wasm_v128_store(out + 16, wasm_i8x16_shuffle(t, b, 0, 21, 2, 3, 22, 5, 6, 23, 8, 9, 24, 11, 12, 25, 14, 15));
  t = wasm_i8x16_shuffle(r, g, 0, 11, 27, 0, 12, 28, 0, 13, 29, 0, 14, 30, 0, 15, 31, 0);
  wasm_v128_store(out + 32, wasm_i8x16_shuffle(t, b, 26, 1, 2, 27, 4, 5, 28, 7, 8, 29, 10, 11, 30, 13, 14, 31));
}

static void ycc_rgb_row(JSAMPROW y_row, JSAMPROW cb_row, JSAMPROW cr_row, JSAMPROW out, JDIMENSION width)
{
  JDIMENSION col = 0;
  for (; col + 16 <= width; col += 16, out += 48) {
    v128_t y[4], xb[4], xr[4], r[4], g[4], b[4];
    int q;
    widen_bytes(wasm_v128_load(y_row + col), 0, y);
    widen_bytes(wasm_v128_load(cb_row + col), CENTERJSAMPLE, xb);
    widen_bytes(wasm_v128_load(cr_row + col), CENTERJSAMPLE, xr);
    for (q = 0; q < 4; q++) ycc_quarter(y[q], xb[q], xr[q], &r[q], &g[q], &b[q]);
    store_rgb(out, narrow_to_bytes(r), narrow_to_bytes(g), narrow_to_bytes(b));
  }
  for (; col < width; col++, out += 3) ycc_pixel(y_row[col], cb_row[col], cr_row[col], out, out + 1, out + 2);
}

/* --- interleaved -> planes (encoder's "null" conversion, YCbCr in) ------------------------------------------ */

static void split3_row(JSAMPROW in, JSAMPROW out0, JSAMPROW out1, JSAMPROW out2, JDIMENSION width)
{
  JDIMENSION col = 0;
  for (; col + 16 <= width; col += 16, in += 48) {
    const v128_t a = wasm_v128_load(in), b = wasm_v128_load(in + 16), c = wasm_v128_load(in + 32);
    v128_t t;
    t = wasm_i8x16_shuffle(a, b, 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
    wasm_v128_store(out0 + col, wasm_i8x16_shuffle(t, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29));
    t = wasm_i8x16_shuffle(a, b, 1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0);
    wasm_v128_store(out1 + col, wasm_i8x16_shuffle(t, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30));
    t = wasm_i8x16_shuffle(a, b, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0);
    wasm_v128_store(out2 + col, wasm_i8x16_shuffle(t, c, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31));
  }
  for (; col < width; col++, in += 3) {
    out0[col] = in[0];
    out1[col] = in[1];
    out2[col] = in[2];
  }
}

/* --- "fancy" (triangle-filter) chroma upsampling, as jdsample.c --------------------------------------------- */

/* Even and odd outputs, each sixteen bytes, interleaved into 32 output bytes. */
static inline void store_interleaved(JSAMPROW out, v128_t even, v128_t odd)
{
  wasm_v128_store(out, wasm_i8x16_shuffle(even, odd, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
  wasm_v128_store(out + 16, wasm_i8x16_shuffle(even, odd, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31));
}

/* (a * 3 + b + bias) >> shift for 16-bit lanes. */
static inline v128_t weigh(v128_t a, v128_t b, int bias, int shift)
{
  return wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(wasm_i16x8_mul(a, wasm_i16x8_splat(3)), b), wasm_i16x8_splat(bias)),
                        shift);
}

/* One row, twice as wide: output 2i is (3 in[i] + in[i-1] + 1) / 4, output 2i+1 is (3 in[i] + in[i+1] + 2) / 4. */
static void h2v1_row(JSAMPROW in, JSAMPROW out, JDIMENSION width)
{
  JDIMENSION i = 1;
  out[0] = in[0];
  out[1] = (JSAMPLE)((in[0] * 3 + in[1] + 2) >> 2);
  for (; i + 17 <= width; i += 16) {
    const v128_t left = wasm_v128_load(in + i - 1), here = wasm_v128_load(in + i), right = wasm_v128_load(in + i + 1);
    const v128_t here_lo = wasm_u16x8_extend_low_u8x16(here), here_hi = wasm_u16x8_extend_high_u8x16(here);
    const v128_t even = wasm_u8x16_narrow_i16x8(weigh(here_lo, wasm_u16x8_extend_low_u8x16(left), 1, 2),
                                                weigh(here_hi, wasm_u16x8_extend_high_u8x16(left), 1, 2));
    const v128_t odd = wasm_u8x16_narrow_i16x8(weigh(here_lo, wasm_u16x8_extend_low_u8x16(right), 2, 2),
                                               weigh(here_hi, wasm_u16x8_extend_high_u8x16(right), 2, 2));
    store_interleaved(out + 2 * i, even, odd);
  }
  for (; i + 1 < width; i++) {
    out[2 * i] = (JSAMPLE)((in[i] * 3 + in[i - 1] + 1) >> 2);
    out[2 * i + 1] = (JSAMPLE)((in[i] * 3 + in[i + 1] + 2) >> 2);
  }
  out[2 * i] = (JSAMPLE)((in[i] * 3 + in[i - 1] + 1) >> 2);
  out[2 * i + 1] = in[i];
}

/* One output row of a 2x2 upsampling from the nearer input row and the farther one: column sums
   s[i] = 3 near[i] + far[i], then outputs (3 s[i] + s[i-1] + 8) / 16 and (3 s[i] + s[i+1] + 7) / 16. */
static void h2v2_row(JSAMPROW near, JSAMPROW far, JSAMPROW out, JDIMENSION width)
{
  JDIMENSION i = 1;
  int last = near[0] * 3 + far[0], here = near[1] * 3 + far[1];
  out[0] = (JSAMPLE)((last * 4 + 8) >> 4);
  out[1] = (JSAMPLE)((last * 3 + here + 7) >> 4);
  for (; i + 17 <= width; i += 16) {
    v128_t s[3][2];
    int k;
    for (k = 0; k < 3; k++) {
      const v128_t n = wasm_v128_load(near + i - 1 + k), f = wasm_v128_load(far + i - 1 + k);
      s[k][0] = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(n), wasm_i16x8_splat(3)),
                               wasm_u16x8_extend_low_u8x16(f));
      s[k][1] = wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(n), wasm_i16x8_splat(3)),
                               wasm_u16x8_extend_high_u8x16(f));
    }
    store_interleaved(out + 2 * i,
                      wasm_u8x16_narrow_i16x8(weigh(s[1][0], s[0][0], 8, 4), weigh(s[1][1], s[0][1], 8, 4)),
                      wasm_u8x16_narrow_i16x8(weigh(s[1][0], s[2][0], 7, 4), weigh(s[1][1], s[2][1], 7, 4)));
  }
  last = near[i - 1] * 3 + far[i - 1];
  here = near[i] * 3 + far[i];
  for (; i + 1 < width; i++) {
    const int next = near[i + 1] * 3 + far[i + 1];
    out[2 * i] = (JSAMPLE)((here * 3 + last + 8) >> 4);
    out[2 * i + 1] = (JSAMPLE)((here * 3 + next + 7) >> 4);
    last = here;
    here = next;
  }
  out[2 * i] = (JSAMPLE)((here * 3 + last + 8) >> 4);
  out[2 * i + 1] = (JSAMPLE)((here * 4 + 7) >> 4);
}

/* --- quantisation (encoder), as jcdctmgr.c's quantize() with 16-bit DCTELEM --------------------------------- */

/* The high 16 bits of 16 x 16-bit unsigned products. */
static inline v128_t mulhi_u16(v128_t a, v128_t b)
{
  return wasm_i16x8_shuffle(wasm_u32x4_extmul_low_u16x8(a, b), wasm_u32x4_extmul_high_u16x8(a, b), 1, 3, 5, 7, 9, 11,
                            13, 15);
}

/* --- progressive encoder's coefficient preparation, as jcphuff.c ------------------------------------------- */

/* Coefficients k..k+7 of the scan, in zigzag order; lanes at or past `count` are zero. Eight loads into lanes:
   building the zigzag order from whole rows with constant shuffles instead measured twice as slow in V8. */
static inline v128_t zigzag8(const JCOEF *block, const int *order, int k, int count)
{
  if (k + 8 <= count)
    return wasm_i16x8_make(block[order[k]], block[order[k + 1]], block[order[k + 2]], block[order[k + 3]],
                           block[order[k + 4]], block[order[k + 5]], block[order[k + 6]], block[order[k + 7]]);
  {
    JCOEF lanes[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    int i;
    for (i = 0; k + i < count; i++) lanes[i] = block[order[k + i]];
    return wasm_v128_load(lanes);
  }
}

static inline int top_bit64(uint64_t v)
{
  return 63 - __builtin_clzll(v);
}

#endif /* WASM_HOOKS */

/* --- the hooks ---------------------------------------------------------------------------------------------- */

GLOBAL(int)
jsimd_can_ycc_rgb(void)
{
  return WASM_HOOKS;
}

GLOBAL(void)
jsimd_ycc_rgb_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row, JSAMPARRAY output_buf,
                      int num_rows)
{
#if WASM_HOOKS
  const J_COLOR_SPACE space = cinfo->out_color_space;
  const int red = rgb_red[space], green = rgb_green[space], blue = rgb_blue[space], size = rgb_pixelsize[space];
  const JDIMENSION width = cinfo->output_width;
  for (; num_rows > 0; num_rows--, input_row++) {
    JSAMPROW y = input_buf[0][input_row], cb = input_buf[1][input_row], cr = input_buf[2][input_row];
    JSAMPROW out = *output_buf++;
    JDIMENSION col;
    if (red == 0 && green == 1 && blue == 2 && size == 3) {
      ycc_rgb_row(y, cb, cr, out, width);
      continue;
    }
    /* The other layouts (BGR, RGBX, ...): the unused fourth byte is opaque alpha, as libjpeg writes it. */
    for (col = 0; col < width; col++, out += size) {
      ycc_pixel(y[col], cb[col], cr[col], out + red, out + green, out + blue);
      if (size == 4) out[6 - red - green - blue] = 0xFF;
    }
  }
#endif
}

GLOBAL(int)
jsimd_c_can_null_convert(void)
{
  return WASM_HOOKS;
}

GLOBAL(void)
jsimd_c_null_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf, JDIMENSION output_row,
                     int num_rows)
{
#if WASM_HOOKS
  const int components = cinfo->num_components;
  const JDIMENSION width = cinfo->image_width;
  for (; num_rows > 0; num_rows--, output_row++) {
    JSAMPROW in = *input_buf++;
    int c;
    JDIMENSION col;
    if (components == 3) {
      split3_row(in, output_buf[0][output_row], output_buf[1][output_row], output_buf[2][output_row], width);
      continue;
    }
    for (c = 0; c < components; c++) {
      JSAMPROW out = output_buf[c][output_row];
      for (col = 0; col < width; col++) out[col] = in[col * components + c];
    }
  }
#endif
}

GLOBAL(int)
jsimd_can_h2v1_fancy_upsample(void)
{
  return WASM_HOOKS;
}

GLOBAL(void)
jsimd_h2v1_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                          JSAMPARRAY *output_data_ptr)
{
#if WASM_HOOKS
  JSAMPARRAY output_data = *output_data_ptr;
  int row;
  /* libjpeg only asks for this with downsampled_width > 2. */
  for (row = 0; row < cinfo->max_v_samp_factor; row++)
    h2v1_row(input_data[row], output_data[row], compptr->downsampled_width);
#endif
}

GLOBAL(int)
jsimd_can_h2v2_fancy_upsample(void)
{
  return WASM_HOOKS;
}

GLOBAL(void)
jsimd_h2v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                          JSAMPARRAY *output_data_ptr)
{
#if WASM_HOOKS
  JSAMPARRAY output_data = *output_data_ptr;
  int in_row = 0, out_row = 0;
  /* The row above is the farther one for the upper output row, the row below for the lower; libjpeg's context
     rows make input_data[-1] and input_data[max] valid. */
  for (; out_row < cinfo->max_v_samp_factor; in_row++, out_row += 2) {
    h2v2_row(input_data[in_row], input_data[in_row - 1], output_data[out_row], compptr->downsampled_width);
    h2v2_row(input_data[in_row], input_data[in_row + 1], output_data[out_row + 1], compptr->downsampled_width);
  }
#endif
}

GLOBAL(int)
jsimd_can_quantize(void)
{
  return WASM_HOOKS && sizeof(DCTELEM) == 2 && sizeof(JCOEF) == 2;
}

/* divisors holds, per coefficient: reciprocal, correction (rounding), scale and shift, 64 of each
   (jcdctmgr.c compute_reciprocal). (|x| + correction) * reciprocal >> (16 + shift) is the quotient; shifting
   right by 16 + shift is taking the high half twice, the second time of a product with scale = 2^(16 - shift). */
GLOBAL(void)
jsimd_quantize(JCOEFPTR coef_block, DCTELEM *divisors, DCTELEM *workspace)
{
#if WASM_HOOKS
  int i;
  for (i = 0; i < DCTSIZE2; i += 8) {
    const v128_t x = wasm_v128_load(workspace + i);
    const v128_t sign = wasm_i16x8_shr(x, 15);
    const v128_t magnitude = wasm_i16x8_add(wasm_i16x8_abs(x), wasm_v128_load(divisors + i + DCTSIZE2));
    const v128_t quotient = mulhi_u16(mulhi_u16(magnitude, wasm_v128_load(divisors + i)),
                                      wasm_v128_load(divisors + i + DCTSIZE2 * 2));
    wasm_v128_store(coef_block + i, wasm_i16x8_sub(wasm_v128_xor(quotient, sign), sign));
  }
#endif
}

GLOBAL(int)
jsimd_can_encode_mcu_AC_first_prepare(void)
{
  return WASM_HOOKS && sizeof(JCOEF) == 2 && sizeof(size_t) == 4;
}

/* For the scan's `count` coefficients: |c| >> Al in values[k], the bits to write for it (|c| >> Al, complemented
   when c < 0) in values[k + 64], and which are non-zero in bits[0] (k < 32) and bits[1]. */
GLOBAL(void)
jsimd_encode_mcu_AC_first_prepare(const JCOEF *block, const int *jpeg_natural_order_start, int count, int Al,
                                  UJCOEF *values, size_t *bits)
{
#if WASM_HOOKS
  uint64_t nonzero = 0;
  int k;
  for (k = 0; k < count; k += 8) {
    const v128_t c = zigzag8(block, jpeg_natural_order_start, k, count);
    const v128_t sign = wasm_i16x8_shr(c, 15);
    const v128_t magnitude = wasm_u16x8_shr(wasm_i16x8_abs(c), Al);
    wasm_v128_store(values + k, magnitude);
    wasm_v128_store(values + k + DCTSIZE2, wasm_v128_xor(magnitude, sign));
    nonzero |= (uint64_t)wasm_i16x8_bitmask(wasm_i16x8_ne(magnitude, wasm_i16x8_splat(0))) << k;
  }
  bits[0] = (size_t)nonzero;
  bits[1] = (size_t)(nonzero >> 32);
#endif
}

GLOBAL(int)
jsimd_can_encode_mcu_AC_refine_prepare(void)
{
  return WASM_HOOKS && sizeof(JCOEF) == 2 && sizeof(size_t) == 4;
}

/* For the scan's `count` coefficients: |c| >> Al in absvalues[k]; which are non-zero (bits[0], bits[1]) and, of
   those, which are positive (bits[2], bits[3]); returns the last k whose value is exactly 1 (newly non-zero),
   or 0. */
GLOBAL(int)
jsimd_encode_mcu_AC_refine_prepare(const JCOEF *block, const int *jpeg_natural_order_start, int count, int Al,
                                   UJCOEF *absvalues, size_t *bits)
{
#if WASM_HOOKS
  uint64_t nonzero = 0, positive = 0, ones = 0;
  int k;
  for (k = 0; k < count; k += 8) {
    const v128_t c = zigzag8(block, jpeg_natural_order_start, k, count);
    const v128_t magnitude = wasm_u16x8_shr(wasm_i16x8_abs(c), Al);
    const v128_t is_nonzero = wasm_i16x8_ne(magnitude, wasm_i16x8_splat(0));
    wasm_v128_store(absvalues + k, magnitude);
    nonzero |= (uint64_t)wasm_i16x8_bitmask(is_nonzero) << k;
    positive |= (uint64_t)wasm_i16x8_bitmask(wasm_v128_and(is_nonzero, wasm_i16x8_ge(c, wasm_i16x8_splat(0)))) << k;
    ones |= (uint64_t)wasm_i16x8_bitmask(wasm_i16x8_eq(magnitude, wasm_i16x8_splat(1))) << k;
  }
  bits[0] = (size_t)nonzero;
  bits[1] = (size_t)(nonzero >> 32);
  bits[2] = (size_t)positive;
  bits[3] = (size_t)(positive >> 32);
  return ones ? top_bit64(ones) : 0;
#else
  return 0;
#endif
}

/* Not a libjpeg-turbo hook: our libjpeg-turbo-null-convert-hook.patch adds it (JSIMD_NULL_CONVERT) for the
   decoder's YCbCr kept as YCbCr, three planes interleaved into pixels, which libjpeg does a byte at a time. */
GLOBAL(int)
jsimd_can_null_convert(void)
{
  return WASM_HOOKS;
}

GLOBAL(void)
jsimd_null_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row, JSAMPARRAY output_buf,
                   int num_rows)
{
#if WASM_HOOKS
  const JDIMENSION width = cinfo->output_width;
  for (; num_rows > 0; num_rows--, input_row++) {
    JSAMPROW c0 = input_buf[0][input_row], c1 = input_buf[1][input_row], c2 = input_buf[2][input_row];
    JSAMPROW out = *output_buf++;
    JDIMENSION col = 0;
    for (; col + 16 <= width; col += 16, out += 48)
      store_rgb(out, wasm_v128_load(c0 + col), wasm_v128_load(c1 + col), wasm_v128_load(c2 + col));
    for (; col < width; col++, out += 3) {
      out[0] = c0[col];
      out[1] = c1[col];
      out[2] = c2[col];
    }
  }
#endif
}

/* --- hooks left to libjpeg's C ------------------------------------------------------------------------------ */

GLOBAL(int) jsimd_can_rgb_ycc(void) { return 0; }
GLOBAL(int) jsimd_can_rgb_gray(void) { return 0; }
GLOBAL(int) jsimd_can_ycc_rgb565(void) { return 0; }
GLOBAL(void) jsimd_rgb_ycc_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                   JDIMENSION output_row, int num_rows) {}
GLOBAL(void) jsimd_rgb_gray_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                    JDIMENSION output_row, int num_rows) {}
GLOBAL(void) jsimd_ycc_rgb565_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row,
                                      JSAMPARRAY output_buf, int num_rows) {}

GLOBAL(int) jsimd_can_h2v2_downsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_downsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v2_smooth_downsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                   JSAMPARRAY output_data) {}
GLOBAL(void) jsimd_h2v2_smooth_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr,
                                          JSAMPARRAY input_data, JSAMPARRAY output_data) {}
GLOBAL(void) jsimd_h2v1_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                   JSAMPARRAY output_data) {}

GLOBAL(int) jsimd_can_h2v2_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_int_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h1v2_fancy_upsample(void) { return 0; }
GLOBAL(void) jsimd_int_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_h2v2_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                 JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_h2v1_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                 JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_h1v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr,
                                       JSAMPARRAY input_data, JSAMPARRAY *output_data_ptr) {}

GLOBAL(int) jsimd_can_h2v2_merged_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_merged_upsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_merged_upsample(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION in_row_group_ctr,
                                        JSAMPARRAY output_buf) {}
GLOBAL(void) jsimd_h2v1_merged_upsample(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION in_row_group_ctr,
                                        JSAMPARRAY output_buf) {}

GLOBAL(int) jsimd_can_huff_encode_one_block(void) { return 0; }
GLOBAL(JOCTET *) jsimd_huff_encode_one_block(void *state, JOCTET *buffer, JCOEFPTR block, int last_dc_val,
                                             c_derived_tbl *dctbl, c_derived_tbl *actbl) { return NULL; }

GLOBAL(int) jsimd_can_convsamp(void) { return 0; }
GLOBAL(int) jsimd_can_convsamp_float(void) { return 0; }
GLOBAL(void) jsimd_convsamp(JSAMPARRAY sample_data, JDIMENSION start_col, DCTELEM *workspace) {}
GLOBAL(void) jsimd_convsamp_float(JSAMPARRAY sample_data, JDIMENSION start_col, FAST_FLOAT *workspace) {}
GLOBAL(int) jsimd_can_fdct_islow(void) { return 0; }
GLOBAL(int) jsimd_can_fdct_ifast(void) { return 0; }
GLOBAL(int) jsimd_can_fdct_float(void) { return 0; }
GLOBAL(void) jsimd_fdct_islow(DCTELEM *data) {}
GLOBAL(void) jsimd_fdct_ifast(DCTELEM *data) {}
GLOBAL(void) jsimd_fdct_float(FAST_FLOAT *data) {}
GLOBAL(int) jsimd_can_quantize_float(void) { return 0; }
GLOBAL(void) jsimd_quantize_float(JCOEFPTR coef_block, FAST_FLOAT *divisors, FAST_FLOAT *workspace) {}

GLOBAL(int) jsimd_can_idct_2x2(void) { return 0; }
GLOBAL(int) jsimd_can_idct_4x4(void) { return 0; }
GLOBAL(int) jsimd_can_idct_6x6(void) { return 0; }
GLOBAL(int) jsimd_can_idct_12x12(void) { return 0; }
GLOBAL(int) jsimd_can_idct_islow(void) { return 0; }
GLOBAL(int) jsimd_can_idct_ifast(void) { return 0; }
GLOBAL(int) jsimd_can_idct_float(void) { return 0; }
GLOBAL(void) jsimd_idct_2x2(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                            JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_4x4(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                            JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_6x6(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                            JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_12x12(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_islow(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_ifast(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_float(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
