#include <catch2/catch.hpp>

#include "codec/exif.h"
#include "codec/metadata.h"
#include "pipeline.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {
Metadata output_metadata(const char* options_text) {
  const auto bytes = fixture("metadata.jpg");
  const Options options = parse_options(options_text).value();
  Result<TransformOutput> out =
      transform(view(bytes), options, negotiate(options, RequestHeaders("")).format, Limits());
  INFO(options_text << ": " << out.status().message());
  REQUIRE(out.ok());
  return read_metadata(out->bytes.view(), out->format);
}
}  // namespace

TEST_CASE("the source's metadata is read from JPEG") {
  const Metadata source = read_metadata(view(fixture("metadata.jpg")), Format::jpeg);
  CHECK(exif_orientation({reinterpret_cast<const uint8_t*>(source.exif.data()), source.exif.size()}) == 6);
  CHECK_THAT(source.xmp, Catch::StartsWith("<x:xmpmeta"));
  CHECK(source.icc.size() == 132);
  CHECK(exif_copyright_only(source.exif).find("(c) edgepix test images") != std::string::npos);
}

TEST_CASE("metadata=keep carries EXIF (upright), XMP and ICC into every output format") {
  const Metadata source = read_metadata(view(fixture("metadata.jpg")), Format::jpeg);
  for (const char* options : {"width=100,metadata=keep", "width=100,metadata=keep,format=png",
                              "width=100,metadata=keep,format=webp"}) {
    INFO(options);
    const Metadata out = output_metadata(options);
    CHECK(out.xmp == source.xmp);
    CHECK(out.icc == source.icc);
    REQUIRE(out.exif.size() == source.exif.size());
    CHECK(exif_orientation({reinterpret_cast<const uint8_t*>(out.exif.data()), out.exif.size()}) == 1);
    CHECK(exif_copyright_only(out.exif) == exif_copyright_only(source.exif));
  }
}

TEST_CASE("metadata=keep with a profile PNG cannot carry: the image without it, never an error") {
  const auto bytes = fixture("icc-garbage.jpg");  // an RGB header over noise: libpng refuses it
  for (const char* options_text : {"width=64,metadata=keep,format=png", "width=64,metadata=keep,format=webp"}) {
    INFO(options_text);
    const Options options = parse_options(options_text).value();
    Result<TransformOutput> out =
        transform(view(bytes), options, negotiate(options, RequestHeaders("")).format, Limits());
    INFO(out.status().message());
    REQUIRE(out.ok());
    CHECK(decode(out->bytes.view()).width == 64);
    const Metadata kept = read_metadata(out->bytes.view(), out->format);
    if (out->format == Format::png) CHECK(kept.icc.empty());
    else CHECK(kept.icc.size() == 600);  // WebP's ICCP chunk holds any bytes
  }
}

TEST_CASE("metadata=copyright (the default) keeps only the Copyright tag; none keeps nothing") {
  for (const char* options : {"width=100", "width=100,metadata=copyright,format=webp", "width=100,format=png"}) {
    INFO(options);
    const Metadata out = output_metadata(options);
    CHECK(out.xmp.empty());
    CHECK(out.icc.empty());
    CHECK(out.exif.find("(c) edgepix test images") != std::string::npos);
    CHECK(exif_orientation({reinterpret_cast<const uint8_t*>(out.exif.data()), out.exif.size()}) == 1);
  }
  CHECK(output_metadata("width=100,metadata=none").empty());
  CHECK(output_metadata("width=100,metadata=none,format=webp").empty());
  // No Copyright tag in the source: nothing to keep.
  CHECK(exif_copyright_only(std::string("II*\0\x08\0\0\0\0\0", 10)).empty());
}
