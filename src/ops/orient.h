// Applies an EXIF orientation (1..8) so the image is upright: values 5..8 swap width and height.
#pragma once
#include "core/image.h"

namespace edgepix {
inline bool orientation_swaps_axes(uint8_t orientation) { return orientation >= 5 && orientation <= 8; }
Result<Image> orient(Image image, uint8_t orientation);
// The one orientation equal to EXIF `exif`, then a horizontal/vertical flip, then a clockwise rotation by
// `rotate` degrees (Cloudflare flips before it rotates).
uint8_t compose_orientation(uint8_t exif, bool flip_horizontal, bool flip_vertical, uint16_t rotate);
}  // namespace edgepix
