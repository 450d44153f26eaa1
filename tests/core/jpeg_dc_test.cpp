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

// Found while fuzzing ep_classify: DC differences of 15 bits in every block, with a 16-bit quantisation step of
// 65535. The prediction grew past what a 16-bit coefficient holds and its product with the step overflowed 32
// bits (undefined behaviour; UBSan stops there). libjpeg keeps the coefficient as a 16-bit JCOEF; so does the
// DC decode now, with the sum in 64 bits. A gray image `width` px wide and 8 high: one row of blocks.
std::vector<uint8_t> growing_dc_jpeg(uint32_t width) {
  std::vector<uint8_t> bytes = {0xFF, 0xD8};
  const auto segment = [&](uint8_t marker, std::vector<uint8_t> payload) {
    const size_t length = payload.size() + 2;
    bytes.insert(bytes.end(), {0xFF, marker, uint8_t(length >> 8), uint8_t(length)});
    bytes.insert(bytes.end(), payload.begin(), payload.end());
  };
  std::vector<uint8_t> quant = {0x10, 0xFF, 0xFF};  // 16-bit table 0, DC step 65535
  for (int i = 1; i < 64; ++i) quant.insert(quant.end(), {0x00, 0x01});
  segment(0xDB, quant);
  segment(0xC0, {8, 0, 8, uint8_t(width >> 8), uint8_t(width), 1, 1, 0x11, 0});
  std::vector<uint8_t> dc = {0x00, 1}, ac = {0x10, 1};  // one code each, '0': a 15-bit difference; end of block
  dc.resize(17, 0), ac.resize(17, 0);
  dc.push_back(15), ac.push_back(0x00);
  segment(0xC4, dc);
  segment(0xC4, ac);
  segment(0xDA, {1, 1, 0x00, 0, 63, 0});
  uint32_t bits = 0;
  int count = 0;
  const auto put = [&](uint32_t value, int size) {
    bits = (bits << size) | value, count += size;
    for (; count >= 8; count -= 8) {
      const uint8_t byte = uint8_t(bits >> (count - 8));
      bytes.push_back(byte);
      if (byte == 0xFF) bytes.push_back(0x00);
    }
  };
  for (uint32_t block = 0; block < (width + 7) / 8; ++block) put(0, 1), put(0x7FFF, 15), put(0, 1);  // +32767
  if (count) put((1u << (8 - count)) - 1, 8 - count);
  bytes.insert(bytes.end(), {0xFF, 0xD9});
  return bytes;
}

TEST_CASE("jpeg_dc: DC differences that add up past 16 bits keep libjpeg's 16-bit coefficient", "[jpeg_dc][fuzz]") {
  const std::vector<uint8_t> bytes = growing_dc_jpeg(2048);  // wide enough for classify's DC decode
  Result<Image> image = decode_jpeg_dc(view(bytes), nullptr);
  REQUIRE(image.ok());
  REQUIRE(image->width == 256);
  // The coefficients, 32767·k as 16 bits, are 32767, -2, 32765, -4, …: times 65535, over 8, plus 128, clamped.
  const uint32_t channels = image->channels;
  CHECK(image->pixels.data()[0] == 255);
  CHECK(image->pixels.data()[channels] == 0);
  CHECK(image->pixels.data()[2 * channels] == 255);
  ep_output* out = ep_classify(bytes.data(), uint32_t(bytes.size()));
  REQUIRE(out != nullptr);
  const std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  CHECK(meta.find("\"width\":2048") != std::string::npos);
}

// Found while fuzzing ep_classify: a second frame header (SOF0) added its component to the first's, and a scan
// over both components made a two-plane frame, which the colour conversion read as three (a heap overflow).
// libjpeg refuses two SOF markers; so does the DC decode now.
TEST_CASE("jpeg_dc: two frame headers are corrupt", "[jpeg_dc][fuzz]") {
  std::vector<uint8_t> bytes = {0xFF, 0xD8};
  const auto segment = [&](uint8_t marker, std::vector<uint8_t> payload) {
    const size_t length = payload.size() + 2;
    bytes.insert(bytes.end(), {0xFF, marker, uint8_t(length >> 8), uint8_t(length)});
    bytes.insert(bytes.end(), payload.begin(), payload.end());
  };
  std::vector<uint8_t> quant(65, 1);
  quant[0] = 0x00;  // 8-bit table 0, every step 1
  segment(0xDB, quant);
  segment(0xC0, {8, 0, 8, 0x08, 0x00, 1, 1, 0x11, 0});  // 2048x8, one component: id 1
  segment(0xC0, {8, 0, 8, 0x08, 0x00, 1, 2, 0x11, 0});  // again, with id 2
  std::vector<uint8_t> dc = {0x00, 1}, ac = {0x10, 1};  // one code each, '0': no difference; end of block
  dc.resize(18, 0), ac.resize(18, 0);
  segment(0xC4, dc);
  segment(0xC4, ac);
  segment(0xDA, {2, 1, 0x00, 2, 0x00, 0, 63, 0});  // a scan of components 1 and 2
  bytes.resize(bytes.size() + 2048 / 8 * 2 * 2 / 8, 0);  // 256 MCUs of two blocks, each block two bits
  bytes.insert(bytes.end(), {0xFF, 0xD9});
  CHECK(decode_jpeg_dc(view(bytes), nullptr).status().code() == ErrorCode::corrupt_image);
  ep_output* out = ep_classify(bytes.data(), uint32_t(bytes.size()));
  REQUIRE(out != nullptr);
  const std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  CHECK(meta.find("\"code\":\"corrupt_image\"") != std::string::npos);
}

// Found while fuzzing ep_classify: a Huffman table with more codes of a length than the length holds (three
// 1-bit codes; 255) was rejected only after its codes had filled the look-up tables, past their 4096 entries
// (up to half a megabyte past, into the heap). The test now comes first, and is libjpeg's: the all-ones code is
// unused, so a 1-bit length holds one code.
TEST_CASE("jpeg_dc: a Huffman table with more codes than fit is corrupt before it is filled in", "[jpeg_dc][fuzz]") {
  for (const uint8_t codes : {uint8_t(3), uint8_t(255)}) {
    const size_t length = 2 + 17 + codes;  // AC table 3: `codes` codes of 1 bit
    std::vector<uint8_t> bytes = {0xFF, 0xD8, 0xFF, 0xC4, uint8_t(length >> 8), uint8_t(length), 0x13, codes};
    bytes.resize(bytes.size() + 15 + codes, 0);  // no longer codes; the symbols
    bytes.insert(bytes.end(), {0xFF, 0xD9});
    INFO(int(codes) << " 1-bit codes");
    CHECK(decode_jpeg_dc(view(bytes), nullptr).status().code() == ErrorCode::corrupt_image);
  }
}
