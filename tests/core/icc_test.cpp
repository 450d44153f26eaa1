// Embedded ICC profiles: converted to sRGB unless metadata=keep carries them. The reference for every
// conversion is ImageMagick's own (`convert <fixture> -profile sRGB.icc`, made by scripts/fixtures.mjs).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#define CMS_NO_REGISTER_KEYWORD 1
#include <lcms2.h>

#include "codec/icc.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

struct Output {
  Image image;
  Metadata metadata;
};

// The fixture through the whole pipeline, decoded again (PNG output is lossless: only the conversion differs).
Output transformed(const std::string& name, const std::string& options_text) {
  const auto bytes = fixture(name);
  const Options options = parse_options(options_text).value();
  Result<TransformOutput> out =
      transform(view(bytes), options, negotiate(options, RequestHeaders("")).format, Limits());
  INFO(name << " " << options_text << ": " << out.status().message());
  REQUIRE(out.ok());
  return {decode(out->bytes.view()), read_metadata(out->bytes.view(), out->format)};
}

Image reference(const std::string& name) { return decode(view(fixture(name + ".srgb-reference.png"))); }
Image decoded(const std::string& name) { return decode(view(fixture(name))); }
std::string profile_of(const std::string& name, Format format) {
  return read_metadata(view(fixture(name)), format).icc;
}

// Mean absolute difference of the colour channels only.
double mean_rgb_diff(const Image& a, const Image& b) {
  REQUIRE(a.width == b.width);
  REQUIRE(a.height == b.height);
  double total = 0;
  for (uint32_t y = 0; y < a.height; ++y)
    for (uint32_t x = 0; x < a.width; ++x) {
      const Pixel p = pixel(a, x, y), q = pixel(b, x, y);
      total += std::abs(p.r - q.r) + std::abs(p.g - q.g) + std::abs(p.b - q.b);
    }
  return total / (3.0 * a.width * a.height);
}

bool same_pixels(const Image& a, const Image& b) {
  return a.width == b.width && a.height == b.height && a.channels == b.channels &&
         std::memcmp(a.pixels.data(), b.pixels.data(), a.pixels.size()) == 0;
}

std::string srgb_profile_bytes() {
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  cmsUInt32Number size = 0;
  cmsSaveProfileToMem(srgb, nullptr, &size);
  std::string bytes(size, '\0');
  cmsSaveProfileToMem(srgb, bytes.data(), &size);
  cmsCloseProfile(srgb);
  return bytes;
}

}  // namespace

TEST_CASE("Adobe RGB sources come out as ImageMagick converts them to sRGB, without the profile", "[icc]") {
  for (const char* name : {"icc-adobe-rgb.jpg", "icc-adobe-rgb.png", "icc-adobe-hald.png"}) {
    INFO(name);
    const Output out = transformed(name, "format=png");
    const Image expected = reference(name);
    const double unconverted = mean_rgb_diff(decoded(name), expected);
    const double difference = mean_rgb_diff(out.image, expected);
    INFO("mean difference to ImageMagick " << difference << " (unconverted " << unconverted << ")");
    CHECK(difference < 1.0);
    CHECK(unconverted > 1.5);  // the fixture really needs converting
    CHECK(out.metadata.icc.empty());
  }
  // WebP's ICCP chunk: the same pixels as the PNG (lossless), so the same reference.
  const Output webp = transformed("icc-adobe-rgb.webp", "format=png");
  CHECK(mean_rgb_diff(webp.image, reference("icc-adobe-rgb.png")) < 1.0);
}

TEST_CASE("a known colour: Adobe RGB (200, 60, 40) is sRGB (231.5, 57.4, 34.0)", "[icc]") {
  const Output out = transformed("icc-adobe-patch.png", "format=png");
  const Pixel p = pixel(out.image, 8, 8);
  CHECK(std::abs(p.r - 231.5) < 1.5);
  CHECK(std::abs(p.g - 57.4) < 1.5);
  CHECK(std::abs(p.b - 34.0) < 1.5);
}

TEST_CASE("a CMYK JPEG with a CMYK profile is converted through it (Adobe's inverted inks)", "[icc]") {
  for (const char* options : {"format=png", "format=png,metadata=keep"}) {
    INFO(options);
    const Output out = transformed("icc-cmyk.jpg", options);
    const double difference = mean_rgb_diff(out.image, reference("icc-cmyk.jpg"));
    INFO("mean difference to ImageMagick " << difference);
    CHECK(difference < 1.5);
    CHECK(out.metadata.icc.empty());  // a CMYK profile cannot describe RGB pixels, even with metadata=keep
  }
}

TEST_CASE("gray with a gray profile is converted, and stays gray", "[icc]") {
  for (const char* options : {"format=png", "format=png,metadata=keep"}) {
    INFO(options);
    const Output out = transformed("icc-gray.jpg", options);
    const Image expected = reference("icc-gray.jpg");
    const double difference = mean_rgb_diff(out.image, expected);
    INFO("mean difference to ImageMagick " << difference);
    CHECK(difference < 1.0);
    CHECK(mean_rgb_diff(decoded("icc-gray.jpg"), expected) > 20);  // linear gray, unconverted, is far too dark
    CHECK(out.metadata.icc.empty());
    const Pixel p = pixel(out.image, 300, 200);
    CHECK(std::abs(p.r - p.g) <= 1);
    CHECK(std::abs(p.g - p.b) <= 1);
  }
}

