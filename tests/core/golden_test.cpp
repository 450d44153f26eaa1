// tests/golden/cases.tsv through the C ABI: the same table the Node tests run against both wasm builds.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <sstream>

#include "api.h"
#include "support.h"

using namespace edgepix;
using namespace edgepix::test;

namespace {

struct GoldenCase {
  std::string name, fixture, options, accept, status, format, width, height;
};

std::vector<GoldenCase> load_cases() {
  std::ifstream file(EDGEPIX_SOURCE_DIR "/tests/golden/cases.tsv");
  std::vector<GoldenCase> cases;
  std::string line;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    GoldenCase c;
    std::getline(fields, c.name, '\t');
    std::getline(fields, c.fixture, '\t');
    std::getline(fields, c.options, '\t');
    std::getline(fields, c.accept, '\t');
    std::getline(fields, c.status, '\t');
    std::getline(fields, c.format, '\t');
    std::getline(fields, c.width, '\t');
    std::getline(fields, c.height, '\t');
    if (c.accept == "-") c.accept.clear();
    cases.push_back(c);
  }
  return cases;
}

}  // namespace

TEST_CASE("golden cases") {
  const auto cases = load_cases();
  REQUIRE(cases.size() > 40);
  for (const GoldenCase& c : cases) {
    INFO(c.name << ": " << c.fixture << " " << c.options << " accept=" << c.accept);
    const auto input = fixture(c.fixture);
    const std::string headers = c.accept.empty() ? "" : "Accept: " + c.accept + "\n";
    ep_output* out = transform_call(input, c.options, headers);
    REQUIRE(out != nullptr);
    const std::string meta(out->meta, out->meta_size);
    INFO(meta);
    if (c.status == "200") {
      CHECK_THAT(meta, Catch::Contains("\"format\":\"" + c.format + "\""));
      REQUIRE(out->size > 0);
      if (c.format == "json") {
        const std::string body(reinterpret_cast<const char*>(out->data), out->size);
        CHECK_THAT(body, Catch::StartsWith("{\"width\":" + c.width + ",\"height\":" + c.height + ","));
        ep_output_free(out);
        continue;
      }
      // Decode what was encoded: the bytes are the format claimed, with the dimensions claimed.
      const ByteView bytes{out->data, out->size};
      CHECK(codec_for(sniff_format(bytes))->name == c.format);
      const Image image = decode(bytes);
      CHECK(std::to_string(image.width) == c.width);
      CHECK(std::to_string(image.height) == c.height);
    } else {
      CHECK_THAT(meta, Catch::Contains("\"code\":\"" + c.format + "\""));
      CHECK_THAT(meta, Catch::Contains("\"status\":" + c.status));
      CHECK(out->size == 0);
    }
    ep_output_free(out);
  }
}
