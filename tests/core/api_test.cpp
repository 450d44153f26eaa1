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

// The handle's number, or 0 when the meta has none (an error).
uint32_t handle_in(const std::string& meta) {
  const size_t at = meta.find("\"handle\":");
  return at == std::string::npos ? 0 : uint32_t(std::stoul(meta.substr(at + 9)));
}

ep_output* decide(const std::string& request, const std::string& headers = "") {
  return ep_decide(request.data(), uint32_t(request.size()), headers.data(), uint32_t(headers.size()));
}

// The decision's meta without its handle (which differs on every call); the handle is released.
std::string decision(const std::string& request, const std::string& accept) {
  std::string meta = meta_of(decide(request, "Accept: " + accept + "\n"));
  const uint32_t handle = handle_in(meta);
  ep_release(handle);
  if (handle) meta.erase(1, meta.find(',') );  // {"handle":n,... -> {...
  return meta;
}

ep_output* run(uint32_t handle, const std::vector<uint8_t>& input) {
  const ep_input base{input.data(), uint32_t(input.size())};
  return ep_run(handle, &base, 1);
}

struct Counts {
  uint64_t parsed, negotiated, decoded;
};
Counts counters() {
  const std::string meta = meta_of(ep_counters());
  const auto field = [&](const char* name) {
    return std::stoull(meta.substr(meta.find(std::string("\"") + name + "\":") + std::string(name).size() + 3));
  };
  return {field("optionsParsed"), field("negotiated"), field("decoded")};
}
}  // namespace

TEST_CASE("ep_decide normalises options and negotiation into the cache key") {
  CHECK(decision("width=400,format=auto", "image/webp,*/*") == decision("w=400,f=auto", "image/avif;q=0,image/webp;q=0.9"));
  CHECK(decision("width=400,format=auto", "image/avif,image/webp,*/*") ==
        decision("w=400,f=auto", "IMAGE/AVIF;q=0.8,image/webp"));
  CHECK(decision("width=400,format=auto", "image/avif") == decision("width=400,format=auto", "image/avif,image/webp"));
  CHECK(decision("width=400,format=auto", "image/webp") != decision("width=400,format=auto", "*/*"));
  CHECK_THAT(decision("width=400,format=auto", "*/*"), Catch::Contains("\"varyAccept\":true"));
  CHECK_THAT(decision("width=400", "image/webp"), Catch::Contains("\"varyAccept\":false"));
  CHECK(decision("width=400", "image/webp") == decision("width=400", "*/*"));  // no negotiation: Accept is ignored
  CHECK(decision(R"({"options":"width=400,format=auto"})", "image/webp") == decision("w=400,f=auto", "image/webp"));
  CHECK(decision("width=bad", "") ==
        R"({"error":{"code":"bad_option","status":400,"message":"option 'width': expected a whole number of pixels, got 'bad'"}})");
}

TEST_CASE("a decision runs once: parsed and negotiated at decide, decoded at run") {
  const auto bytes = fixture("orient-6.jpg");
  const Counts before = counters();
  const std::string decided = meta_of(decide("width=32,format=png", "Accept: image/webp\n"));
  const uint32_t handle = handle_in(decided);
  REQUIRE(handle != 0);
  const std::string ran = meta_of(run(handle, bytes));
  CHECK_THAT(ran, Catch::Contains(R"("format":"png","contentType":"image/png","width":32,"height":24)"));
  // The run answers the same decision it was given.
  CHECK_THAT(ran, Catch::Contains(decided.substr(decided.find(',') + 1, decided.size() - decided.find(',') - 2)));
  const Counts after = counters();
  CHECK(after.parsed - before.parsed == 1);
  CHECK(after.negotiated - before.negotiated == 1);
  CHECK(after.decoded - before.decoded == 1);

  // Consumed: a second run, or a run of a released handle, fails cleanly and decodes nothing.
  CHECK_THAT(meta_of(run(handle, bytes)), Catch::Contains("unknown decision handle"));
  const uint32_t released = handle_in(meta_of(decide("width=32")));
  ep_release(released);
  ep_release(released);  // twice is harmless
  CHECK_THAT(meta_of(run(released, bytes)), Catch::Contains(R"("code":"internal")"));
  CHECK(counters().decoded == after.decoded);
}

TEST_CASE("draw entries name inputs that must be given") {
  const auto bytes = fixture("orient-6.jpg");
  const uint32_t handle = handle_in(meta_of(decide(R"({"options":"width=32","draw":[{"input":1}]})")));
  REQUIRE(handle != 0);
  CHECK_THAT(meta_of(run(handle, bytes)), Catch::Contains("draw: input 1 was not given"));
}

TEST_CASE("ep_probe reports the upright size and orientation") {
  const auto bytes = fixture("orient-6.jpg");
  const std::string meta = meta_of(ep_probe(bytes.data(), uint32_t(bytes.size())));
  CHECK(meta == R"({"format":"jpeg","width":64,"height":48,"orientation":6,"hasAlpha":false,"animated":false,"frames":1})");
  CHECK_THAT(meta_of(ep_probe(nullptr, 0)), Catch::Contains("unsupported_format"));
}

TEST_CASE("error messages are escaped JSON") {
  const std::string options = "background=\"\\x\x01";
  CHECK_THAT(meta_of(decide(options)), Catch::Contains(R"(\"\\x\u0001)"));
}
