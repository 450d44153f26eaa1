// The policy's verdict through ep_verdict: each op, all/any/not, labels, the block list's distance, and the order
// block list → reject rule → flag rule → allow.
#include <catch2/catch.hpp>
#include <string>

#include "api.h"
#include "classify/hamming.h"

using namespace edgepix;

namespace {
const std::string kFeatures =
    R"({"format":"jpeg","width":1200,"height":900,"animated":false,"frames":1,"alpha":false,)"
    R"("dominantColors":[{"hex":"#aabbcc","share":0.41}],"phash":"c3a1f0e0b0d09c8e","sharpness":123.4,)"
    R"("exposure":{"mean":0.47,"shadows":0.02,"highlights":0.01},"photo":0.93,)"
    R"("exif":{"gps":true,"cameraModel":null,"captureDate":"2024-05-01T10:00:00"},"fileSize":250000,)"
    R"("labels":[{"label":"seashore","score":0.71},{"label":"stop sign","score":0.2}]})";

std::string verdict_meta(const std::string& policy, const std::string& features = kFeatures) {
  ep_output* out = ep_verdict(policy.data(), uint32_t(policy.size()), features.data(), uint32_t(features.size()));
  REQUIRE(out != nullptr);
  std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  return meta;
}

// Whether a one-rule flag policy with condition `when` fires on kFeatures.
bool fires(const std::string& when) {
  const std::string meta = verdict_meta(R"({"rules":[{"name":"r","action":"flag","when":)" + when + "}]}");
  INFO(when << " -> " << meta);
  REQUIRE(meta.find("error") == std::string::npos);
  return meta.find(R"("fired":["r"])") != std::string::npos;
}
}  // namespace

TEST_CASE("each op compares a feature") {
  CHECK(fires(R"({"feature":"width","eq":1200})"));
  CHECK_FALSE(fires(R"({"feature":"width","ne":1200})"));
  CHECK(fires(R"({"feature":"width","lt":1201})"));
  CHECK_FALSE(fires(R"({"feature":"width","lt":1200})"));
  CHECK(fires(R"({"feature":"width","lte":1200})"));
  CHECK(fires(R"({"feature":"height","gt":899})"));
  CHECK_FALSE(fires(R"({"feature":"height","gt":900})"));
  CHECK(fires(R"({"feature":"height","gte":900})"));
  CHECK(fires(R"({"feature":"format","in":["png","jpeg"]})"));
  CHECK_FALSE(fires(R"({"feature":"format","in":[]})"));
  CHECK(fires(R"({"feature":"format","ne":"png"})"));
  CHECK(fires(R"({"feature":"animated","eq":false})"));
  CHECK(fires(R"({"feature":"exif.gps","eq":true})"));
  CHECK(fires(R"({"feature":"exposure.mean","lt":0.5})"));
  CHECK(fires(R"({"feature":"photo","gte":0.93})"));
  CHECK(fires(R"({"feature":"exif.cameraModel","eq":null})"));
  CHECK(fires(R"({"feature":"exif.captureDate","ne":null})"));
  CHECK(fires(R"({"feature":"pixels","eq":1080000})"));
  CHECK(fires(R"({"feature":"fileSize","gt":200000})"));
  CHECK(fires(R"({"feature":"phash","eq":"c3a1f0e0b0d09c8e"})"));
}

TEST_CASE("a feature the object lacks is null: equal to null only, never less or greater") {
  CHECK_FALSE(fires(R"({"feature":"blurhash","eq":"x"})"));
  CHECK(fires(R"({"feature":"blurhash","ne":"x"})"));
  const std::string no_width = R"({"height":900})";
  for (const char* op : {"lt", "gt", "eq"})
    CHECK(verdict_meta(std::string(R"({"rules":[{"name":"r","action":"flag","when":{"feature":"pixels",")") + op +
                           R"(":1}}]})",
                       no_width)
              .find(R"("fired":[])") != std::string::npos);
}

TEST_CASE("all, any and not combine conditions") {
  const std::string yes = R"({"feature":"width","eq":1200})", no = R"({"feature":"width","eq":1})";
  CHECK(fires(R"({"all":[)" + yes + "," + yes + "]}"));
  CHECK_FALSE(fires(R"({"all":[)" + yes + "," + no + "]}"));
  CHECK(fires(R"({"all":[]})"));
  CHECK(fires(R"({"any":[)" + no + "," + yes + "]}"));
  CHECK_FALSE(fires(R"({"any":[)" + no + "," + no + "]}"));
  CHECK_FALSE(fires(R"({"any":[]})"));
  CHECK(fires(R"({"not":)" + no + "}"));
  CHECK_FALSE(fires(R"({"not":{"not":)" + no + "}}"));
}

TEST_CASE("labels: a score compared; a label absent from the labels scores 0") {
  CHECK(fires(R"({"label":"seashore","gte":0.7})"));
  CHECK_FALSE(fires(R"({"label":"stop sign","gte":0.8})"));
  CHECK(fires(R"({"label":"zebra","eq":0})"));
  CHECK_FALSE(fires(R"({"label":"zebra","gt":0})"));
  const std::string no_labels = R"({"width":10})";
  CHECK(verdict_meta(R"({"rules":[{"name":"r","action":"flag","when":{"label":"cat","lt":0.1}}]})", no_labels)
            .find(R"("fired":["r"])") != std::string::npos);
}

