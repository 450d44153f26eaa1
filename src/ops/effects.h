// Pixel effects after resizing: blur and sharpen (linear, so they work on premultiplied pixels) and colour
// adjustments (per pixel, on straight alpha).
#pragma once
#include "core/image.h"
#include "plan/plan.h"

namespace edgepix {
// Gaussian blur of the given radius (sigma = radius / 2), as three box passes per axis.
Status blur(Image* image, double radius);
// Unsharp mask: amount 0..10 of the difference to a sigma-1 blur.
Status sharpen(Image* image, double amount);
// brightness, contrast and gamma as one lookup table, then saturation; the image must be straight alpha.
void adjust_colours(Image* image, const Effects& effects);
}  // namespace edgepix