TEST_CASE("metadata=keep writes the profile and leaves the pixels in it", "[icc]") {
  const Output out = transformed("icc-adobe-rgb.png", "format=png,metadata=keep");
  CHECK(out.metadata.icc == profile_of("icc-adobe-rgb.png", Format::png));
  CHECK(same_pixels(out.image, decoded("icc-adobe-rgb.png")));
  for (const char* options : {"width=200,metadata=keep", "width=200,metadata=keep,format=webp"}) {
    INFO(options);
    CHECK(transformed("icc-adobe-rgb.jpg", options).metadata.icc == profile_of("icc-adobe-rgb.jpg", Format::jpeg));
  }
  // And the default (copyright) or none: converted, no profile.
  for (const char* options : {"format=png", "format=png,metadata=copyright", "format=png,metadata=none"}) {
    INFO(options);
    const Output converted = transformed("icc-adobe-rgb.png", options);
    CHECK(converted.metadata.icc.empty());
    CHECK(mean_rgb_diff(converted.image, reference("icc-adobe-rgb.png")) < 1.0);
  }
}

TEST_CASE("alpha passes through the conversion untouched", "[icc]") {
  Image image = decoded("icc-adobe-rgba.png");
  REQUIRE(image.channels == 4);
  const Image source = decoded("icc-adobe-rgba.png");
  SrgbConverter converter(profile_of("icc-adobe-rgba.png", Format::png));
  REQUIRE(converter.converts());
  REQUIRE(converter.convert(&image));
  const Image expected = decode(view(fixture("icc-adobe-rgba.png.srgb-reference.png")));
  CHECK(mean_rgb_diff(image, expected) < 1.0);
  bool alpha_kept = true;
  for (size_t i = 3; i < image.pixels.size(); i += 4) alpha_kept &= image.pixels.data()[i] == source.pixels.data()[i];
  CHECK(alpha_kept);
}

TEST_CASE("sRGB profiles cost nothing: no transform is built", "[icc]") {
  CHECK_FALSE(SrgbConverter(profile_of("icc-srgb.jpg", Format::jpeg)).converts());  // Debian's sRGB.icc
  CHECK_FALSE(SrgbConverter(srgb_profile_bytes()).converts());                     // lcms2's own (v4)
  CHECK_FALSE(SrgbConverter("").converts());
  CHECK(SrgbConverter(profile_of("icc-adobe-rgb.jpg", Format::jpeg)).converts());
  // The pipeline leaves such pixels exactly as decoded.
  CHECK(same_pixels(transformed("icc-srgb.jpg", "format=png").image, decoded("icc-srgb.jpg")));
}

TEST_CASE("a garbage or damaged profile is ignored: the image still decodes, unconverted", "[icc]") {
  const Output out = transformed("icc-garbage.jpg", "format=png");
  CHECK(same_pixels(out.image, decoded("icc-garbage.jpg")));
  CHECK(out.metadata.icc.empty());
  // Every truncation and a flipped byte at every 7th offset of a real profile: no crash, whatever lcms2 makes of it.
  const std::string adobe = profile_of("icc-adobe-rgb.jpg", Format::jpeg);
  Image image = decoded("icc-adobe-patch.png");
  for (size_t size = 0; size < adobe.size(); size += 5) SrgbConverter(adobe.substr(0, size)).convert(&image);
  for (size_t at = 0; at < adobe.size(); at += 7) {
    std::string damaged = adobe;
    damaged[at] = char(damaged[at] ^ 0xA5);
    SrgbConverter(damaged).convert(&image);
  }
  const std::string cmyk = profile_of("icc-cmyk.jpg", Format::jpeg);
  uint8_t cmyk_pixels[4 * 4] = {};
  CHECK_FALSE(cmyk_to_srgb(cmyk_pixels, 2, 2, true, cmyk.substr(0, 1000)));
  CHECK_FALSE(cmyk_to_srgb(cmyk_pixels, 2, 2, true, adobe));  // not a CMYK profile
}

TEST_CASE("the fast matrix-shaper path agrees with lcms2's own transform", "[icc]") {
  const std::string adobe = profile_of("icc-adobe-hald.png", Format::png);
  Image ours = decoded("icc-adobe-hald.png");
  const Image source = decoded("icc-adobe-hald.png");
  REQUIRE(SrgbConverter(adobe).convert(&ours));

  cmsHPROFILE profile = cmsOpenProfileFromMem(adobe.data(), cmsUInt32Number(adobe.size()));
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  cmsHTRANSFORM lcms = cmsCreateTransform(profile, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC, 0);
  REQUIRE(lcms != nullptr);
  Image theirs = decoded("icc-adobe-hald.png");
  cmsDoTransform(lcms, source.pixels.data(), theirs.pixels.data(), source.width * source.height);
  cmsDeleteTransform(lcms);
  cmsCloseProfile(srgb);
  cmsCloseProfile(profile);

  int worst = 0;
  for (size_t i = 0; i < ours.pixels.size(); ++i)
    worst = std::max(worst, std::abs(int(ours.pixels.data()[i]) - int(theirs.pixels.data()[i])));
  CHECK(worst <= 1);
  CHECK(mean_rgb_diff(ours, theirs) < 0.1);
}
