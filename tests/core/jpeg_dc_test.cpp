// The DC-only JPEG decoder against libjpeg's own 1/8 decode of the same files.
#include <catch2/catch.hpp>

#include <cstdio>

#include "codec/jpeg_dc.h"
#include "support.h"

extern "C" {
#include <jpeglib.h>
}

using namespace edgepix;
using namespace edgepix::test;

namespace {

Image libjpeg_eighth(ByteView bytes) {
  DecodeOptions options;
  options.scale_eighths = 1;
  Result<Image> image = codec_for(Format::jpeg)->decode(bytes, options);
  REQUIRE(image.ok());
  return std::move(image.value());
}

double max_channel_diff(const Image& a, const Image& b) {
  int worst = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) worst = std::max(worst, std::abs(a.pixels.data()[i] - b.pixels.data()[i]));
  return worst;
}

// A baseline 4:4:4 JPEG with a restart marker every `interval` MCUs, straight from libjpeg. (Without chroma
// subsampling both decoders compute the same block means: only colour conversion rounding differs.)
std::vector<uint8_t> jpeg_with_restarts(const Image& rgb, unsigned interval) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = rgb.width;
  cinfo.image_height = rgb.height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  cinfo.comp_info[0].h_samp_factor = cinfo.comp_info[0].v_samp_factor = 1;
  cinfo.restart_interval = interval;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(rgb.row(cinfo.next_scanline));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::vector<uint8_t> bytes(out, out + size);
  std::free(out);
  return bytes;
}

void check_matches_libjpeg(const std::vector<uint8_t>& bytes, double mean_tolerance) {
  Result<Image> dc = decode_jpeg_dc(view(bytes), nullptr);
  INFO(dc.status().message());
  REQUIRE(dc.ok());
  const Image reference = libjpeg_eighth(view(bytes));
  REQUIRE(dc->width == reference.width);
  REQUIRE(dc->height == reference.height);
  CHECK(mean_abs_diff(dc.value(), reference) <= mean_tolerance);
}

}  // namespace

TEST_CASE("jpeg_dc: a baseline photo decodes as libjpeg's 1/8 scale does", "[jpeg_dc]") {
  // 4:2:0 chroma: libjpeg scales the chroma blocks' inverse DCT to 2x2 where this repeats their DC, so colours
  // differ slightly at edges; luma is the same arithmetic.
  SECTION("4:2:0, 1200 px") { check_matches_libjpeg(fixture("photo-1200.jpg"), 1.0); }
  SECTION("12 MP") { check_matches_libjpeg(fixture("photo-12mp.jpg"), 1.0); }
  SECTION("4:4:4 with restart markers every 3 MCUs") {
    check_matches_libjpeg(jpeg_with_restarts(gradient(203, 117, 3), 3), 0.5);
  }
  SECTION("grayscale is exact") {
    const std::vector<uint8_t> bytes = fixture("photo-gray.jpg");
    Result<Image> dc = decode_jpeg_dc(view(bytes), nullptr);
    REQUIRE(dc.ok());
    CHECK(max_channel_diff(dc.value(), libjpeg_eighth(view(bytes))) == 0);
  }
}

TEST_CASE("jpeg_dc: what it does not read is unsupported, what is broken is corrupt", "[jpeg_dc]") {
  CHECK(decode_jpeg_dc(view(fixture("photo-1200-progressive.jpg")), nullptr).status().code() ==
        ErrorCode::unsupported_format);
  CHECK(decode_jpeg_dc(view(fixture("photo-cmyk.jpg")), nullptr).status().code() == ErrorCode::unsupported_format);
  CHECK(decode_jpeg_dc(view(fixture("truncated-photo-1200.jpg")), nullptr).status().code() == ErrorCode::corrupt_image);
  std::vector<uint8_t> cut = fixture("photo-1200.jpg");
  cut.resize(cut.size() - 2);  // no end marker: libjpeg warns, and the gate fails it
  CHECK(decode_jpeg_dc(view(cut), nullptr).status().code() == ErrorCode::corrupt_image);
  std::vector<uint8_t> restarts = jpeg_with_restarts(gradient(203, 117, 3), 3);
  for (size_t i = restarts.size() / 2; i + 1 < restarts.size(); ++i)
    if (restarts[i] == 0xFF && restarts[i + 1] >= 0xD0 && restarts[i + 1] <= 0xD7) {
      restarts[i + 1] = uint8_t(0xD0 + ((restarts[i + 1] - 0xD0 + 3) & 7));  // out of sequence
      break;
    }
  CHECK(decode_jpeg_dc(view(restarts), nullptr).status().code() == ErrorCode::corrupt_image);
}
