// Each feature of classify on images whose answer is known, and the C ABI around it.
#include <catch2/catch.hpp>

#include <bitset>
#include <cstring>

#include "classify/base64.h"
#include "classify/blurhash.h"
#include "classify/features.h"
#include "classify/hamming.h"
#include "classify/luma.h"
#include "classify/phash.h"
#include "classify/thumbhash.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

std::vector<uint8_t> encode(const Image& image, Format format = Format::png, const Metadata* metadata = nullptr) {
  EncodeSettings settings;
  settings.format = format;
  settings.quality = 90;
  settings.progressive = false;
  settings.metadata = metadata;
  Result<Buffer> bytes = codec_for(format)->encode(image, settings);
  REQUIRE(bytes.ok());
  return std::vector<uint8_t>(bytes->data(), bytes->data() + bytes->size());
}

Image filled(uint32_t width, uint32_t height, Rgba colour) {
  Image image = std::move(Image::allocate(width, height, 3).value());
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) std::memcpy(image.row(y) + x * 3, &colour, 3);
  return image;
}

Features features_of(const std::vector<uint8_t>& bytes) {
  Result<Features> features = classify(view(bytes));
  INFO(features.status().message());
  REQUIRE(features.ok());
  return std::move(features.value());
}

Image checkerboard(uint32_t size, uint32_t square) {
  Image image = filled(size, size, {255, 255, 255, 255});
  for (uint32_t y = 0; y < size; ++y)
    for (uint32_t x = 0; x < size; ++x)
      if ((x / square + y / square) % 2) std::memset(image.row(y) + x * 3, 0, 3);
  return image;
}

int hamming(uint64_t a, uint64_t b) { return int(std::bitset<64>(a ^ b).count()); }

// Big-endian TIFF: IFD0 with Model, an Exif IFD with DateTimeOriginal and a GPS IFD with a latitude reference.
std::string exif_with_gps() {
  std::string tiff("MM\0*\0\0\0\x08", 8);
  const auto u16 = [&](uint16_t v) { tiff += char(v >> 8), tiff += char(v & 255); };
  const auto u32 = [&](uint32_t v) { u16(uint16_t(v >> 16)), u16(uint16_t(v & 0xffff)); };
  const auto entry = [&](uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
    u16(tag), u16(type), u32(count), u32(value);
  };
  u16(3);                          // IFD0 at 8, 42 bytes
  entry(0x0110, 2, 8, 50);         // Model -> 50
  entry(0x8769, 4, 1, 58);         // Exif IFD -> 58
  entry(0x8825, 4, 1, 96);         // GPS IFD -> 96
  u32(0);
  tiff.append("Pixel 7\0", 8);     // 50..58
  u16(1);                          // Exif IFD at 58, 18 bytes
  entry(0x9003, 2, 20, 76);        // DateTimeOriginal -> 76
  u32(0);
  tiff.append("2024:05:01 10:00:00\0", 20);  // 76..96
  u16(2);                          // GPS IFD at 96
  entry(0x0000, 1, 4, 0x02020000); // GPSVersionID 2.2.0.0 (inline)
  entry(0x0001, 2, 2, 0x4e000000); // GPSLatitudeRef "N" (inline)
  u32(0);
  return tiff;
}

}  // namespace

TEST_CASE("classify: solid colours give one dominant colour and their exposure", "[classify]") {
  const Features blue = features_of(encode(filled(64, 48, {0x33, 0x66, 0xcc, 255})));
  REQUIRE(blue.dominant_colours.size() == 1);
  CHECK(blue.dominant_colours[0].r == 0x33);
  CHECK(blue.dominant_colours[0].g == 0x66);
  CHECK(blue.dominant_colours[0].b == 0xcc);
  CHECK(blue.dominant_colours[0].share == Approx(1));
  CHECK(blue.exposure.mean == Approx((0.299 * 0x33 + 0.587 * 0x66 + 0.114 * 0xcc) / 255).margin(0.005));
  CHECK(blue.exposure.shadows == 0);
  CHECK(blue.exposure.highlights == 0);
  CHECK(features_of(encode(filled(40, 40, {0, 0, 0, 255}))).exposure.shadows == 1);
  CHECK(features_of(encode(filled(40, 40, {255, 255, 255, 255}))).exposure.highlights == 1);
  CHECK(blue.photo < 0.05);
}

