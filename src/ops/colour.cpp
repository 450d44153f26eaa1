#include "ops/colour.h"

namespace edgepix {

namespace {
// Exact round(a * b / 255) for bytes, without a division.
inline uint8_t mul_div255(unsigned a, unsigned b) {
  const unsigned t = a * b + 128;
  return uint8_t((t + (t >> 8)) >> 8);
}
}  // namespace

void premultiply(Image* image) {
  if (image->channels != 4 || image->premultiplied) return;
  uint8_t* p = image->pixels.data();
  for (size_t i = 0, n = size_t(image->width) * image->height; i < n; ++i, p += 4) {
    const unsigned a = p[3];
    if (a == 255) continue;
    p[0] = mul_div255(p[0], a);
    p[1] = mul_div255(p[1], a);
    p[2] = mul_div255(p[2], a);
  }
  image->premultiplied = true;
}

void unpremultiply(Image* image) {
  if (image->channels != 4 || !image->premultiplied) return;
  uint8_t* p = image->pixels.data();
  for (size_t i = 0, n = size_t(image->width) * image->height; i < n; ++i, p += 4) {
    const unsigned a = p[3];
    if (a == 255) continue;
    if (a == 0) {
      p[0] = p[1] = p[2] = 0;
      continue;
    }
    // Resampling can leave a colour above its alpha (Lanczos overshoot); clamp after dividing.
    for (int c = 0; c < 3; ++c) {
      const unsigned v = (p[c] * 255u + a / 2) / a;
      p[c] = uint8_t(v > 255 ? 255 : v);
    }
  }
  image->premultiplied = false;
}

bool is_opaque(const Image& image) {
  if (image.channels != 4) return true;
  const uint8_t* p = image.pixels.data();
  unsigned all = 255;
  for (size_t i = 0, n = size_t(image.width) * image.height; i < n; ++i) all &= p[i * 4 + 3];
  return all == 255;
}

void flatten(Image* image, Rgba background) {
  if (image->channels != 4) return;
  const bool premultiplied = image->premultiplied;
  uint8_t* p = image->pixels.data();
  const size_t n = size_t(image->width) * image->height;
  const uint8_t bg[3] = {background.r, background.g, background.b};
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = p + i * 4;
    uint8_t* dst = p + i * 3;  // writes trail reads: in place is safe
    const unsigned a = src[3];
    for (int c = 0; c < 3; ++c) {
      const unsigned colour = premultiplied ? src[c] : mul_div255(src[c], a);
      const unsigned v = colour + mul_div255(bg[c], 255 - a);
      dst[c] = uint8_t(v > 255 ? 255 : v);
    }
  }
  image->channels = 3;
  image->premultiplied = false;
  image->pixels.resize(n * 3);
}

Result<Image> add_alpha(const Image& image) {
  Result<Image> out = Image::allocate(image.width, image.height, 4);
  if (!out.ok()) return out;
  const uint8_t* src = image.pixels.data();
  uint8_t* dst = out->pixels.data();
  for (size_t i = 0, n = size_t(image.width) * image.height; i < n; ++i) {
    dst[i * 4] = src[i * 3];
    dst[i * 4 + 1] = src[i * 3 + 1];
    dst[i * 4 + 2] = src[i * 3 + 2];
    dst[i * 4 + 3] = 255;
  }
  out->premultiplied = true;  // opaque: both forms are the same
  return out;
}

}  // namespace edgepix