TEST_CASE("Hamming distance of 64-bit hashes") {
  uint64_t value = 0;
  CHECK(parse_hex64("C3A1F0E0B0D09C8E", &value));
  CHECK(hex64(value) == "c3a1f0e0b0d09c8e");
  CHECK_FALSE(parse_hex64("c3a1f0e0b0d09c8", &value));
  CHECK(hamming_distance(0, 0) == 0);
  CHECK(hamming_distance(0, ~uint64_t(0)) == 64);
  CHECK(hamming_distance(0xff, 0x0f) == 4);
}

TEST_CASE("the block list: the nearest entry within maxDistance rejects with 'blocked'") {
  // The image's c3a1f0e0b0d09c8e with 4, 8 and 9 bits flipped.
  const std::string four = "c3a1f0e0b0d09c81", eight = "c3a1f0e0b0d09c71", nine = "c3a1f0e0b0d09d71";
  CHECK(hamming_distance(0xc3a1f0e0b0d09c8e, 0xc3a1f0e0b0d09c81) == 4);
  CHECK(hamming_distance(0xc3a1f0e0b0d09c8e, 0xc3a1f0e0b0d09c71) == 8);
  CHECK(hamming_distance(0xc3a1f0e0b0d09c8e, 0xc3a1f0e0b0d09d71) == 9);
  const auto policy = [](const std::string& entries, int max) {
    return R"({"blocklist":{"maxDistance":)" + std::to_string(max) + R"(,"entries":[)" + entries + "]}}";
  };
  const auto entry = [](const std::string& phash, const std::string& reason) {
    return R"({"phash":")" + phash + R"(","reason":")" + reason + R"("})";
  };
  CHECK(verdict_meta(policy(entry(eight, "far") + "," + entry(four, "near"), 8)) ==
        R"({"verdict":"reject","code":"blocked","rule":"blocklist",)"
        R"("blocklist":{"phash":"c3a1f0e0b0d09c81","distance":4,"reason":"near"},"fired":[]})");
  CHECK(verdict_meta(policy(entry(eight, "far"), 8)).find(R"("distance":8)") != std::string::npos);
  CHECK(verdict_meta(policy(entry(nine, "too far"), 8)) ==
        R"({"verdict":"allow","code":null,"rule":null,"blocklist":null,"fired":[]})");
  CHECK(verdict_meta(policy(entry("c3a1f0e0b0d09c8e", "exact"), 0)).find(R"("distance":0)") != std::string::npos);
  CHECK(verdict_meta(policy(entry(four, "near"), 3)).find(R"("verdict":"allow")") != std::string::npos);
}

TEST_CASE("the order: block list, then the first reject rule, then the first flag rule, else allow") {
  const std::string rules =
      R"("rules":[{"name":"wide","action":"flag","when":{"feature":"width","gte":1000}},)"
      R"({"name":"located","action":"reject","when":{"feature":"exif.gps","eq":true}},)"
      R"({"name":"big","action":"reject","when":{"feature":"pixels","gt":1}},)"
      R"({"name":"tiny","action":"reject","when":{"feature":"pixels","lt":1}}])";
  CHECK(verdict_meta("{" + rules + "}") ==
        R"({"verdict":"reject","code":"rejected_by_policy","rule":"located","blocklist":null,"fired":["wide","located","big"]})");
  CHECK(verdict_meta(R"({"blocklist":{"entries":[{"phash":"c3a1f0e0b0d09c8e","reason":"r"}]},)" + rules + "}") ==
        R"({"verdict":"reject","code":"blocked","rule":"blocklist","blocklist":{"phash":"c3a1f0e0b0d09c8e","distance":0,)"
        R"("reason":"r"},"fired":["wide","located","big"]})");
  CHECK(verdict_meta(R"({"rules":[{"name":"wide","action":"flag","when":{"feature":"width","gte":1000}},)"
                     R"({"name":"tall","action":"flag","when":{"feature":"height","gte":10}}]})") ==
        R"({"verdict":"flag","code":null,"rule":"wide","blocklist":null,"fired":["wide","tall"]})");
  CHECK(verdict_meta("{}") == R"({"verdict":"allow","code":null,"rule":null,"blocklist":null,"fired":[]})");
}

TEST_CASE("ep_verdict validates the policy again, and refuses features that are not an object") {
  CHECK(verdict_meta(R"({"rules":[{"name":"r","action":"reject","when":{"feature":"width","gtt":1}}]})")
            .find(R"("code":"bad_policy","status":400,"message":"rules[0].when: unknown op 'gtt'")") != std::string::npos);
  CHECK(verdict_meta("{}", "[]").find(R"("code":"bad_option")") != std::string::npos);
  CHECK(verdict_meta("{}", R"({"phash":"xyz"})").find("features.phash: expected 16 hex digits") != std::string::npos);
}
