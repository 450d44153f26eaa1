// Alpha bookkeeping between stages: premultiply before resampling, back to straight alpha (or flattened onto a
// background) before encoding.
#pragma once
#include "core/image.h"

namespace edgepix {
// Exact round(a * b / 255) for bytes, without a division.
inline uint8_t mul_div255(unsigned a, unsigned b) {
  const unsigned t = a * b + 128;
  return uint8_t((t + (t >> 8)) >> 8);
}
void premultiply(Image* image);
void unpremultiply(Image* image);
// The same image composited over any background, but where alpha is below 16 each colour is the one nearest its
// neighbours' among those that premultiply to the same value: for lossy encoders, which would spend bits on the
// noise that exact division leaves there.
void unpremultiply_smooth(Image* image);
bool is_opaque(const Image& image);
// RGBA (either form) to RGB: drops alpha when every pixel is opaque, else composites onto `background`.
void flatten(Image* image, Rgba background);
// RGB to RGBA (opaque), for a transparent pad or canvas.
Result<Image> add_alpha(const Image& image);
}  // namespace edgepix
