// The rest of Cloudflare's option set: parsing, and what each does to real pixels.
#include <catch2/catch.hpp>

#include "classify/features.h"
#include <algorithm>
#include <cstring>
#include <string>

#include "api.h"
#include "ops/effects.h"
#include "ops/orient.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
Image run(const std::string& fixture_name, const std::string& options_text) {
  const auto bytes = fixture(fixture_name);
  Result<Options> options = parse_options(options_text);
  INFO(options_text << ": " << options.status().message());
  REQUIRE(options.ok());
  const Negotiation negotiation = negotiate(options.value(), RequestHeaders(""));
  Result<TransformOutput> out = transform(view(bytes), negotiation.options, negotiation.format, Limits());
  INFO(out.status().message());
  REQUIRE(out.ok());
  return decode(out->bytes.view());
}
bool near(Pixel p, int r, int g, int b, int tolerance = 40) {
  return std::abs(p.r - r) < tolerance && std::abs(p.g - g) < tolerance && std::abs(p.b - b) < tolerance;
}
double variance_of_red(const Image& image) {
  double sum = 0, squares = 0;
  const size_t n = size_t(image.width) * image.height;
  for (size_t i = 0; i < n; ++i) {
    const double v = image.pixels.data()[i * image.channels];
    sum += v;
    squares += v * v;
  }
  return squares / n - (sum / n) * (sum / n);
}
}  // namespace

TEST_CASE("the extended options parse, with errors naming the option") {
  Result<Options> o = parse_options(
      "fit=squeeze,gravity=0.25x0.75,quality=medium-low,slow-connection-quality=low,rotate=90,flip=hv,"
      "trim=1;2;3;4,sharpen=1.5,blur=3,brightness=1.2,contrast=0.8,gamma=2.2,saturation=0,"
      "border=color:rgb(1,2,3);width:5,format=baseline-jpeg");
  REQUIRE(o.ok());
  CHECK(o->fit == Fit::squeeze);
  CHECK(o->gravity.kind == Gravity::Kind::point);
  CHECK(o->gravity.x == 0.25);
  CHECK(o->quality == 65);
  CHECK(o->slow_connection_quality == 50);
  CHECK(o->rotate == 90);
  CHECK((o->flip_horizontal && o->flip_vertical));
  CHECK((o->trim.top == 1 && o->trim.right == 2 && o->trim.bottom == 3 && o->trim.left == 4));
  CHECK(o->border.left == 5);
  CHECK(o->border_colour.b == 3);
  CHECK(o->format == FormatRequest::baseline_jpeg);
  for (const char* bad : {"rotate=45", "flip=x", "gravity=1.5x0", "gravity=middle", "blur=0.5", "blur=300",
                          "sharpen=11", "gamma=0", "trim=1;2", "trim=-1", "border=width:x", "border=color:red",
                          "quality=medium"}) {
    INFO(bad);
    Result<Options> parsed = parse_options(bad);
    REQUIRE_FALSE(parsed.ok());
    const std::string name(bad, std::string(bad).find('='));
    CHECK_THAT(parsed.status().message(), Catch::Contains("'" + name + "'"));
  }
}

TEST_CASE("orientations compose: EXIF, then flip, then rotation") {
  CHECK(compose_orientation(1, false, false, 0) == 1);
  CHECK(compose_orientation(1, false, false, 90) == 6);
  CHECK(compose_orientation(1, false, false, 270) == 8);
  CHECK(compose_orientation(6, false, false, 270) == 1);  // undoes the camera's rotation
  CHECK(compose_orientation(1, true, false, 0) == 2);
  CHECK(compose_orientation(1, true, true, 0) == 3);
  CHECK(compose_orientation(1, true, false, 90) == 7);  // mirrored, then turned clockwise: transverse
  CHECK(compose_orientation(3, false, false, 180) == 1);
}

