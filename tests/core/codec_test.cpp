#include <catch2/catch.hpp>

#include "codec/codec.h"
#include "ops/orient.h"
#include "ops/resize.h"
#include "pipeline.h"
#include <algorithm>
#include <webp/decode.h>
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
Image round_trip(const Image& image, EncodeSettings settings) {
  Result<Buffer> encoded = codec_for(settings.format)->encode(image, settings);
  INFO(encoded.status().message());
  REQUIRE(encoded.ok());
  CHECK(sniff_format(encoded->view()) == settings.format);
  Result<ProbeInfo> info = probe(encoded->view());
  REQUIRE(info.ok());
  CHECK(info->width == image.width);
  CHECK(info->height == image.height);
  return decode(encoded->view());
}
}  // namespace

TEST_CASE("every encoder round-trips through its decoder") {
  const Image rgb = gradient(97, 61, 3);
  const Image rgba = gradient(97, 61, 4);
  SECTION("JPEG (progressive, lossy)") { CHECK(mean_abs_diff(round_trip(rgb, {Format::jpeg, 95, false}), rgb) < 2.0); }
  SECTION("PNG RGB is exact") { CHECK(mean_abs_diff(round_trip(rgb, {Format::png, 85, false}), rgb) == 0); }
  SECTION("PNG RGBA is exact") { CHECK(mean_abs_diff(round_trip(rgba, {Format::png, 85, false}), rgba) == 0); }
  SECTION("WebP lossy") { CHECK(mean_abs_diff(round_trip(rgb, {Format::webp, 95, false}), rgb) < 3.0); }
  SECTION("WebP lossy with alpha") {
    const Image out = round_trip(rgba, {Format::webp, 95, false});
    REQUIRE(out.channels == 4);
    CHECK(mean_abs_diff(out, rgba) < 3.0);
  }
  SECTION("WebP lossless is exact") {
    CHECK(mean_abs_diff(round_trip(rgb, {Format::webp, 100, true}), rgb) == 0);
    // Our decoder hands back premultiplied pixels; libwebp's straight-alpha decoder checks exactness.
    Result<Buffer> encoded = webp::encode(rgba, {Format::webp, 100, true});
    REQUIRE(encoded.ok());
    int width = 0, height = 0;
    uint8_t* straight = WebPDecodeRGBA(encoded->data(), encoded->size(), &width, &height);
    REQUIRE(straight != nullptr);
    CHECK(std::equal(straight, straight + rgba.pixels.size(), rgba.pixels.data()));
    WebPFree(straight);
  }
}

TEST_CASE("JPEG encodes progressive with optimised Huffman tables") {
  Result<Buffer> encoded = jpeg::encode(gradient(64, 64, 3), {Format::jpeg, 85, false});
  REQUIRE(encoded.ok());
  bool progressive = false, huffman = false;
  const ByteView v = encoded->view();
  for (size_t i = 0; i + 1 < v.size; ++i) {
    if (v.data[i] != 0xFF) continue;
    progressive |= v.data[i + 1] == 0xC2;
    huffman |= v.data[i + 1] == 0xC4;
  }
  CHECK(progressive);
  CHECK(huffman);
}

TEST_CASE("scale-on-load returns ceil(size * e / 8) for JPEG and WebP") {
  for (const char* name : {"photo-1200.jpg", "lossy.webp", "alpha.webp"}) {
    const auto bytes = fixture(name);
    Result<ProbeInfo> info = probe(view(bytes));
    REQUIRE(info.ok());
    for (uint32_t e = 1; e <= kFullScale; ++e) {
      INFO(name << " at " << e << "/8");
      Result<Image> image = codec_for(info->format)->decode(view(bytes), DecodeOptions{e});
      REQUIRE(image.ok());
      CHECK(image->width == scaled_size(info->width, e));
      CHECK(image->height == scaled_size(info->height, e));
    }
  }
}

