#include <catch2/catch.hpp>

#include "plan/plan.h"

using namespace edgepix;

TEST_CASE("fit geometry follows each mode's rules") {
  struct Case {
    uint32_t sw, sh, w, h;
    Fit fit;
    uint32_t rw, rh, cw, ch;
  };
  const Case cases[] = {
      // scale-down: fit inside, never enlarge
      {1200, 900, 400, 0, Fit::scale_down, 400, 300, 400, 300},
      {1200, 900, 0, 300, Fit::scale_down, 400, 300, 400, 300},
      {1200, 900, 400, 400, Fit::scale_down, 400, 300, 400, 300},
      {1200, 900, 2400, 0, Fit::scale_down, 1200, 900, 1200, 900},
      // contain: fit inside, may enlarge
      {1200, 900, 2400, 0, Fit::contain, 2400, 1800, 2400, 1800},
      {1200, 900, 400, 100, Fit::contain, 133, 100, 133, 100},
      // cover: fill the box exactly, crop the overflow, may enlarge
      {1200, 900, 300, 300, Fit::cover, 300, 300, 300, 300},
      {1200, 900, 2000, 100, Fit::cover, 2000, 100, 2000, 100},
      {1200, 900, 300, 0, Fit::cover, 300, 225, 300, 225},
      // crop: like cover when larger, like scale-down when smaller, never enlarges
      {1200, 900, 300, 300, Fit::crop, 300, 300, 300, 300},
      {1200, 900, 2000, 300, Fit::crop, 1200, 300, 1200, 300},
      {1200, 900, 2000, 2000, Fit::crop, 1200, 900, 1200, 900},
      // pad: contain, then fill the box with the background
      {1200, 900, 400, 400, Fit::pad, 400, 300, 400, 400},
      {1200, 900, 2400, 2400, Fit::pad, 2400, 1800, 2400, 2400},
      {1200, 900, 400, 0, Fit::pad, 400, 300, 400, 300},
      // no size: unchanged
      {1200, 900, 0, 0, Fit::cover, 1200, 900, 1200, 900},
      // extreme aspect never reaches zero
      {10000, 10, 100, 0, Fit::scale_down, 100, 1, 100, 1},
  };
  for (const Case& c : cases) {
    INFO(c.sw << "x" << c.sh << " → " << c.w << "x" << c.h << " " << fit_name(c.fit));
    const FitGeometry g = fit_geometry(c.sw, c.sh, c.w, c.h, c.fit);
    CHECK(g.resized_width == c.rw);
    CHECK(g.resized_height == c.rh);
    CHECK(g.canvas_width == c.cw);
    CHECK(g.canvas_height == c.ch);
    CHECK(g.crop_width <= c.sw);
    CHECK(g.crop_height <= c.sh);
    // The kept region has the output's aspect ratio (within a pixel of rounding).
    CHECK(std::abs(g.crop_width / g.crop_height - double(g.resized_width) / g.resized_height) <
          2.0 / std::min(g.resized_width, g.resized_height) * (g.crop_width / g.crop_height) + 1e-9);
  }
}

TEST_CASE("scale-on-load picks the largest power of two that keeps enough pixels") {
  ProbeInfo jpeg;
  jpeg.format = Format::jpeg;
  jpeg.width = 4000;
  jpeg.height = 3000;
  struct Case {
    uint32_t width;
    uint32_t eighths;
  };
  // The smallest M/8 that leaves the resampler at least 1.3x: 1000 px decodes at 3/8 (1500, 1.33x), not at 1/4,
  // where the scaled IDCT alone would do the whole reduction.
  for (const Case c : {Case{1000, 3}, Case{1500, 4}, Case{2001, 6}, Case{2000, 6}, Case{400, 2}, Case{3100, 8},
                       Case{3999, 8}, Case{384, 1}}) {
    Options options;
    options.width = c.width;
    Result<Plan> plan = make_plan(options, {}, jpeg, Limits());
    REQUIRE(plan.ok());
    INFO("width " << c.width);
    CHECK(plan->scale_eighths == c.eighths);
    CHECK(plan->decoded_width == (4000 * c.eighths + 7) / 8);
  }
  ProbeInfo png = jpeg;
  png.format = Format::png;  // no DCT: decoded at full size
  Options options;
  options.width = 500;
  CHECK(make_plan(options, {}, png, Limits()).value().scale_eighths == 8);
}

TEST_CASE("orientation swaps the axes the fit is computed on") {
  ProbeInfo portrait;
  portrait.format = Format::jpeg;
  portrait.width = 4000;  // stored landscape, displayed portrait (rotated 90°)
  portrait.height = 3000;
  portrait.orientation = 6;
  Options options;
  options.width = 300;
  Result<Plan> plan = make_plan(options, {}, portrait, Limits());
  REQUIRE(plan.ok());
  CHECK(plan->resized_width == 300);
  CHECK(plan->resized_height == 400);
  CHECK(plan->scale_eighths == 2);  // 10x: 1/8 would leave 1.25x, under the 1.3x the resampler gets
}
