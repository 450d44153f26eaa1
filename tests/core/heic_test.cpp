// HEIC input: our HEIF container and libde265, checked against libheif's tools (heif-enc wrote the inputs, or
// their tiles; heif-convert decoded the references; see scripts/fixtures.mjs).
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "codec/codec.h"
#include "core/budget.h"
#include "plan/negotiate.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

// Full size through the pipeline (orientation applied), as PNG, decoded.
Image upright(const std::vector<uint8_t>& bytes) {
  Options options;
  options.format = FormatRequest::png;
  Result<TransformOutput> out = transform(view(bytes), options, negotiate_format(options.format, {}), Limits());
  REQUIRE(out.ok());
  return decode(out->bytes.view());
}

}  // namespace

TEST_CASE("HEIC from heif-enc decodes as heif-convert decodes it", "[heic]") {
  struct Case {
    const char* name;
    uint32_t width, height, channels;
  };
  const Case cases[] = {{"heic-single", 256, 192, 3}, {"heic-alpha", 400, 300, 4}};
  for (const Case& c : cases) {
    INFO(c.name);
    const auto bytes = fixture(std::string(c.name) + ".heic");
    CHECK(sniff_format(view(bytes)) == Format::heic);
    Result<ProbeInfo> info = probe(view(bytes));
    REQUIRE(info.ok());
    CHECK(info->format == Format::heic);
    CHECK(info->width == c.width);
    CHECK(info->height == c.height);
    CHECK(info->has_alpha == (c.channels == 4));
    const Image ours = decode(view(bytes));
    const Image reference = decode(view(fixture(std::string(c.name) + ".ref.png")));
    REQUIRE(ours.channels == c.channels);
    // Both interpolate subsampled chroma, with different filters and rounding: small mean differences.
    for (uint32_t ch = 0; ch < c.channels; ++ch) {
      INFO("channel " << ch);
      CHECK(channel_diff(ours, reference, ch) < 1.5);
    }
  }
}

TEST_CASE("HEIC 10-bit comes down to 8 bits as heif-convert's", "[heic]") {
  const auto bytes = fixture("heic-10bit.heic");
  Result<ProbeInfo> info = probe(view(bytes));
  REQUIRE(info.ok());
  CHECK(info->width == 200);
  CHECK(info->height == 150);
  // libde265 hands over 16-bit samples: the plan counts twice the bytes of an 8-bit picture.
  CHECK(info->decoder_overhead_bytes == 200u * 150 * 2 * 3 + (8u << 20));
  // heif-convert writes a 16-bit PNG from it; our PNG decoder takes that to 8 bits.
  CHECK(mean_abs_diff(decode(view(bytes)), decode(view(fixture("heic-10bit.ref.png")))) < 1.5);
}

TEST_CASE("HEIC metadata: the ICC profile (colr prof) and the Exif item are read", "[heic]") {
  const auto png = fixture("icc-adobe-rgb.png");
  const Metadata source = read_metadata(view(png), Format::png);
  REQUIRE_FALSE(source.icc.empty());
  const Metadata heic = read_metadata(view(fixture("heic-icc.heic")), Format::heic);
  CHECK(heic.icc == source.icc);
  // The grid's Exif item (found through iloc and its cdsc reference): a TIFF structure.
  const Metadata grid = read_metadata(view(fixture("heic-grid-irot.heic")), Format::heic);
  REQUIRE(grid.exif.size() > 8);
  CHECK(grid.exif.substr(0, 4) == std::string("MM\0*", 4));
}

TEST_CASE("HEIC: an EXIF orientation with no irot/imir counts, as in the JPEG heif-enc read", "[heic]") {
  // heif-enc kept orient-6.jpg's EXIF orientation 6 and wrote no irot: the pixels are stored sideways (48x64), and
  // the tag is all that says the photo stands 64x48. heif-convert writes the stored pixels and keeps the tag.
  const auto bytes = fixture("heic-exif-6.heic");
  Result<ProbeInfo> info = probe(view(bytes));
  REQUIRE(info.ok());
  CHECK(info->width == 48);
  CHECK(info->height == 64);
  CHECK(info->orientation == 6);
  const Image ours = upright(bytes);
  const Image stored = decode(view(fixture("heic-exif-6.ref.png")));
  REQUIRE(ours.width == stored.height);
  REQUIRE(ours.height == stored.width);
  // Four flat quadrants with hard edges at 4:2:0: the edges differ between chroma filters, the centres must not.
  // Orientation 6 turns the stored picture a quarter clockwise: upright (x, y) is stored (y, height - 1 - x).
  for (uint32_t y : {12u, 36u})
    for (uint32_t x : {12u, 52u}) {
      INFO(x << "," << y);
      const Pixel a = pixel(ours, x, y), b = pixel(stored, y, stored.height - 1 - x);
      CHECK(std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b) < 24);
    }
}

