// Separable Lanczos-3 resampling of 8-bit RGB/RGBA. Alpha images must be premultiplied (so transparent pixels
// do not bleed their colour into edges). Filter taps may read pixels outside `window` (within the image), so a
// cropped resize has no edge artefacts at the cut.
#pragma once
#include <cstdint>
#include <vector>

#include "core/budget.h"
#include "core/image.h"

namespace edgepix {

// Fixed-point filter weights for one axis: output index i reads `count[i]` inputs from `first[i]`, with weights
// `weights[i * max_taps + k]` in 1/16384 units that sum to exactly 16384.
struct FilterWeights {
  static constexpr int kPrecisionBits = 14;
  std::vector<uint32_t> first;
  std::vector<uint32_t> count;
  std::vector<int16_t> weights;
  uint32_t max_taps = 0;
};

double lanczos3(double x);
// The taps an output pixel may read when `region_size` inputs map onto `out_size` outputs.
uint32_t lanczos3_max_taps(double region_size, uint32_t out_size);
// `region_start`/`region_size` select the input span mapped onto `out_size` outputs; `in_size` bounds the taps.
FilterWeights lanczos3_weights(uint32_t in_size, double region_start, double region_size, uint32_t out_size);

// Whether resize runs the vertical pass before the horizontal one, for these filters: whichever order costs less.
bool vertical_pass_first(const FilterWeights& columns, const FilterWeights& rows);

// Takes the image by value so its memory is released once the first pass has read it: the peak is two
// buffers, not three. Charges `budget` (null: unlimited) per output row of each pass: the row's pixels times the
// pass's taps, the pixels its filter reads.
Result<Image> resize(Image image, Window window, uint32_t width, uint32_t height, Budget* budget = nullptr);
// At least what resize charges for this job, whichever pass it runs first: the plan's estimate (plan/work.h).
uint64_t resize_work_units(uint32_t in_width, uint32_t in_height, Window window, uint32_t width, uint32_t height);

}  // namespace edgepix
