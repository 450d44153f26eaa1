#include <catch2/catch.hpp>

#include "ops/orient.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

// orient-N.jpg stores the pattern so that it displays upright once orientation N is applied: red top-left,
// green top-right, blue bottom-left, yellow bottom-right, 64x48.
TEST_CASE("all 8 EXIF orientations come out upright") {
  for (int orientation = 1; orientation <= 8; ++orientation) {
    INFO("orientation " << orientation);
    const auto bytes = fixture("orient-" + std::to_string(orientation) + ".jpg");
    Result<ProbeInfo> info = probe(view(bytes));
    REQUIRE(info.ok());
    CHECK(info->orientation == orientation);
    Options options;
    options.format = FormatRequest::png;
    Result<TransformOutput> out = transform(view(bytes), options, {Format::png, false}, Limits());
    REQUIRE(out.ok());
    const Image image = decode(out->bytes.view());
    REQUIRE(image.width == 64);
    REQUIRE(image.height == 48);
    const auto near = [](Pixel p, int r, int g, int b) {
      return std::abs(p.r - r) < 40 && std::abs(p.g - g) < 40 && std::abs(p.b - b) < 40;
    };
    CHECK(near(pixel(image, 8, 6), 255, 0, 0));
    CHECK(near(pixel(image, 56, 6), 0, 255, 0));
    CHECK(near(pixel(image, 8, 42), 0, 0, 255));
    CHECK(near(pixel(image, 56, 42), 255, 255, 0));
  }
}

TEST_CASE("orient maps every pixel for a non-square image") {
  Image image = std::move(Image::allocate(3, 2, 3).value());
  for (int i = 0; i < 6; ++i) image.pixels.data()[i * 3] = uint8_t(i);  // stored: 0 1 2 / 3 4 5
  Result<Image> rotated = orient(std::move(image), 6);                  // 90° clockwise
  REQUIRE(rotated.ok());
  REQUIRE(rotated->width == 2);
  REQUIRE(rotated->height == 3);
  const int expected[6] = {3, 0, 4, 1, 5, 2};  // upright: 3 0 / 4 1 / 5 2
  for (int i = 0; i < 6; ++i) CHECK(rotated->pixels.data()[i * 3] == expected[i]);
}