TEST_CASE("rotate and flip move the quadrants of the pattern") {
  // pattern.png: red top-left, green top-right, blue bottom-left, yellow bottom-right, 64x48.
  const Image rotated = run("pattern.png", "rotate=90");
  REQUIRE(rotated.width == 48);
  CHECK(near(pixel(rotated, 4, 4), 0, 0, 255));    // blue moves to the top-left
  CHECK(near(pixel(rotated, 44, 4), 255, 0, 0));   // red to the top-right
  const Image flipped = run("pattern.png", "flip=h");
  CHECK(near(pixel(flipped, 4, 4), 0, 255, 0));
  const Image exif_then_rotate = run("orient-6.jpg", "rotate=180,format=png");
  CHECK(near(pixel(exif_then_rotate, 4, 4), 255, 255, 0));  // upright, then turned over
}

TEST_CASE("gravity chooses which part a crop keeps") {
  const Image left = run("pattern.png", "width=24,height=48,fit=cover,gravity=left");
  const Image right = run("pattern.png", "width=24,height=48,fit=cover,gravity=right");
  CHECK(near(pixel(left, 12, 4), 255, 0, 0));
  CHECK(near(pixel(right, 12, 4), 0, 255, 0));
  const Image focal = run("pattern.png", "width=20,height=20,fit=cover,gravity=0.9x0.9");
  CHECK(near(pixel(focal, 10, 10), 255, 255, 0));
  const Image top = run("pattern.png", "width=64,height=20,fit=cover,gravity=top");
  CHECK(near(pixel(top, 8, 10), 255, 0, 0));
}

TEST_CASE("squeeze stretches, trim cuts before fitting") {
  const Image squeezed = run("photo-1200.jpg", "width=300,height=300,fit=squeeze");
  CHECK(squeezed.width == 300);
  CHECK(squeezed.height == 300);
  const Image trimmed = run("pattern.png", "trim=0;32;24;0");  // keep the top-left quadrant
  REQUIRE(trimmed.width == 32);
  REQUIRE(trimmed.height == 24);
  CHECK(near(pixel(trimmed, 16, 12), 255, 0, 0));
  Result<Options> whole = parse_options("trim=0;64;0;0");
  ProbeInfo info = probe(view(fixture("pattern.png"))).value();
  CHECK(make_plan(whole.value(), {}, info, Limits()).status().code() == ErrorCode::bad_option);
}

TEST_CASE("colour adjustments") {
  CHECK(near(pixel(run("pattern.png", "brightness=0"), 8, 8), 0, 0, 0, 2));
  const Pixel gray = pixel(run("pattern.png", "saturation=0"), 8, 8);
  CHECK((gray.r == gray.g && gray.g == gray.b));
  CHECK(std::abs(gray.r - 54) <= 2);  // Rec. 709 luma of pure red
  const auto mean = [](const Image& image) {
    double total = 0;
    for (size_t i = 0; i < image.pixels.size(); ++i) total += image.pixels.data()[i];
    return total / image.pixels.size();
  };
  const double plain = mean(run("photo-1200.jpg", "width=100,format=png"));
  CHECK(mean(run("photo-1200.jpg", "width=100,brightness=1.5,format=png")) > plain + 10);
  CHECK(mean(run("photo-1200.jpg", "width=100,brightness=0.5,format=png")) < plain - 10);
  CHECK(mean(run("photo-1200.jpg", "width=100,gamma=2,format=png")) > plain + 5);
  CHECK(mean(run("photo-1200.jpg", "width=100,gamma=0.5,format=png")) < plain - 5);
}

TEST_CASE("blur smooths and sharpen accentuates") {
  const double plain = variance_of_red(run("photo-1200.jpg", "width=300,format=png"));
  const double blurred = variance_of_red(run("photo-1200.jpg", "width=300,blur=20,format=png"));
  const double sharpened = variance_of_red(run("photo-1200.jpg", "width=300,sharpen=5,format=png"));
  CHECK(blurred < plain * 0.9);
  CHECK(sharpened > plain);
  Image flat = std::move(Image::allocate(50, 40, 3).value());
  std::memset(flat.pixels.data(), 77, flat.pixels.size());
  REQUIRE(blur(&flat, 9).ok());
  REQUIRE(sharpen(&flat, 10).ok());
  for (size_t i = 0; i < flat.pixels.size(); ++i) REQUIRE(flat.pixels.data()[i] == 77);
}

