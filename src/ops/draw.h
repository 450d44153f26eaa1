// Compositing an image onto another (overlays, watermarks): the Porter-Duff operators on premultiplied pixels,
// the overlay placed against the base's edges or centred, faded by an opacity, optionally tiled.
#pragma once
#include <cstdint>

#include "core/budget.h"
#include "core/image.h"

namespace edgepix {

// Porter and Duff's operators, the overlay (source) onto the base (destination). As in their paper and in canvas'
// globalCompositeOperation, the overlay is transparent wherever it does not reach, so `in` and `out` clear the base
// outside it. lighter is their "plus": the sum, saturated.
enum class CompositeMode : uint8_t { over, in, atop, out, exclusive_or, lighter };

// Where the overlay sits along one axis: `offset` pixels from the base's start (left, top) or end (right, bottom)
// edge to the overlay's same edge; centred when neither is given (offset is then ignored).
struct Anchor {
  enum class From : uint8_t { centre, start, end };
  From from = From::centre;
  int32_t offset = 0;
};

struct DrawOptions {
  Anchor x, y;
  double opacity = 1;  // 0..1, multiplies the overlay's alpha
  bool repeat_x = false, repeat_y = false;  // tile along the axis, from the anchored position both ways
  CompositeMode mode = CompositeMode::over;
};

// `base` and `overlay` are RGB, or RGBA premultiplied (not YCbCr); the result is premultiplied, the base's size,
// RGB only when the base is RGB and the mode keeps it opaque (over, atop, lighter). Charges `budget` (null:
// unlimited) a unit per pixel of the base, row by row.
Result<Image> draw(const Image& base, const Image& overlay, const DrawOptions& options, Budget* budget = nullptr);

}  // namespace edgepix
