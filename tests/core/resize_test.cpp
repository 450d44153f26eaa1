#include <algorithm>
#include <cstring>
#include <catch2/catch.hpp>

#include "ops/colour.h"
#include "ops/crop.h"
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
  Result<Image> out = resize(std::move(image), window_of({0, 0, 32, 1}), 16, 1);
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
    Result<Image> out = resize(std::move(flat), window_of({0, 0, 123, 77}), size.first, size.second);
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
    Result<Image> ours = resize(std::move(source), window_of(all), reference.width, reference.height);
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
  Result<Image> out = resize(std::move(image), window_of({0, 0, 200, 200}), 67, 67);
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

TEST_CASE("smooth unpremultiply: the same image composited, without the noise under low alpha") {
  // A noisy colour under an alpha ramp from 1 to 255 (each row one alpha), premultiplied as resize leaves it.
  const uint32_t width = 64, height = 64;
  Image premultiplied = std::move(Image::allocate(width, height, 4).value());
  uint32_t seed = 99;
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      uint8_t* p = premultiplied.row(y) + x * 4;
      for (int c = 0; c < 3; ++c) p[c] = uint8_t(96 + ((seed = seed * 1103515245 + 12345) >> 26));
      p[3] = uint8_t(1 + y * 4);
    }
  premultiply(&premultiplied);
  Image exact = std::move(Image::allocate(width, height, 4).value()), smooth = std::move(Image::allocate(width, height, 4).value());
  for (Image* image : {&exact, &smooth}) {
    std::memcpy(image->pixels.data(), premultiplied.pixels.data(), premultiplied.pixels.size());
    image->premultiplied = true;
  }
  unpremultiply(&exact);
  unpremultiply_smooth(&smooth);
  REQUIRE_FALSE(smooth.premultiplied);
  // Premultiplied again, every pixel is what it was: composited over anything, the same image.
  Image again = std::move(Image::allocate(width, height, 4).value());
  std::memcpy(again.pixels.data(), smooth.pixels.data(), smooth.pixels.size());
  premultiply(&again);
  CHECK(std::memcmp(again.pixels.data(), premultiplied.pixels.data(), again.pixels.size()) == 0);
  // From alpha 16 up, the exact division; below it, far smoother than the exact division's colours.
  long exact_steps = 0, smooth_steps = 0;
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 1; x < width; ++x) {
      const uint8_t *e = exact.row(y) + x * 4, *s = smooth.row(y) + x * 4;
      if (e[3] >= 16) {
        REQUIRE(std::memcmp(e, s, 4) == 0);
        continue;
      }
      for (int c = 0; c < 3; ++c) {
        exact_steps += std::abs(int(e[c]) - int(e[c - 4]));
        smooth_steps += std::abs(int(s[c]) - int(s[c - 4]));
      }
    }
  INFO("summed steps between neighbours under alpha 16: exact " << exact_steps << ", smooth " << smooth_steps);
  CHECK(exact_steps > 1000);
  CHECK(smooth_steps * 4 < exact_steps);
}

TEST_CASE("a region resize reads only inside the image and keeps the crop") {
  Result<Image> out = resize(gradient(200, 100, 3), window_of({50, 0, 100, 100}), 50, 50);  // the middle square, halved
  REQUIRE(out.ok());
  // The gradient's red channel is x * 255 / 199: the middle of the output sits at source x = 100.
  CHECK(std::abs(pixel(out.value(), 25, 25).r - int(100.0 * 255 / 199)) <= 2);
}

