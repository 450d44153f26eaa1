// Copies a rectangle out of an image (the plan guarantees it lies inside).
#pragma once
#include "core/image.h"

namespace edgepix {
Result<Image> crop(const Image& image, Rect region);
}
