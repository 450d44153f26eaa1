// GPS on delivery: metadata=keep strips EXIF's GPS IFD and an XMP packet naming GPS, unless the request says
// keepGps; the cache key says ",gps=keep" only when that changes the bytes.
#include <catch2/catch.hpp>
#include <string>

#include "codec/codec.h"
#include "codec/metadata.h"
#include "plan/decision.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

// A big-endian TIFF: IFD0 {Model (out of line), GPS pointer, Copyright (inline)}, then the GPS IFD
// {GPSVersionID, GPSLatitudeRef, GPSLatitude (3 rationals, out of line)}, then the values.
std::string tiff_with_gps() {
  std::string out("MM\0*\0\0\0\x08", 8);
  const auto put16 = [&](uint16_t v) { out += char(v >> 8), out += char(v & 255); };
  const auto put32 = [&](uint32_t v) { put16(uint16_t(v >> 16)), put16(uint16_t(v & 0xffff)); };
  const auto entry = [&](uint16_t tag, uint16_t type, uint32_t count, uint32_t value) {
    put16(tag), put16(type), put32(count), put32(value);
  };
  const uint32_t ifd0 = 8, gps = ifd0 + 2 + 3 * 12 + 4, values = gps + 2 + 3 * 12 + 4;
  const std::string model("EdgepixCam 1\0", 13);
  put16(3);
  entry(0x0110, 2, uint32_t(model.size()), values);      // Model
  entry(0x8298, 2, 4, 0x28632900);                          // Copyright "(c)\0"
  entry(0x8825, 4, 1, gps);                                 // GPS IFD pointer
  put32(0);
  put16(3);
  entry(0x0000, 1, 4, 0x02020000);                          // GPSVersionID 2.2.0.0
  entry(0x0001, 2, 2, 0x4e000000);                          // GPSLatitudeRef "N"
  entry(0x0002, 5, 3, values + uint32_t(model.size()));    // GPSLatitude
  put32(0);
  out += model;
  for (uint32_t part : {48u, 1u, 51u, 1u, 30u, 1u}) put32(part);  // 48° 51' 30"
  return out;
}

const char kXmpWithGps[] =
    R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">)"
    R"(<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.5N"/></rdf:RDF></x:xmpmeta>)";

std::vector<uint8_t> jpeg_with_gps() {
  Metadata metadata;
  metadata.exif = tiff_with_gps();
  metadata.xmp = kXmpWithGps;
  EncodeSettings settings;
  settings.metadata = &metadata;
  Result<Buffer> encoded = codec_for(Format::jpeg)->encode(gradient(64, 48, 3), settings);
  REQUIRE(encoded.ok());
  const ByteView bytes = encoded->view();
  return std::vector<uint8_t>(bytes.data, bytes.data + bytes.size);
}

Metadata delivered(const std::string& request) {
  ep_output* out = transform_call(jpeg_with_gps(), request);
  REQUIRE(out != nullptr);
  INFO(std::string(out->meta, out->meta_size));
  REQUIRE(out->data != nullptr);
  const std::string meta(out->meta, out->meta_size);
  const Format format = meta.find("\"png\"") != std::string::npos    ? Format::png
                        : meta.find("\"webp\"") != std::string::npos ? Format::webp
                        : meta.find("\"avif\"") != std::string::npos ? Format::avif
                                                                      : Format::jpeg;
  Metadata metadata = read_metadata({out->data, out->size}, format);
  ep_output_free(out);
  return metadata;
}

bool has_tag(const std::string& tiff, uint16_t tag) {
  // Big-endian, IFD0 at 8, as tiff_with_gps writes it (and the encoders keep it).
  REQUIRE(tiff.compare(0, 8, std::string("MM\0*\0\0\0\x08", 8)) == 0);
  const auto u16 = [&](size_t at) { return uint16_t(uint8_t(tiff.at(at)) << 8 | uint8_t(tiff.at(at + 1))); };
  for (uint16_t i = 0; i < u16(8); ++i)
    if (u16(10 + i * 12) == tag) return true;
  return false;
}

}  // namespace

