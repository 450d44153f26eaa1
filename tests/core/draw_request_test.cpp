// Draw entries through the C ABI: each overlay's own input runs its own transform, then lands on the base where
// the entry says, in the mode and opacity it says; the base's steps and encode run once.
#include <catch2/catch.hpp>
#include <string>

#include "api.h"
#include "codec/animation.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

// A solid square PNG in one colour, optionally half transparent.
std::vector<uint8_t> square_png(uint32_t side, Rgba colour) {
  Result<Image> image = Image::allocate(side, side, 4);
  REQUIRE(image.ok());
  for (size_t i = 0; i < size_t(side) * side; ++i) {
    uint8_t* p = image->pixels.data() + i * 4;
    p[0] = colour.r, p[1] = colour.g, p[2] = colour.b, p[3] = colour.a;
  }
  EncodeSettings settings;
  settings.format = Format::png;
  Result<Buffer> bytes = codec_for(Format::png)->encode(image.value(), settings);
  REQUIRE(bytes.ok());
  return std::vector<uint8_t>(bytes->data(), bytes->data() + bytes->size());
}

struct Output {
  std::string meta;
  std::vector<uint8_t> bytes;
};

Output run_request(const std::string& request, const std::vector<std::vector<uint8_t>>& inputs) {
  std::vector<ep_input> list;
  for (const auto& input : inputs) list.push_back({input.data(), uint32_t(input.size())});
  ep_output* out = ep_transform(request.data(), uint32_t(request.size()), nullptr, 0, list.data(),
                                uint32_t(list.size()));
  REQUIRE(out != nullptr);
  Output result{std::string(out->meta, out->meta_size), std::vector<uint8_t>(out->data, out->data + out->size)};
  ep_output_free(out);
  return result;
}

}  // namespace

TEST_CASE("a draw entry's overlay lands at the corner it names, over the resized base") {
  const auto base = fixture("photo-1200.jpg");  // 1200x900
  const auto red = square_png(200, {255, 0, 0, 255});
  // The overlay's own transform halves it to 100 px; the base is resized to 400x300 first.
  const Output out = run_request(
      R"({"transform":{"width":400},"output":{"format":"image/png"},)"
      R"("draw":[{"input":1,"bottom":10,"right":20,"transform":{"width":100}}]})",
      {base, red});
  INFO(out.meta);
  REQUIRE(out.meta.find("\"error\"") == std::string::npos);
  const Image image = decode({out.bytes.data(), out.bytes.size()});
  REQUIRE(image.width == 400);
  REQUIRE(image.height == 300);
  // Inside the overlay: x 280..379, y 190..289.
  for (const auto [x, y] : {std::pair{280u, 190u}, {379u, 289u}, {330u, 240u}}) {
    const Pixel p = pixel(image, x, y);
    CHECK(p.r == 255);
    CHECK(p.g == 0);
    CHECK(p.b == 0);
  }
  // Just outside it, the photo: not pure red.
  for (const auto [x, y] : {std::pair{279u, 240u}, {380u, 240u}, {330u, 189u}, {330u, 290u}}) {
    const Pixel p = pixel(image, x, y);
    CHECK_FALSE((p.r == 255 && p.g == 0 && p.b == 0));
  }
}

TEST_CASE("a draw entry with opacity 0.5 and no position is centred and mixed half and half") {
  const auto white = square_png(100, {255, 255, 255, 255});
  const auto black = square_png(10, {0, 0, 0, 255});
  const Output out = run_request(
      R"({"transform":{},"output":{"format":"image/png"},"draw":[{"input":1,"opacity":0.5}]})", {white, black});
  INFO(out.meta);
  const Image image = decode({out.bytes.data(), out.bytes.size()});
  REQUIRE(image.width == 100);
  // The 10 px square is centred: 45..54 on both axes.
  for (const auto [x, y] : {std::pair{45u, 45u}, {54u, 54u}, {50u, 50u}}) CHECK(std::abs(pixel(image, x, y).r - 128) <= 1);
  for (const auto [x, y] : {std::pair{44u, 50u}, {55u, 50u}, {50u, 44u}, {50u, 55u}}) CHECK(pixel(image, x, y).r == 255);
}

TEST_CASE("repeat tiles an overlay across the base") {
  const auto white = square_png(60, {255, 255, 255, 255});
  const auto dot = square_png(10, {0, 0, 0, 255});
  const Output out = run_request(
      R"({"transform":{},"output":{"format":"image/png"},"draw":[{"input":1,"top":0,"left":0,"repeat":true}]})",
      {white, dot});
  INFO(out.meta);
  const Image image = decode({out.bytes.data(), out.bytes.size()});
  // A 10 px tile repeated from the top-left corner covers everything.
  for (uint32_t y = 0; y < 60; y += 7)
    for (uint32_t x = 0; x < 60; x += 7) CHECK(pixel(image, x, y).r == 0);
}

TEST_CASE("draw counts one decode per input and fails cleanly when an overlay is not an image") {
  const auto base = square_png(50, {0, 0, 255, 255});
  const auto overlay = square_png(10, {255, 0, 0, 255});
  const auto counters = [] {
    ep_output* out = ep_counters();
    std::string meta(out->meta, out->meta_size);
    ep_output_free(out);
    return std::stoul(meta.substr(meta.find("\"decoded\":") + 10));
  };
  const unsigned long before = counters();
  const std::string request = R"({"options":"format=png","draw":[{"input":1},{"input":2,"top":0}]})";
  CHECK(run_request(request, {base, overlay, overlay}).meta.find("\"error\"") == std::string::npos);
  CHECK(counters() - before == 3);
  const std::vector<uint8_t> not_an_image = {'<', 'h', 't', 'm', 'l', '>'};
  const Output refused = run_request(request, {base, overlay, not_an_image});
  CHECK(refused.meta.find("\"code\":\"unsupported_format\"") != std::string::npos);
  const Output missing = run_request(request, {base, overlay});
  CHECK(missing.meta.find("\"code\":\"bad_option\"") != std::string::npos);
  CHECK(run_request(R"({"options":"format=png","draw":[{"input":1,"top":0,"bottom":0}]})", {base, overlay})
            .meta.find("\"code\":\"bad_option\"") != std::string::npos);
}

TEST_CASE("an animated base gets the overlay on every frame") {
  const auto animation = fixture("animated.gif");
  const auto overlay = square_png(8, {255, 0, 255, 255});
  const Output out = run_request(
      R"({"options":"format=webp,quality=100","draw":[{"input":1,"top":0,"left":0}]})", {animation, overlay});
  INFO(out.meta);
  REQUIRE(out.meta.find("\"frames\":1") == std::string::npos);
  REQUIRE(out.meta.find("\"error\"") == std::string::npos);
  Result<std::unique_ptr<FrameReader>> reader = open_frames({out.bytes.data(), out.bytes.size()}, Format::webp);
  REQUIRE(reader.ok());
  Image canvas;
  uint32_t duration = 0, count = 0;
  while (reader.value()->next(&canvas, &duration).value()) {
    ++count;
    const Pixel p = pixel(canvas, 3, 3);
    CHECK(p.r == 255);
    CHECK(p.g == 0);
    CHECK(p.b == 255);
  }
  CHECK(count > 1);
}
