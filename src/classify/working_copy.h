// The one small decoded copy every feature is measured on: decoded once at the smallest scale-on-load that still
// covers kWorkingSide (a baseline JPEG from its DC coefficients when 1/8 is enough), upright, then box-filtered down
// to at most kWorkingSide on the long side. Straight alpha; RGB when the source is opaque.
#pragma once
#include "codec/codec.h"
#include "core/image.h"
#include "core/limits.h"

namespace edgepix {

constexpr uint32_t kWorkingSide = 256;

// Limits as a transform's (too_large before any pixel); corrupt_image when the bitstream is truncated or broken.
// An animation gives its first frame.
Result<Image> working_copy(ByteView bytes, const ProbeInfo& info, const Limits& limits);

// The mean of the source pixels each output pixel covers (fractional edges weighted): a box filter of any ratio,
// for shrinking only.
Result<Image> box_shrink(const Image& image, uint32_t width, uint32_t height);

// The size that fits `width` x `height` within `side` x `side`, aspect kept, never larger than it is, at least 1.
void fit_within(uint32_t width, uint32_t height, uint32_t side, uint32_t* fitted_width, uint32_t* fitted_height);

}  // namespace edgepix
