// Places an image on a larger canvas filled with a background colour (fit=pad).
#pragma once
#include "core/image.h"

namespace edgepix {
// The image must be premultiplied if it has alpha; a translucent background makes the result RGBA.
Result<Image> pad(const Image& image, uint32_t canvas_width, uint32_t canvas_height, uint32_t x, uint32_t y,
                  Rgba background);
}
