// A baseline JPEG at 1/8 scale from its DC coefficients alone: each 8x8 block's mean is one output pixel, which is
// what libjpeg's 1x1 inverse DCT gives too, without libjpeg's per-block machinery. Every coefficient is still
// Huffman-decoded (the AC ones to find where the next block starts), so a truncated or corrupt bitstream fails as
// libjpeg's full decode does. Classification (src/classify/) uses it: at 1/8, libjpeg's fixed cost per block was
// most of classify's time on a 12 MP photo.
#pragma once
#include "core/buffer.h"
#include "core/image.h"
#include "core/status.h"

namespace edgepix {

class Budget;

// RGB at ceil(width/8) x ceil(height/8), stored orientation. unsupported_format when the file is not something this
// decoder reads (progressive, arithmetic-coded, 12-bit, CMYK/YCCK/RGB, several scans): the caller then asks libjpeg.
// corrupt_image when the data is truncated or broken.
Result<Image> decode_jpeg_dc(ByteView bytes, Budget* budget);

}  // namespace edgepix