TEST_CASE("PNG colour types expand to 8-bit RGB or RGBA") {
  struct Case {
    const char* name;
    uint32_t channels;
  };
  for (const Case c : {Case{"gray.png", 3}, Case{"palette.png", 3}, Case{"trns.png", 4}, Case{"alpha.png", 4},
                       Case{"rgb16.png", 3}, Case{"gray-alpha.png", 4}}) {
    INFO(c.name);
    const auto bytes = fixture(c.name);
    Result<ProbeInfo> info = probe(view(bytes));
    REQUIRE(info.ok());
    CHECK(info->has_alpha == (c.channels == 4));
    const Image image = decode(view(bytes));
    CHECK(image.channels == c.channels);
    CHECK(image.width == info->width);
  }
  // tRNS: the circle is opaque blue, the corner fully transparent.
  const Image trns = decode(view(fixture("trns.png")));
  CHECK(pixel(trns, 60, 45).a == 255);
  CHECK(pixel(trns, 60, 45).b > 200);
  CHECK(pixel(trns, 0, 0).a == 0);
  // Gray expands to equal channels.
  const Pixel gray = pixel(decode(view(fixture("gray.png"))), 10, 10);
  CHECK((gray.r == gray.g && gray.g == gray.b));
}

TEST_CASE("JPEG colour spaces: gray and CMYK decode to RGB") {
  const Image gray = decode(view(fixture("photo-gray.jpg")));
  CHECK(gray.channels == 3);
  const Pixel g = pixel(gray, 600, 450);
  CHECK((g.r == g.g && g.g == g.b));
  const Image cmyk = decode(view(fixture("photo-cmyk.jpg")));
  const Image rgb = decode(view(fixture("photo-1200.jpg")));
  CHECK(mean_abs_diff(cmyk, rgb) < 12.0);  // naive CMYK→RGB until ICC support; close, not exact
}

TEST_CASE("GIF and animated WebP decode their first frame") {
  const Image gif = decode(view(fixture("animated.gif")));
  CHECK(gif.width == 80);
  CHECK(pixel(gif, 40, 30).r == 255);
  CHECK(pixel(gif, 40, 30).g == 0);
  const Image webp = decode(view(fixture("animated.webp")));
  CHECK(webp.width == 80);
  CHECK(pixel(webp, 40, 30).r > 240);
  CHECK(pixel(webp, 40, 30).g < 16);
}

TEST_CASE("damaged files of every format are errors, not crashes") {
  for (const char* name : {"truncated-photo-1200.jpg", "truncated-photo-1200-progressive.jpg", "corrupt-scan.jpg",
                           "truncated-alpha.png", "corrupt.png", "truncated-lossy.webp", "corrupt.webp",
                           "truncated-still.gif", "corrupt.gif"}) {
    INFO(name);
    const auto bytes = fixture(name);
    Result<ProbeInfo> info = probe(view(bytes));
    if (!info.ok()) {
      CHECK(info.status().code() == ErrorCode::corrupt_image);
      continue;
    }
    Result<Image> image = codec_for(info->format)->decode(view(bytes), DecodeOptions{});
    REQUIRE_FALSE(image.ok());
    CHECK(image.status().code() == ErrorCode::corrupt_image);
    CHECK_FALSE(image.status().message().empty());
  }
  // Every prefix of a small JPEG: decoding must fail cleanly or succeed, never crash.
  const auto jpeg = fixture("orient-1.jpg");
  for (size_t n = 0; n < jpeg.size(); n += 7) {
    Result<ProbeInfo> info = probe({jpeg.data(), n});
    if (info.ok()) (void)jpeg::decode({jpeg.data(), n}, DecodeOptions{1});
  }
}

TEST_CASE("bytes that are no image are unsupported") {
  const auto text = fixture("not-an-image.txt");
  CHECK(sniff_format(view(text)) == Format::unknown);
  CHECK(probe(view(text)).status().code() == ErrorCode::unsupported_format);
  CHECK(probe({nullptr, 0}).status().code() == ErrorCode::unsupported_format);
}