TEST_CASE("classify: two colours split the share, largest first", "[classify]") {
  Image image = filled(100, 50, {200, 30, 30, 255});
  for (uint32_t y = 0; y < 50; ++y)
    for (uint32_t x = 0; x < 30; ++x) std::memcpy(image.row(y) + x * 3, "\x10\xa0\x10", 3);
  const Features features = features_of(encode(image));
  REQUIRE(features.dominant_colours.size() == 2);
  CHECK(features.dominant_colours[0].r == 200);
  CHECK(features.dominant_colours[0].share == Approx(0.7).margin(0.01));
  CHECK(features.dominant_colours[1].g == 0xa0);
  CHECK(features.dominant_colours[1].share == Approx(0.3).margin(0.01));
}

TEST_CASE("classify: a checkerboard is sharper than its blur", "[classify]") {
  const Image sharp = checkerboard(256, 4);
  Result<Image> blurred_copy = Image::allocate(256, 256, 3);
  Image& blurred = blurred_copy.value();
  for (uint32_t y = 0; y < 256; ++y)  // a 9x9 box blur
    for (uint32_t x = 0; x < 256; ++x)
      for (uint32_t c = 0; c < 3; ++c) {
        int sum = 0, count = 0;
        for (int dy = -4; dy <= 4; ++dy)
          for (int dx = -4; dx <= 4; ++dx) {
            const int sx = int(x) + dx, sy = int(y) + dy;
            if (sx < 0 || sy < 0 || sx >= 256 || sy >= 256) continue;
            sum += sharp.row(uint32_t(sy))[sx * 3 + c], ++count;
          }
        blurred.row(y)[x * 3 + c] = uint8_t(sum / count);
      }
  const double sharp_score = features_of(encode(sharp)).sharpness;
  const double blurred_score = features_of(encode(blurred)).sharpness;
  CHECK(sharp_score > 20 * blurred_score);
  CHECK(features_of(encode(filled(64, 64, {90, 90, 90, 255}))).sharpness == 0);
}

TEST_CASE("classify: a flat graphic scores low as a photo, a photograph high", "[classify]") {
  Image graphic = filled(400, 300, {250, 250, 245, 255});
  for (uint32_t y = 40; y < 260; ++y)
    for (uint32_t x = 60; x < 200; ++x) std::memcpy(graphic.row(y) + x * 3, "\xe0\x40\x30", 3);
  for (uint32_t y = 100; y < 200; ++y)
    for (uint32_t x = 230; x < 360; ++x) std::memcpy(graphic.row(y) + x * 3, "\x20\x50\xc0", 3);
  const double graphic_score = features_of(encode(graphic)).photo;
  const double photo_score = features_of(fixture("photo-1200.jpg")).photo;
  INFO("graphic " << graphic_score << ", photo " << photo_score);
  CHECK(graphic_score < 0.2);
  CHECK(photo_score > 0.7);
}

TEST_CASE("classify: EXIF's GPS, camera model and capture date", "[classify]") {
  Metadata metadata;
  metadata.exif = exif_with_gps();
  const Features tagged = features_of(encode(gradient(120, 80, 3), Format::jpeg, &metadata));
  CHECK(tagged.exif.gps);
  CHECK(tagged.exif.camera_model == std::optional<std::string>("Pixel 7"));
  CHECK(tagged.exif.capture_date == std::optional<std::string>("2024-05-01T10:00:00"));
  const Features plain = features_of(encode(gradient(120, 80, 3), Format::jpeg));
  CHECK_FALSE(plain.exif.gps);
  CHECK_FALSE(plain.exif.camera_model);
  CHECK_FALSE(plain.exif.capture_date);
}

