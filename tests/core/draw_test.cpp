// Compositing: each Porter-Duff mode, opacity, placement against each corner and centred, and tiling, checked
// pixel by pixel on premultiplied values.
#include <catch2/catch.hpp>

#include "ops/draw.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

// A width x height image of one premultiplied colour (RGB when alpha is omitted).
Image filled(uint32_t width, uint32_t height, std::vector<uint8_t> colour) {
  Image image = std::move(Image::allocate(width, height, uint32_t(colour.size())).value());
  image.premultiplied = colour.size() == 4;
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels.data()[i] = colour[i % colour.size()];
  return image;
}

std::vector<int> at(const Image& image, uint32_t x, uint32_t y) {
  const uint8_t* p = image.row(y) + size_t(x) * image.channels;
  return std::vector<int>(p, p + image.channels);
}

Image drawn(const Image& base, const Image& overlay, const DrawOptions& options) {
  Result<Image> out = draw(base, overlay, options);
  REQUIRE(out.ok());
  return std::move(out.value());
}

DrawOptions with_mode(CompositeMode mode) {
  DrawOptions options;
  options.mode = mode;
  return options;
}

}  // namespace

TEST_CASE("each compositing mode gives Porter and Duff's result, inside and outside the overlay") {
  // Base: half-covering blue (premultiplied 0,0,128 at alpha 128); overlay: red at alpha 192 (192,0,0,192).
  const Image base = filled(4, 4, {0, 0, 128, 128});
  const Image overlay = filled(2, 2, {192, 0, 0, 192});
  struct Case {
    CompositeMode mode;
    std::vector<int> inside, outside;
  };
  const Case cases[] = {
      // over: S + D(1 - as) = (192, 0, 128 * 63 / 255 = 32), alpha 192 + 128 * 63 / 255 = 224
      {CompositeMode::over, {192, 0, 32, 224}, {0, 0, 128, 128}},
      // in: S * ad = (192 * 128 / 255 = 96, 0, 0), alpha 96; outside the overlay, nothing
      {CompositeMode::in, {96, 0, 0, 96}, {0, 0, 0, 0}},
      // atop: S * ad + D(1 - as) = (96, 0, 32), alpha ad = 128
      {CompositeMode::atop, {96, 0, 32, 128}, {0, 0, 128, 128}},
      // out: S(1 - ad) = (192 * 127 / 255 = 96, 0, 0), alpha 96; outside, nothing
      {CompositeMode::out, {96, 0, 0, 96}, {0, 0, 0, 0}},
      // xor: S(1 - ad) + D(1 - as) = (96, 0, 32), alpha 96 + 32 = 128
      {CompositeMode::exclusive_or, {96, 0, 32, 128}, {0, 0, 128, 128}},
      // lighter: S + D, saturated = (192, 0, 128), alpha 192 + 128 -> 255
      {CompositeMode::lighter, {192, 0, 128, 255}, {0, 0, 128, 128}},
  };
  for (const Case& c : cases) {
    INFO("mode " << int(c.mode));
    const Image out = drawn(base, overlay, with_mode(c.mode));
    CHECK(out.channels == 4);
    CHECK(out.premultiplied);
    CHECK(at(out, 1, 1) == c.inside);  // centred: the overlay covers (1..2, 1..2)
    CHECK(at(out, 2, 2) == c.inside);
    CHECK(at(out, 0, 0) == c.outside);
    CHECK(at(out, 3, 2) == c.outside);
  }
}

TEST_CASE("an opaque base stays RGB for the modes that keep it opaque, and gains alpha for the others") {
  const Image base = filled(3, 3, {10, 20, 30});
  const Image overlay = filled(1, 1, {0, 128, 0, 128});
  const Image over = drawn(base, overlay, with_mode(CompositeMode::over));
  CHECK(over.channels == 3);
  CHECK(at(over, 1, 1) == std::vector<int>{5, 138, 15});  // 0 + 10 * 127 / 255, 128 + 20 * 127 / 255, ...
  CHECK(at(over, 0, 0) == std::vector<int>{10, 20, 30});
  const Image out = drawn(base, overlay, with_mode(CompositeMode::out));
  CHECK(out.channels == 4);
  CHECK(at(out, 1, 1) == std::vector<int>{0, 0, 0, 0});  // S(1 - ad) with an opaque base: nothing
}

