// Luma (BT.601, 0..255) of the working copy, transparent pixels shown over white as a page would show them, and
// what is measured on it: sharpness (the variance of its Laplacian) and exposure.
#pragma once
#include "classify/features.h"
#include "core/image.h"

namespace edgepix {
Result<Image> luma_over_white(const Image& image);  // one channel
double laplacian_variance(const Image& luma);
Exposure exposure(const Image& luma);
}  // namespace edgepix
