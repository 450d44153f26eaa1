#include <catch2/catch.hpp>
#include <string>

#include "api.h"
#include "support.h"

using namespace edgepix::test;

namespace {
std::string meta_of(ep_output* out) {
  REQUIRE(out != nullptr);
  std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  return meta;
}
std::string plan(const std::string& options, const std::string& accept) {
  const std::string headers = "Accept: " + accept + "\n";
  return meta_of(ep_plan(options.data(), uint32_t(options.size()), headers.data(), uint32_t(headers.size())));
}
}  // namespace

TEST_CASE("ep_plan normalises options and negotiation into the cache key") {
  CHECK(plan("width=400,format=auto", "image/webp,*/*") == plan("w=400,f=auto", "image/avif;q=0,image/webp;q=0.9"));
  CHECK(plan("width=400,format=auto", "image/avif,image/webp,*/*") == plan("w=400,f=auto", "IMAGE/AVIF;q=0.8,image/webp"));
  CHECK(plan("width=400,format=auto", "image/avif") == plan("width=400,format=auto", "image/avif,image/webp"));
  CHECK(plan("width=400,format=auto", "image/webp") != plan("width=400,format=auto", "*/*"));
  CHECK_THAT(plan("width=400,format=auto", "*/*"), Catch::Contains("\"varyAccept\":true"));
  CHECK_THAT(plan("width=400", "image/webp"), Catch::Contains("\"varyAccept\":false"));
  CHECK(plan("width=400", "image/webp") == plan("width=400", "*/*"));  // no negotiation: Accept is ignored
  CHECK(plan("width=bad", "") ==
        R"({"error":{"code":"bad_option","status":400,"message":"option 'width': expected a whole number of pixels, got 'bad'"}})");
}

TEST_CASE("ep_probe reports the upright size and orientation") {
  const auto bytes = fixture("orient-6.jpg");
  const std::string meta = meta_of(ep_probe(bytes.data(), uint32_t(bytes.size())));
  CHECK(meta == R"({"format":"jpeg","width":64,"height":48,"orientation":6,"hasAlpha":false,"animated":false,"frames":1})");
  CHECK_THAT(meta_of(ep_probe(nullptr, 0)), Catch::Contains("unsupported_format"));
}

TEST_CASE("error messages are escaped JSON") {
  const std::string options = "background=\"\\x\x01";
  const std::string meta = meta_of(ep_plan(options.data(), uint32_t(options.size()), "", 0));
  CHECK_THAT(meta, Catch::Contains(R"(\"\\x\u0001)"));
}
