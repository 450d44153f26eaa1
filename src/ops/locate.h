// Finding regions from pixels: the content inside a uniform border (trim=border) and the most detailed window
// of a given size (gravity=auto). Both work on the upright decoded image, straight alpha.
#pragma once
#include "core/image.h"

namespace edgepix {
// The smallest rectangle holding every pixel that differs from the top-left one (the border colour) by more
// than a small tolerance; the whole image when nothing does.
Rect content_box(const Image& image);
// Where a width x height window inside `within` covers the most detail (luma edges and colourfulness).
Rect salient_window(const Image& image, Rect within, uint32_t width, uint32_t height);
}  // namespace edgepix