TEST_CASE("border surrounds the output in its colour") {
  const Image bordered = run("photo-1200.jpg", "width=100,border=color:#ff00ff;top:6;left:4,format=png");
  REQUIRE(bordered.width == 104);
  REQUIRE(bordered.height == 81);
  CHECK(near(pixel(bordered, 1, 40), 255, 0, 255, 2));
  CHECK(near(pixel(bordered, 50, 2), 255, 0, 255, 2));
  CHECK_FALSE(near(pixel(bordered, 50, 40), 255, 0, 255, 2));
}

TEST_CASE("format=json describes the output and the source (with its features) without a full decode") {
  const auto bytes = fixture("orient-6.jpg");
  const std::string options = "width=24,format=json";
  ep_output* out = transform_call(bytes, options);
  REQUIRE(out != nullptr);
  const std::string body(reinterpret_cast<const char*>(out->data), out->size);
  CHECK(body == R"({"width":24,"height":18,"original":{"width":64,"height":48,"format":"image/jpeg","fileSize":)" +
                    std::to_string(bytes.size()) + R"(,"hasAlpha":false,"animated":false},"features":)" +
                    features_json(classify(view(bytes)).value()) + "}");
  CHECK_THAT(std::string(out->meta, out->meta_size), Catch::Contains(R"("contentType":"application/json")"));
  ep_output_free(out);
}

TEST_CASE("baseline-jpeg writes a baseline frame; slow-connection-quality follows the client's hints") {
  const auto bytes = fixture("photo-1200.jpg");
  const auto sof = [](const Buffer& jpeg) {
    for (size_t i = 0; i + 1 < jpeg.size(); ++i)
      if (jpeg.data()[i] == 0xFF && (jpeg.data()[i + 1] == 0xC0 || jpeg.data()[i + 1] == 0xC2)) return jpeg.data()[i + 1];
    return uint8_t(0);
  };
  Options options = parse_options("width=200,format=baseline-jpeg").value();
  Result<TransformOutput> baseline = transform(view(bytes), options, negotiate(options, RequestHeaders("")).format, Limits());
  REQUIRE(baseline.ok());
  CHECK(sof(baseline->bytes) == 0xC0);
  options = parse_options("width=200,format=jpeg,quality=90,slow-connection-quality=30").value();
  const Negotiation fast = negotiate(options, RequestHeaders("ECT: 4g"));
  const Negotiation slow = negotiate(options, RequestHeaders("Save-Data: on"));
  CHECK(fast.options.quality == 90);
  CHECK(slow.options.quality == 30);
  CHECK(std::find(slow.vary.begin(), slow.vary.end(), "Save-Data") != slow.vary.end());
  CHECK(canonical_options(fast.options) != canonical_options(slow.options));
  const auto size = [&](const Negotiation& n) {
    return transform(view(bytes), n.options, n.format, Limits()).value().bytes.size();
  };
  CHECK(size(slow) < size(fast) / 2);
}

TEST_CASE("trim=border finds the content inside a uniform border") {
  const Image trimmed = run("bordered.png", "trim=border");
  CHECK(trimmed.width == 64);
  CHECK(trimmed.height == 48);
  CHECK(near(pixel(trimmed, 2, 2), 255, 0, 0));
  const Image photo = run("bordered-photo.jpg", "trim=border,width=80,format=png");
  CHECK(photo.width == 80);
  CHECK(photo.height == 60);  // 160x120 inside the border: the aspect of the content, not of the bordered image
}

TEST_CASE("gravity=auto crops to the detailed subject") {
  // subject-right.png: flat grey 600x200 with a photograph in a 150x110 box near the right edge.
  const Image automatic = run("subject-right.png", "width=200,height=200,fit=cover,gravity=auto");
  const Image centred = run("subject-right.png", "width=200,height=200,fit=cover");
  const auto grey_fraction = [](const Image& image) {
    size_t grey = 0;
    for (uint32_t y = 0; y < image.height; ++y)
      for (uint32_t x = 0; x < image.width; ++x)
        grey += near(pixel(image, x, y), 153, 153, 153, 6);
    return double(grey) / (image.width * image.height);
  };
  CHECK(grey_fraction(centred) > 0.95);     // the centre is empty background
  CHECK(grey_fraction(automatic) < 0.75);   // auto found the photograph
  CHECK(automatic.width == 200);
}