TEST_CASE("JPEG to JPEG in YCbCr: the same picture as through RGB, and only for YCbCr-coded files") {
  // The pipeline keeps a JPEG's YCbCr from decoder to encoder when nothing between reads colours (pipeline.cpp):
  // orient, crop and the linear resampler give the same result on YCbCr as on RGB, up to rounding.
  const auto bytes = fixture("photo-1200.jpg");  // turned on the way, to go through orient() as well
  struct Path {
    Image pixels;  // before encoding, as RGB
    Image encoded;
    size_t size;
  };
  auto through = [&](bool keep_ycbcr) {
    Result<Image> decoded = jpeg::decode(view(bytes), DecodeOptions{3, keep_ycbcr});
    REQUIRE(decoded.ok());
    CHECK(decoded->ycbcr == keep_ycbcr);
    Result<Image> upright = orient(std::move(decoded.value()), 6);
    REQUIRE(upright.ok());
    CHECK(upright->ycbcr == keep_ycbcr);
    const Window all{0, 0, double(upright->width), double(upright->height)};
    Result<Image> resized = resize(std::move(upright.value()), all, 97, 131);
    REQUIRE(resized.ok());
    CHECK(resized->ycbcr == keep_ycbcr);
    EncodeSettings settings;
    settings.quality = 90;
    Result<Buffer> encoded = jpeg::encode(resized.value(), settings);
    REQUIRE(encoded.ok());
    Image& image = resized.value();
    if (keep_ycbcr) {  // JFIF's YCbCr to RGB, to compare the pixels before encoding
      for (size_t i = 0; i < image.pixels.size(); i += 3) {
        uint8_t* p = image.pixels.data() + i;
        const double y = p[0], cb = p[1] - 128.0, cr = p[2] - 128.0;
        const double rgb[3] = {y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb};
        for (int c = 0; c < 3; ++c) p[c] = uint8_t(std::clamp(std::lround(rgb[c]), 0L, 255L));
      }
    }
    return Path{std::move(image), decode(encoded->view()), encoded->size()};
  };
  const Path ycbcr = through(true);
  const Path rgb = through(false);
  REQUIRE(ycbcr.encoded.width == 97);
  REQUIRE(ycbcr.encoded.height == 131);
  // The resampled pixels agree to rounding (8-bit YCbCr does not hold every RGB triple) and, where ringing
  // overshoots, to where each path clamps it: measured mean 0.38, largest 5 levels.
  CHECK(mean_abs_diff(ycbcr.pixels, rgb.pixels) < 0.5);
  int largest = 0;
  for (size_t i = 0; i < rgb.pixels.pixels.size(); ++i)
    largest = std::max(largest, std::abs(int(ycbcr.pixels.pixels.data()[i]) - int(rgb.pixels.pixels.data()[i])));
  CHECK(largest <= 6);
  // And the encoder does as well with either: the same error against what it was given, the same size.
  const double error_ycbcr = mean_abs_diff(ycbcr.encoded, rgb.pixels);
  const double error_rgb = mean_abs_diff(rgb.encoded, rgb.pixels);
  CHECK(std::abs(error_ycbcr - error_rgb) < 0.1 * error_rgb);
  CHECK(double(ycbcr.size) == Approx(double(rgb.size)).epsilon(0.02));

  // A gray file has no YCbCr to keep: it comes out RGB, as every other step expects.
  Result<Image> gray = jpeg::decode(view(fixture("photo-gray.jpg")), DecodeOptions{8, true});
  REQUIRE(gray.ok());
  CHECK_FALSE(gray->ycbcr);
  CHECK(gray->channels == 3);

  // Through the pipeline: JPEG out of a JPEG matches the PNG (always RGB) of the same transform.
  const auto photo = fixture("photo-1200.jpg");
  Options options;
  options.width = 500;
  options.quality = 95;
  options.format = FormatRequest::jpeg;
  Result<TransformOutput> jpeg_out = transform(view(photo), options, negotiate_format(options.format, {}), Limits());
  options.format = FormatRequest::png;
  Result<TransformOutput> png_out = transform(view(photo), options, negotiate_format(options.format, {}), Limits());
  REQUIRE(jpeg_out.ok());
  REQUIRE(png_out.ok());
  CHECK(mean_abs_diff(decode(jpeg_out->bytes.view()), decode(png_out->bytes.view())) < 1.5);
}
