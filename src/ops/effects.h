// Pixel effects after resizing: blur and sharpen (linear, so they work on premultiplied pixels) and colour
// adjustments (per pixel, on straight alpha).
#pragma once
#include "core/budget.h"
#include "core/image.h"

namespace edgepix {

// Pixel effects after resizing, in the order applied (see pipeline.cpp).
struct Effects {
  double blur = 0;     // radius in output pixels
  double sharpen = 0;  // 0..10
  double brightness = 1, contrast = 1, gamma = 1, saturation = 1;
  bool any_colour() const { return brightness != 1 || contrast != 1 || gamma != 1 || saturation != 1; }
};

// Gaussian blur of the given radius (sigma = radius / 2), as three box passes per axis. Both charge `budget` (null:
// unlimited) a unit per pixel of each pass, line by line: six passes, and one more for sharpen's difference.
Status blur(Image* image, double radius, Budget* budget = nullptr);
// Unsharp mask: amount 0..10 of the difference to a sigma-1 blur.
Status sharpen(Image* image, double amount, Budget* budget = nullptr);
// What blur and sharpen charge per pixel at most (plan/work.h).
constexpr uint64_t kBlurAndSharpenUnitsPerPixel = 6 + 7;
// brightness, contrast and gamma as one lookup table, then saturation; the image must be straight alpha.
void adjust_colours(Image* image, const Effects& effects);
}  // namespace edgepix
