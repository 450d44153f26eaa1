// ThumbHash (Evan Wallace's format, as the `thumbhash` npm package reads and writes it): an image's low
// frequencies in about 25 bytes — luma, two chroma channels and alpha as DCT coefficients, plus the aspect ratio.
#pragma once
#include <vector>

#include "core/image.h"

namespace edgepix {
// `image`: RGB or RGBA (straight alpha), at most 100x100.
std::vector<uint8_t> thumbhash_encode(const Image& image);
// RGBA (straight alpha) at most 32 px on the long side, in the hash's aspect; bad_option when it is not a ThumbHash.
Result<Image> thumbhash_decode(const std::vector<uint8_t>& hash);
}  // namespace edgepix
