// BlurHash (Wolt's format, as the `blurhash` npm package reads and writes it): a few DCT components of the image in
// linear light, written in base 83.
#pragma once
#include <string>

#include "core/image.h"

namespace edgepix {
// `image`: RGB (opaque); components 1..9 on each axis.
std::string blurhash_encode(const Image& image, int components_x, int components_y);
// RGB at `width` x `height`; bad_option when it is not a BlurHash. (The npm package decodes in production; the
// core's decoder is here for its own round-trip tests.)
Result<Image> blurhash_decode(const std::string& hash, uint32_t width, uint32_t height);
}  // namespace edgepix
