#include "ops/colour.h"

#include <algorithm>

namespace edgepix {

namespace {
// A premultiplied channel back to straight colour, rounded. Resampling can leave a colour above its alpha
// (Lanczos overshoot): clamped after dividing.
inline unsigned straight(unsigned premultiplied, unsigned a) { return std::min(255u, (premultiplied * 255u + a / 2) / a); }
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
    for (int c = 0; c < 3; ++c) p[c] = uint8_t(straight(p[c], a));
  }
  image->premultiplied = false;
}

// Below alpha 16 premultiplied values keep 16 or fewer levels of colour, and dividing by alpha turns them into
// straight colours that jump by 16 or more between neighbours: noise that composites to nothing visible, but that a
// lossy encoder spends bits on. Every straight colour in [lo, hi] premultiplies back to the same value, so there each
// channel takes the one nearest the average of its left and upper neighbours' final colours: composited over any
// background the image is what the exact division gives (within one level), and smooth where it was noise. On the
// bench's photo cut-out (feathered edge) the WebP q85 is 6% smaller (14956 -> 14058 bytes) at SSIM 0.99503 against
// 0.99528. Smoothing up to alpha 48 saved no more bytes and cost 0.0005 more SSIM, so the rest stay exact.
constexpr unsigned kSmoothBelowAlpha = 16;

void unpremultiply_smooth(Image* image) {
  if (image->channels != 4 || !image->premultiplied) return;
  const uint32_t width = image->width;
  for (uint32_t y = 0; y < image->height; ++y) {
    uint8_t* p = image->row(y);
    const uint8_t* up = y > 0 ? image->row(y - 1) : nullptr;
    for (uint32_t x = 0; x < width; ++x, p += 4) {
      const unsigned a = p[3];
      if (a == 255) continue;
      if (a == 0) {
        p[0] = p[1] = p[2] = 0;
        continue;
      }
      const uint8_t* left = x > 0 && p[-1] != 0 ? p - 4 : nullptr;
      const uint8_t* above = up && up[size_t(x) * 4 + 3] != 0 ? up + size_t(x) * 4 : nullptr;
      const bool smooth = a < kSmoothBelowAlpha && (left || above);
      for (int c = 0; c < 3; ++c) {
        const unsigned premultiplied = p[c];
        const unsigned exact = straight(premultiplied, a);
        // Overshoot above alpha has no straight colour that premultiplies to it: kept clamped.
        if (!smooth || mul_div255(exact, a) != premultiplied) {
          p[c] = uint8_t(exact);
          continue;
        }
        // The straight values whose premultiplied form is this one: a run around `exact`.
        unsigned lo = exact, hi = exact;
        while (lo > 0 && mul_div255(lo - 1, a) == premultiplied) --lo;
        while (hi < 255 && mul_div255(hi + 1, a) == premultiplied) ++hi;
        const unsigned guess = left && above ? (left[c] + above[c] + 1) / 2 : left ? left[c] : above[c];
        p[c] = uint8_t(std::clamp(guess, lo, hi));
      }
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