TEST_CASE("the vector passes are the plain fixed-point sums, bit for bit, in the order resize picks") {
  // Noise exercises every lane; the sizes put taps on the first and last pixels, where the paired loads must fall
  // back to the scalar loop rather than read past the row, and between them take both pass orders.
  uint32_t seed = 12345;
  auto next = [&seed] { return uint8_t((seed = seed * 1103515245 + 12345) >> 23); };
  struct Case {
    uint32_t in_w, in_h, out_w, out_h;
  };
  auto fixed = [](int32_t sum) {
    const int32_t v = (sum + (1 << 13)) >> FilterWeights::kPrecisionBits;
    return uint8_t(v < 0 ? 0 : v > 255 ? 255 : v);
  };
  // One pass of the filter over `in` (`lines` lines of `length` samples, `step` bytes apart along the filtered
  // axis, `stride` between lines): the plain sum.
  auto pass = [&fixed](const std::vector<uint8_t>& in, const FilterWeights& filter, uint32_t outputs, uint32_t lines,
                       uint32_t channels, bool along_rows, uint32_t in_w) {
    std::vector<uint8_t> out(size_t(outputs) * lines * channels);
    for (uint32_t line = 0; line < lines; ++line)
      for (uint32_t o = 0; o < outputs; ++o)
        for (uint32_t ch = 0; ch < channels; ++ch) {
          int32_t sum = 0;
          for (uint32_t k = 0; k < filter.count[o]; ++k) {
            const uint32_t at = filter.first[o] + k;
            const size_t index = along_rows ? (size_t(line) * in_w + at) * channels + ch : (size_t(at) * in_w + line) * channels + ch;
            sum += in[index] * filter.weights[o * filter.max_taps + k];
          }
          const size_t index = along_rows ? (size_t(line) * outputs + o) * channels + ch : (size_t(o) * in_w + line) * channels + ch;
          out[index] = fixed(sum);
        }
    return out;
  };
  bool saw_vertical_first = false, saw_horizontal_first = false;
  for (uint32_t channels : {3u, 4u})
    for (const Case c : {Case{257, 9, 100, 4}, Case{100, 3, 230, 7}, Case{1500, 4, 1000, 3}, Case{31, 4, 7, 4},
                         Case{2, 2, 1, 1}, Case{5, 1, 3, 1}, Case{1500, 40, 1000, 26}, Case{40, 30, 97, 71}}) {
      Image image = std::move(Image::allocate(c.in_w, c.in_h, channels).value());
      for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels.data()[i] = next();
      const std::vector<uint8_t> pixels(image.pixels.data(), image.pixels.data() + image.pixels.size());
      const FilterWeights cols = lanczos3_weights(c.in_w, 0, c.in_w, c.out_w);
      const FilterWeights rows = lanczos3_weights(c.in_h, 0, c.in_h, c.out_h);
      const bool vertical_first = vertical_pass_first(cols, rows);
      (vertical_first ? saw_vertical_first : saw_horizontal_first) = true;
      // Vertical first: columns of the input into out_h rows of in_w, then those rows across.
      const std::vector<uint8_t> expected =
          vertical_first ? pass(pass(pixels, rows, c.out_h, c.in_w, channels, false, c.in_w), cols, c.out_w, c.out_h, channels, true, c.in_w)
                         : pass(pass(pixels, cols, c.out_w, c.in_h, channels, true, c.in_w), rows, c.out_h, c.out_w, channels, false, c.out_w);
      Result<Image> out = resize(std::move(image), window_of({0, 0, c.in_w, c.in_h}), c.out_w, c.out_h);
      REQUIRE(out.ok());
      for (uint32_t y = 0; y < c.out_h; ++y)
        for (uint32_t i = 0; i < c.out_w * channels; ++i) {
          INFO(channels << " channels, " << c.in_w << "x" << c.in_h << " -> " << c.out_w << "x" << c.out_h
                        << (vertical_first ? " (vertical first)" : " (horizontal first)") << " at byte " << i
                        << " of row " << y);
          REQUIRE(out->row(y)[i] == expected[size_t(y) * c.out_w * channels + i]);
        }
    }
  CHECK(saw_vertical_first);
  CHECK(saw_horizontal_first);
}

TEST_CASE("the cheaper pass goes first: vertical for a uniform downscale, horizontal for an upscale") {
  // The 12 MP job's resize: a 3/8 decode (1500x1125) to 1000x750.
  CHECK(vertical_pass_first(lanczos3_weights(1500, 0, 1500, 1000), lanczos3_weights(1125, 0, 1125, 750)));
  CHECK_FALSE(vertical_pass_first(lanczos3_weights(1200, 0, 1200, 2400), lanczos3_weights(900, 0, 900, 1800)));
}

TEST_CASE("at 1:1 a fractional window is a crop of whole pixels, not a half-pixel blur") {
  Image source = gradient(120, 90, 3);
  Result<Image> expected = crop(source, {10, 3, 50, 40});
  REQUIRE(expected.ok());
  Result<Image> out = resize(std::move(source), Window{10.5, 3.25, 50, 40}, 50, 40);
  REQUIRE(out.ok());
  REQUIRE(out->width == 50);
  REQUIRE(out->height == 40);
  CHECK(std::memcmp(out->pixels.data(), expected->pixels.data(), out->pixels.size()) == 0);
}
