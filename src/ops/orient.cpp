#include "ops/orient.h"

#include <cstring>

namespace edgepix {

namespace {
// Each orientation as the 2x2 matrix taking stored coordinates (centred, y down) to upright ones.
struct Matrix {
  int a, b, c, d;  // x' = a x + b y, y' = c x + d y
  bool operator==(const Matrix& o) const { return a == o.a && b == o.b && c == o.c && d == o.d; }
  Matrix then(const Matrix& next) const {  // next · this
    return {next.a * a + next.b * c, next.a * b + next.b * d, next.c * a + next.d * c, next.c * b + next.d * d};
  }
};
const Matrix kOrientations[9] = {
    {1, 0, 0, 1},                                 // (unused 0)
    {1, 0, 0, 1},   {-1, 0, 0, 1}, {-1, 0, 0, -1}, {1, 0, 0, -1},  // 1 as stored, 2 mirrored, 3 180°, 4 flipped
    {0, 1, 1, 0},   {0, -1, 1, 0}, {0, -1, -1, 0}, {0, 1, -1, 0},  // 5 transposed, 6 90° cw, 7 transversed, 8 90° ccw
};
}  // namespace

uint8_t compose_orientation(uint8_t exif, bool flip_horizontal, bool flip_vertical, uint16_t rotate) {
  Matrix m = kOrientations[exif >= 1 && exif <= 8 ? exif : 1];
  if (flip_horizontal) m = m.then(kOrientations[2]);
  if (flip_vertical) m = m.then(kOrientations[4]);
  if (rotate == 90) m = m.then(kOrientations[6]);
  if (rotate == 180) m = m.then(kOrientations[3]);
  if (rotate == 270) m = m.then(kOrientations[8]);
  for (uint8_t o = 1; o <= 8; ++o)
    if (kOrientations[o] == m) return o;
  return 1;  // unreachable: the eight matrices form a group
}

Result<Image> orient(Image image, uint8_t orientation) {
  if (orientation <= 1 || orientation > 8) return image;
  const bool swap = orientation_swaps_axes(orientation);
  const uint32_t sw = image.width, sh = image.height;
  Result<Image> out = Image::allocate_like(image, swap ? sh : sw, swap ? sw : sh);
  if (!out.ok()) return out;
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