TEST_CASE("classify: header facts of animations, alpha and orientation", "[classify]") {
  const std::vector<uint8_t> gif = fixture("animated.gif");
  const Features animated = features_of(gif);
  CHECK(animated.animated);
  CHECK(animated.frames == probe(view(gif))->frame_count);
  CHECK(animated.frames > 1);
  CHECK(animated.format == Format::gif);
  const Features alpha = features_of(fixture("alpha.png"));
  CHECK(alpha.alpha);
  CHECK((base64_decode(alpha.thumbhash)->at(2) & 0x80) != 0);  // the hash carries alpha
  const Features opaque = features_of(fixture("photo-1200.jpg"));
  CHECK_FALSE(opaque.alpha);
  CHECK(opaque.width == 1200);
  CHECK(opaque.height == 900);
  const Features turned = features_of(fixture("orient-6.jpg"));
  const ProbeInfo stored = probe(view(fixture("orient-6.jpg"))).value();
  CHECK(turned.width == stored.height);
  CHECK(turned.height == stored.width);
}

TEST_CASE("classify: ThumbHash and BlurHash decode back to the image's colours", "[classify]") {
  const Image image = gradient(100, 60, 3);
  const auto mean = [](const Image& im, uint32_t c) {
    double sum = 0;
    for (size_t i = 0; i < size_t(im.width) * im.height; ++i) sum += im.pixels.data()[i * im.channels + c];
    return sum / (double(im.width) * im.height);
  };
  Result<Image> thumb = thumbhash_decode(thumbhash_encode(image));
  REQUIRE(thumb.ok());
  CHECK(thumb->width == 32);
  CHECK(thumb->height == 18);  // the hash's 7:4 luma grid stands for 100:60
  for (uint32_t c = 0; c < 3; ++c) CHECK(std::abs(mean(thumb.value(), c) - mean(image, c)) < 6);
  const std::string blur = blurhash_encode(image, 4, 3);
  CHECK(blur.size() == 4 + 2 * 12);
  Result<Image> blurred = blurhash_decode(blur, 100, 60);
  REQUIRE(blurred.ok());
  CHECK(mean_abs_diff(blurred.value(), image) < 12);
  CHECK(thumbhash_decode({1, 2}).status().code() == ErrorCode::bad_option);
}

TEST_CASE("classify: pHash of known patterns", "[classify]") {
  const Image photo = decode(view(fixture("photo-1200.jpg")));
  Result<Image> luma = luma_over_white(photo);
  REQUIRE(luma.ok());
  const uint64_t hash = perceptual_hash(luma.value()).value();
  // Inverting luma negates every coefficient and so the median: every bit flips.
  Image inverted = std::move(Image::allocate_like(luma.value(), luma->width, luma->height).value());
  for (size_t i = 0; i < luma->pixels.size(); ++i) inverted.pixels.data()[i] = uint8_t(255 - luma->pixels.data()[i]);
  CHECK(hamming(hash, ~perceptual_hash(inverted).value()) <= 2);
  // A checkerboard's energy is all at its own frequency: nothing like a photograph.
  Result<Image> board = luma_over_white(checkerboard(256, 32));
  CHECK(hamming(hash, perceptual_hash(board.value()).value()) > 16);
  // Half the bits are set: the median splits the block.
  CHECK(std::bitset<64>(hash).count() == 32);
  CHECK(hex64(0x0123456789abcdefull) == "0123456789abcdef");
}

TEST_CASE("ep_classify and ep_placeholder through the C ABI", "[classify]") {
  const std::vector<uint8_t> photo = fixture("photo-1200.jpg");
  ep_output* output = ep_classify(photo.data(), uint32_t(photo.size()));
  REQUIRE(output);
  const std::string meta(output->meta, output->meta_size);
  ep_output_free(output);
  for (const char* field : {"\"format\":\"jpeg\"", "\"width\":1200", "\"height\":900", "\"animated\":false",
                            "\"frames\":1", "\"alpha\":false", "\"dominantColors\":[{\"hex\":\"#", "\"thumbhash\":",
                            "\"blurhash\":", "\"phash\":\"", "\"sharpness\":", "\"exposure\":{\"mean\":",
                            "\"photo\":", "\"exif\":{\"gps\":false,\"cameraModel\":null,\"captureDate\":null}"})
    CHECK(meta.find(field) != std::string::npos);
  const auto error_of = [](const std::vector<uint8_t>& bytes) {
    ep_output* out = ep_classify(bytes.data(), uint32_t(bytes.size()));
    const std::string text(out->meta, out->meta_size);
    ep_output_free(out);
    return text;
  };
  CHECK(error_of(fixture("truncated-photo-1200.jpg")).find("\"corrupt_image\"") != std::string::npos);
  CHECK(error_of(fixture("not-an-image.txt")).find("\"unsupported_format\"") != std::string::npos);
  CHECK(error_of(fixture("bomb-100000.png")).find("\"too_large\"") != std::string::npos);

  const Features features = features_of(photo);
  ep_output* png = ep_placeholder(features.thumbhash.data(), uint32_t(features.thumbhash.size()));
  REQUIRE(png);
  REQUIRE(png->size > 0);
  CHECK(std::string(png->meta, png->meta_size) == "{\"width\":32,\"height\":23}");
  CHECK(sniff_format({png->data, png->size}) == Format::png);
  ep_output_free(png);
  ep_output* bad = ep_placeholder("!!", 2);
  CHECK(std::string(bad->meta, bad->meta_size).find("\"bad_option\",\"status\":400") != std::string::npos);
  ep_output_free(bad);
}

