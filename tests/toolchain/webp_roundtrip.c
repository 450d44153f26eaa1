/* libwebp as built for the preset (SIMD paths included) round-trips images: lossless is exact, alpha included,
 * and lossy stays close to the original. The input is gradients with fine detail, made here.
 * Returns 0 when every case holds, else the number of the first case that failed. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include "check_export.h"

enum { WIDTH = 157, HEIGHT = 93 }; /* odd sizes reach the SIMD loops' edge handling */

static uint8_t *make_rgba(void) {
  uint8_t *rgba = malloc(WIDTH * HEIGHT * 4);
  for (int y = 0; y < HEIGHT; y++) {
    for (int x = 0; x < WIDTH; x++) {
      uint8_t *pixel = rgba + (y * WIDTH + x) * 4;
      pixel[0] = (uint8_t)(x * 255 / WIDTH);
      pixel[1] = (uint8_t)(y * 255 / HEIGHT);
      pixel[2] = (uint8_t)(128 + 60 * sin(x / 3.0) * cos(y / 5.0)); /* detail for the transforms */
      pixel[3] = (uint8_t)(255 - x);
    }
  }
  return rgba;
}

static double psnr_rgb(const uint8_t *a, const uint8_t *b) {
  double squared = 0;
  for (int i = 0; i < WIDTH * HEIGHT * 4; i++) {
    if (i % 4 == 3) continue;
    double d = (double)a[i] - b[i];
    squared += d * d;
  }
  double mse = squared / (WIDTH * HEIGHT * 3);
  return mse == 0 ? 99 : 10 * log10(255.0 * 255.0 / mse);
}

static int same_bytes(const uint8_t *a, const uint8_t *b, size_t size) {
  for (size_t i = 0; i < size; i++) {
    if (a[i] != b[i]) return 0;
  }
  return 1;
}

EXPORT("webp_roundtrip") int webp_roundtrip(void) {
  uint8_t *original = make_rgba(), *webp = NULL, *decoded = NULL;
  int width = 0, height = 0, failed = 0;
  size_t size = WebPEncodeLosslessRGBA(original, WIDTH, HEIGHT, WIDTH * 4, &webp);
  decoded = size ? WebPDecodeRGBA(webp, size, &width, &height) : NULL;
  if (!decoded || width != WIDTH || height != HEIGHT || !same_bytes(decoded, original, WIDTH * HEIGHT * 4)) {
    failed = 1;
  }
  WebPFree(webp);
  WebPFree(decoded);
  if (!failed) {
    size = WebPEncodeRGBA(original, WIDTH, HEIGHT, WIDTH * 4, 90, &webp);
    decoded = size ? WebPDecodeRGBA(webp, size, &width, &height) : NULL;
    if (!decoded || psnr_rgb(decoded, original) < 30) failed = 2;
    WebPFree(webp);
    WebPFree(decoded);
  }
  free(original);
  return failed;
}

#ifndef __wasm__
int main(void) { return webp_roundtrip(); }
#endif
