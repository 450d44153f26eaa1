#include "ops/orient.h"

#include <cstring>

namespace edgepix {

Result<Image> orient(Image image, uint8_t orientation) {
  if (orientation <= 1 || orientation > 8) return image;
  const bool swap = orientation_swaps_axes(orientation);
  const uint32_t sw = image.width, sh = image.height;
  Result<Image> out = Image::allocate(swap ? sh : sw, swap ? sw : sh, image.channels);
  if (!out.ok()) return out;
  out->premultiplied = image.premultiplied;
  const uint32_t channels = image.channels;
  // For each upright pixel (x, y), the stored pixel it comes from: a step per output pixel along x and the
  // start of each output row, so the inner loop is one copy and two additions.
  for (uint32_t y = 0; y < out->height; ++y) {
    int64_t sx = 0, sy = 0, dx = 0, dy = 0;
    switch (orientation) {
      case 2: sx = sw - 1; sy = y; dx = -1; break;             // mirrored
      case 3: sx = sw - 1; sy = sh - 1 - y; dx = -1; break;    // rotated 180
      case 4: sx = 0; sy = sh - 1 - y; dx = 1; break;          // flipped vertically
      case 5: sx = y; sy = 0; dy = 1; break;                   // transposed
      case 6: sx = y; sy = sh - 1; dy = -1; break;             // rotated 90 clockwise
      case 7: sx = sw - 1 - y; sy = sh - 1; dy = -1; break;    // transversed
      case 8: sx = sw - 1 - y; sy = 0; dy = 1; break;          // rotated 90 counter-clockwise
    }
    uint8_t* dst = out->row(y);
    const int64_t step = (dy * int64_t(sw) + dx) * channels;
    const uint8_t* src = image.pixels.data() + (sy * int64_t(sw) + sx) * channels;
    for (uint32_t x = 0; x < out->width; ++x, dst += channels, src += step) std::memcpy(dst, src, channels);
  }
  return out;
}

}  // namespace edgepix
