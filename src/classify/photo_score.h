// Photograph or flat graphic, 0..1: a graphic puts most of its pixels in a few exact colours and has few colours
// at all; a photograph (noise, light, texture) spreads over many, none of them common.
#pragma once
#include "core/image.h"

namespace edgepix {
double photo_score(const Image& image);  // the working copy (RGB or straight RGBA)
}  // namespace edgepix
