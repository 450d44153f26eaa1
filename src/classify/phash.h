// The 64-bit DCT perceptual hash: luma shrunk to 32x32, its 2-D DCT, the 8x8 block of lowest frequencies after the
// DC (rows and columns 1..8, as pHash.org takes them), each bit set where that coefficient is above the block's
// median. Resizing and re-encoding move few bits; the Hamming distance compares two images (hamming.h: the hash as
// text, and the distance).
#pragma once
#include <cstdint>

#include "core/image.h"

namespace edgepix {
Result<uint64_t> perceptual_hash(const Image& luma);  // one channel, any size
}  // namespace edgepix