TEST_CASE("HEIC: with irot present, an EXIF orientation is ignored (phones write both)", "[heic]") {
  auto bytes = fixture("heic-grid-irot.heic");
  // The grid's EXIF block (fixtures.mjs) is big-endian TIFF with the orientation's value 18 bytes in: make it 8,
  // which disagrees with the irot, to see that the irot alone decides.
  const std::string tiff("MM\0*\0\0\0\x08", 8);
  const auto at = std::search(bytes.begin(), bytes.end(), tiff.begin(), tiff.end());
  REQUIRE(at != bytes.end());
  const size_t value = size_t(at - bytes.begin()) + 18;
  REQUIRE(value + 1 < bytes.size());
  REQUIRE((bytes[value] == 0 && bytes[value + 1] == 6));
  bytes[value + 1] = 8;
  Result<ProbeInfo> info = probe(view(bytes));
  REQUIRE(info.ok());
  CHECK(info->orientation == 6);  // irot 3: three quarter turns anticlockwise, i.e. one clockwise
}

TEST_CASE("HEIC grid with irot: tiles placed, cropped and turned upright", "[heic]") {
  // 3x2 tiles of 384 px cropped to 1000x750, irot 3 (a quarter turn clockwise), plus EXIF orientation 6.
  const auto bytes = fixture("heic-grid-irot.heic");
  Result<ProbeInfo> info = probe(view(bytes));
  REQUIRE(info.ok());
  CHECK(info->format == Format::heic);
  CHECK(info->width == 1000);
  CHECK(info->height == 750);
  CHECK(info->orientation == 6);
  const Image ours = upright(bytes);
  const Image reference = decode(view(fixture("heic-grid-irot.ref.png")));
  REQUIRE(ours.width == 750);
  REQUIRE(ours.height == 1000);
  REQUIRE(reference.width == 750);
  CHECK(mean_abs_diff(ours, reference) < 1.5);
}

TEST_CASE("HEIC limits and budget: checked before a tile is decoded", "[heic]") {
  const auto bytes = fixture("heic-grid-irot.heic");
  Limits small;
  small.max_source_pixels = 384 * 384 - 1;  // the image fits the plan's check below only if tiles are checked
  DecodeOptions options;
  options.limits = &small;
  Result<Image> refused = codec_for(Format::heic)->decode(view(bytes), options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == ErrorCode::too_large);

  Budget budget(384 * 384 * 2);  // two tiles of six
  DecodeOptions budgeted;
  budgeted.budget = &budget;
  Result<Image> stopped = codec_for(Format::heic)->decode(view(bytes), budgeted);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().code() == ErrorCode::over_budget);
}

TEST_CASE("HEIC is read, never written: format=auto and the source's family answer JPEG or PNG", "[heic]") {
  const Codec* heic = codec_for(Format::heic);
  REQUIRE(heic);
  CHECK(heic->encode == nullptr);
  ProbeInfo source;
  source.format = Format::heic;
  AcceptedTypes none;
  CHECK(output_format(negotiate_format(FormatRequest::automatic, none), source, false) == Format::jpeg);
  CHECK(output_format(negotiate_format(FormatRequest::original, {}), source, false) == Format::jpeg);
  source.has_alpha = true;
  CHECK(output_format(negotiate_format(FormatRequest::automatic, none), source, false) == Format::png);
  AcceptedTypes all;
  all.avif = all.webp = true;
  CHECK(output_format(negotiate_format(FormatRequest::automatic, all), source, false) == Format::avif);

  // Through the C ABI: an Accept that lists image/heic first still gets no HEIC, and format=heic is refused.
  const auto bytes = fixture("heic-single.heic");
  ep_output* out = transform_call(bytes, "width=100,format=auto", "Accept: image/heic,image/webp\n");
  REQUIRE(out);
  CHECK(std::string(out->meta, out->meta_size).find("image/webp") != std::string::npos);
  ep_output_free(out);
  out = transform_call(bytes, "width=100,format=heic");
  REQUIRE(out);
  CHECK(std::string(out->meta, out->meta_size).find("bad_option") != std::string::npos);
  ep_output_free(out);
}

TEST_CASE("damaged HEIC is refused as corrupt (422), never a crash", "[heic]") {
  const auto truncated = fixture("truncated-heic-single.heic");
  Result<Image> image = codec_for(Format::heic)->decode(view(truncated), {});
  REQUIRE_FALSE(image.ok());
  CHECK(image.status().code() == ErrorCode::corrupt_image);
  CHECK(error_info(image.status().code()).http_status == 422);
  // Cut inside its ftyp box, a file still names its brand: a truncated HEIC (422), not an unknown format (415).
  const auto single = fixture("heic-single.heic");
  for (size_t size : {12, 16, 20}) {
    INFO(size);
    CHECK(sniff_format({single.data(), size}) == Format::heic);
    Result<ProbeInfo> cut = probe({single.data(), size});
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.status().code() == ErrorCode::corrupt_image);
  }
  // Every prefix of a valid file: an error or an image (run under ASan in native-asan).
  const auto heic = fixture("heic-alpha.heic");
  for (size_t size = 0; size < heic.size(); size += 89) {
    Result<ProbeInfo> p = probe({heic.data(), size});
    if (p.ok()) (void)codec_for(Format::heic)->decode({heic.data(), size}, {});
  }
}