TEST_CASE("exif_strip_gps drops the pointer, zeroes the GPS IFD and its values, and keeps the rest") {
  const std::string source = tiff_with_gps();
  std::string tiff = source;
  exif_strip_gps(&tiff);
  REQUIRE(tiff.size() == source.size());
  CHECK(has_tag(source, 0x8825));
  CHECK_FALSE(has_tag(tiff, 0x8825));
  CHECK(has_tag(tiff, 0x0110));
  CHECK(exif_copyright_only(tiff) == exif_copyright_only(source));
  CHECK(tiff.find("EdgepixCam 1") != std::string::npos);
  const size_t gps = 8 + 2 + 3 * 12 + 4, values_end = source.size();
  CHECK(tiff.substr(gps, 2 + 3 * 12 + 4) == std::string(2 + 3 * 12 + 4, '\0'));
  CHECK(tiff.substr(values_end - 24) == std::string(24, '\0'));
  std::string no_gps = tiff;
  exif_strip_gps(&no_gps);
  CHECK(no_gps == tiff);
  std::string garbage("MM\0*\0\0\xff\xff", 8);
  exif_strip_gps(&garbage);  // a bad IFD offset: left as it is
  CHECK(garbage == std::string("MM\0*\0\0\xff\xff", 8));
}

TEST_CASE("metadata=keep delivers no GPS in any format that writes EXIF, unless the request says keepGps") {
  for (const char* format : {"jpeg", "png", "webp", "avif"}) {
    INFO(format);
    const std::string options = std::string("width=32,metadata=keep,format=") + format;
    const Metadata stripped = delivered(R"({"options":")" + options + R"("})");
    REQUIRE_FALSE(stripped.exif.empty());
    CHECK_FALSE(has_tag(stripped.exif, 0x8825));
    CHECK(has_tag(stripped.exif, 0x0110));
    CHECK(stripped.exif.find("EdgepixCam 1") != std::string::npos);
    CHECK(stripped.xmp.empty());
    const Metadata kept = delivered(R"({"options":")" + options + R"(","keepGps":true})");
    CHECK(kept.exif == tiff_with_gps());
    if (std::string(format) != "avif") CHECK(kept.xmp == kXmpWithGps);
  }
  // copyright and none never carried GPS; keepGps changes nothing there.
  CHECK(delivered(R"({"options":"width=32","keepGps":true})").exif == exif_copyright_only(tiff_with_gps()));
  CHECK(delivered(R"({"options":"width=32,metadata=none","keepGps":true})").empty());
}

TEST_CASE("an XMP packet without GPS is kept by metadata=keep") {
  Metadata metadata;
  metadata.xmp = R"(<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>me</dc:creator></x:xmpmeta>)";
  CHECK(apply_policy(metadata, MetadataPolicy::keep, Format::jpeg).xmp == metadata.xmp);
  metadata.xmp = kXmpWithGps;
  CHECK(apply_policy(metadata, MetadataPolicy::keep, Format::jpeg).xmp.empty());
  CHECK(apply_policy(metadata, MetadataPolicy::keep, Format::jpeg, true).xmp == metadata.xmp);
}

TEST_CASE("the cache key says gps=keep only when metadata=keep and keepGps are both set") {
  const auto key = [](const std::string& request) {
    Result<Decision> decision = decide(request, RequestHeaders(""));
    REQUIRE(decision.ok());
    return decision->cache_key;
  };
  const std::string plain = key(R"({"options":"width=100,metadata=keep"})");
  CHECK(plain.find("gps") == std::string::npos);
  CHECK(key(R"({"options":"width=100,metadata=keep","keepGps":false})") == plain);
  const std::string kept = key(R"({"options":"width=100,metadata=keep","keepGps":true})");
  CHECK(kept != plain);
  CHECK(kept.find(",gps=keep") != std::string::npos);
  CHECK(key(R"({"options":"width=100","keepGps":true})") == key(R"({"options":"width=100"})"));
  CHECK(key(R"({"transform":{"width":100},"output":{"metadata":"keep"},"keepGps":true})").find(",gps=keep") !=
        std::string::npos);
  CHECK_FALSE(decide(R"({"options":"width=100","keepGps":"yes"})", RequestHeaders("")).ok());
}