TEST_CASE("opacity 0.5 halves the overlay's coverage") {
  const Image base = filled(3, 3, {0, 0, 255});
  const Image overlay = filled(1, 1, {255, 255, 255});
  DrawOptions options;
  options.opacity = 0.5;  // 128 of 255
  const Image out = drawn(base, overlay, options);
  CHECK(at(out, 1, 1) == std::vector<int>{128, 128, 255});  // 128 + 0, 128 + 0, 128 + 255 * 127 / 255
  options.opacity = 0;
  CHECK(at(drawn(base, overlay, options), 1, 1) == std::vector<int>{0, 0, 255});
}

TEST_CASE("the overlay sits against each corner at the given offsets") {
  const Image base = filled(6, 5, {0, 0, 0});
  const Image overlay = filled(2, 2, {255, 255, 255});
  struct Case {
    Anchor::From x_from, y_from;
    uint32_t x, y;  // where the overlay's top-left corner lands, with offsets 1
  };
  const Case cases[] = {{Anchor::From::start, Anchor::From::start, 1, 1},
                        {Anchor::From::end, Anchor::From::start, 3, 1},
                        {Anchor::From::start, Anchor::From::end, 1, 2},
                        {Anchor::From::end, Anchor::From::end, 3, 2}};
  for (const Case& c : cases) {
    DrawOptions options;
    options.x = {c.x_from, 1};
    options.y = {c.y_from, 1};
    const Image out = drawn(base, overlay, options);
    for (uint32_t y = 0; y < base.height; ++y)
      for (uint32_t x = 0; x < base.width; ++x) {
        const bool covered = x >= c.x && x < c.x + 2 && y >= c.y && y < c.y + 2;
        INFO("corner " << int(c.x_from) << "," << int(c.y_from) << " pixel " << x << "," << y);
        CHECK(at(out, x, y)[0] == (covered ? 255 : 0));
      }
  }
}

TEST_CASE("repeat tiles the overlay from its position, along x, y or both") {
  const Image base = filled(5, 4, {0, 0, 0});
  Image overlay = filled(2, 1, {0, 0, 0, 0});
  overlay.pixels.data()[0] = overlay.pixels.data()[3] = 255;  // a white pixel, then a transparent one
  DrawOptions options;
  options.x = {Anchor::From::start, 1};
  options.y = {Anchor::From::start, 2};
  const auto red_row = [](const Image& image, uint32_t y) {
    std::vector<int> row;
    for (uint32_t x = 0; x < image.width; ++x) row.push_back(at(image, x, y)[0]);
    return row;
  };
  options.repeat_x = true;
  const Image along_x = drawn(base, overlay, options);
  CHECK(red_row(along_x, 2) == std::vector<int>{0, 255, 0, 255, 0});  // tiles at x = -1, 1, 3
  CHECK(red_row(along_x, 1) == std::vector<int>{0, 0, 0, 0, 0});
  options.repeat_x = false;
  options.repeat_y = true;
  const Image along_y = drawn(base, overlay, options);
  for (uint32_t y = 0; y < 4; ++y) CHECK(red_row(along_y, y) == std::vector<int>{0, 255, 0, 0, 0});
  options.repeat_x = true;
  const Image both = drawn(base, overlay, options);
  for (uint32_t y = 0; y < 4; ++y) CHECK(red_row(both, y) == std::vector<int>{0, 255, 0, 255, 0});
}

TEST_CASE("draw refuses straight alpha and YCbCr, and charges the budget per row") {
  Image straight = filled(2, 2, {1, 2, 3, 4});
  straight.premultiplied = false;
  const Image base = filled(4, 4, {0, 0, 0});
  CHECK(draw(base, straight, {}).status().code() == ErrorCode::internal);
  Budget budget(8);
  Result<Image> out = draw(base, filled(1, 1, {9, 9, 9}), {}, &budget);
  REQUIRE_FALSE(out.ok());
  CHECK(out.status().code() == ErrorCode::over_budget);
  CHECK(budget.spent() == 12);  // the third row of four pixels went over
}
