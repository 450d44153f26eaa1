#include <algorithm>
#include <catch2/catch.hpp>

#include "ops/colour.h"
#include "ops/resize.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

TEST_CASE("Lanczos-3 kernel and weights") {
  CHECK(lanczos3(0) == 1);
  CHECK(std::abs(lanczos3(1)) < 1e-12);
  CHECK(std::abs(lanczos3(2)) < 1e-12);
  CHECK(lanczos3(3) == 0);
  CHECK(lanczos3(0.5) == Approx(0.6079271).epsilon(1e-6));  // 3 sin(π/2) sin(π/6) / (π/2)²
  CHECK(lanczos3(1.5) == Approx(-0.1350949).epsilon(1e-6));
  for (uint32_t out : {7u, 100u, 333u, 1000u}) {
    const FilterWeights filter = lanczos3_weights(500, 0, 500, out);
    for (uint32_t i = 0; i < out; ++i) {
      int sum = 0;
      for (uint32_t k = 0; k < filter.count[i]; ++k) sum += filter.weights[size_t(i) * filter.max_taps + k];
      REQUIRE(sum == 1 << FilterWeights::kPrecisionBits);
      REQUIRE(filter.first[i] + filter.count[i] <= 500);
    }
  }
}

TEST_CASE("halving a step edge gives the analytic Lanczos values") {
  // A 1-D step 0 → 200 at x = 16, downscaled 2x: output i is centred on input 2i + 1 (pixel centres at +0.5)
  // and reads inputs within ±6 with weights L((j + 0.5 - c) / 2), normalised.
  Image image = std::move(Image::allocate(32, 1, 3).value());
  for (uint32_t x = 0; x < 32; ++x) std::fill_n(image.row(0) + x * 3, 3, uint8_t(x < 16 ? 0 : 200));
  Result<Image> out = resize(std::move(image), {0, 0, 32, 1}, 16, 1);
  REQUIRE(out.ok());
  for (uint32_t i = 4; i < 12; ++i) {  // away from the borders
    const double center = (i + 0.5) * 2;
    double sum = 0, total = 0;
    for (int j = 0; j < 32; ++j) {
      const double w = lanczos3((j + 0.5 - center) / 2);
      sum += w * (j < 16 ? 0 : 200);
      total += w;
    }
    const double expected = std::min(255.0, std::max(0.0, sum / total));
    INFO("output " << i);
    CHECK(std::abs(out->row(0)[i * 3] - expected) <= 1.0);
  }
  // The negative lobe rings past the edge: above 200 on the bright side.
  CHECK(*std::max_element(out->row(0), out->row(0) + 48) > 200);
}

TEST_CASE("a flat image stays flat at any scale") {
  const uint8_t colour[4] = {90, 91, 92, 255};
  for (auto size : {std::pair<uint32_t, uint32_t>{40, 25}, {500, 300}, {1, 1}, {123, 10}}) {
    Image flat = std::move(Image::allocate(123, 77, 4).value());
    for (size_t i = 0; i < flat.pixels.size(); ++i) flat.pixels.data()[i] = colour[i % 4];
    Result<Image> out = resize(std::move(flat), {0, 0, 123, 77}, size.first, size.second);
    REQUIRE(out.ok());
    for (size_t i = 0; i < out->pixels.size(); ++i) REQUIRE(out->pixels.data()[i] == colour[i % 4]);
  }
}

TEST_CASE("resize matches ImageMagick's Lanczos on a photo") {
  for (const char* name : {"resize-reference-down.png", "resize-reference-up.png"}) {
    INFO(name);
    Image source = decode(view(fixture("resize-source.png")));
    const Image reference = decode(view(fixture(name)));
    const Rect all{0, 0, source.width, source.height};
    Result<Image> ours = resize(std::move(source), all, reference.width, reference.height);
    REQUIRE(ours.ok());
    const double diff = mean_abs_diff(ours.value(), reference);
    CHECK(diff < 1.0);
    WARN("mean absolute difference to ImageMagick: " << diff);
  }
}

TEST_CASE("transparent edges keep their colour (no dark fringe)") {
  // A white square on transparent *black*: straight-alpha resampling would blend in the black.
  Image image = decode(view(fixture("edge-alpha.png")));
  premultiply(&image);
  Result<Image> out = resize(std::move(image), {0, 0, 200, 200}, 67, 67);
  REQUIRE(out.ok());
  unpremultiply(&out.value());
  int edge_pixels = 0;
  for (uint32_t y = 0; y < 67; ++y)
    for (uint32_t x = 0; x < 67; ++x) {
      const Pixel p = pixel(out.value(), x, y);
      if (p.a < 16 || p.a > 240) continue;
      ++edge_pixels;
      INFO("pixel " << x << "," << y << " alpha " << p.a);
      REQUIRE(p.r >= 245);
      REQUIRE(p.g >= 245);
      REQUIRE(p.b >= 245);
    }
  CHECK(edge_pixels > 20);  // the test saw the soft edge
}

TEST_CASE("a region resize reads only inside the image and keeps the crop") {
  Result<Image> out = resize(gradient(200, 100, 3), {50, 0, 100, 100}, 50, 50);  // the middle square, halved
  REQUIRE(out.ok());
  // The gradient's red channel is x * 255 / 199: the middle of the output sits at source x = 100.
  CHECK(std::abs(pixel(out.value(), 25, 25).r - int(100.0 * 255 / 199)) <= 2);
}