// Found by tests/fuzz/fuzz_classify: a JPEG whose rows all decode and whose error comes after them, while libjpeg
// reads on to the EOI (here a second SOF after the scan). The error path freed the row pointers and the pixels a
// second time, after the decoder had already handed the pixels out.
TEST_CASE("fuzz: an error after the last row (a SOF after the scan) is corrupt_image, freed once", "[classify][fuzz]") {
  static const uint8_t kBytes[] = {
    0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x02, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x01, 0x02, 0x02, 0x02, 0x02, 0x02, 0x04, 0x03,
    0x02, 0x02, 0x02, 0x02, 0x05, 0x04, 0x04, 0x03, 0x04, 0x06, 0x05, 0x06, 0x06, 0x06, 0x05, 0x06, 0x06, 0x06, 0x07, 0x09, 0x08, 0x06, 0x07, 0x09,
    0x07, 0x06, 0x06, 0x08, 0x0b, 0x08, 0x09, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x06, 0x08, 0x0b, 0x0c, 0x0b, 0x0a, 0x0c, 0x09, 0x0a, 0x0a, 0x0a, 0xff,
    0xdb, 0x00, 0x43, 0x01, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x05, 0x03, 0x03, 0x05, 0x0a, 0x07, 0x06, 0x07, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
    0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a,
    0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0x0a, 0xff, 0xc0, 0x00, 0x11,
    0x08, 0x00, 0x30, 0x00, 0x40, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00, 0x17, 0x00, 0x01, 0x01, 0x01, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x0a, 0x08, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x17, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x0a, 0x09, 0xff, 0xc4, 0x00, 0x14, 0x11, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11,
    0x00, 0x3f, 0x00, 0xe2, 0xf4, 0xa6, 0xef, 0xe0, 0x00, 0x00, 0xa5, 0x09, 0x6d, 0x85, 0x70, 0x00, 0x01, 0x35, 0xd5, 0x23, 0x75, 0x00, 0x00, 0x02,
    0x94, 0x25, 0xb6, 0x15, 0xc0, 0x00, 0x04, 0xd7, 0x54, 0x8d, 0xd4, 0x00, 0x00, 0x0a, 0x50, 0x96, 0xd8, 0x57, 0x00, 0x00, 0x10, 0x6d, 0xb4, 0xc7,
    0x56, 0x00, 0x00, 0x06, 0xc5, 0x18, 0x03, 0x55, 0x00, 0x00, 0x03, 0x1d, 0x6d, 0xfe, 0x25, 0x70, 0x00, 0x01, 0xb1, 0x46, 0x00, 0xd5, 0x40, 0x00,
    0x00, 0xc7, 0x5b, 0x7f, 0x89, 0x5c, 0x00, 0x00, 0x6c, 0x51, 0x80, 0x35, 0x50, 0x00, 0x00, 0x3f, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00,
    0x08, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
  };
  const std::vector<uint8_t> bytes(kBytes, kBytes + sizeof kBytes);
  Result<Image> image = codec_for(Format::jpeg)->decode(view(bytes), DecodeOptions{});
  REQUIRE_FALSE(image.ok());
  CHECK(image.status().code() == ErrorCode::corrupt_image);
  ep_output* out = ep_classify(bytes.data(), uint32_t(bytes.size()));
  REQUIRE(out != nullptr);
  const std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  CHECK(meta.find("\"code\":\"corrupt_image\"") != std::string::npos);
}
