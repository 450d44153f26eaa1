// The moderation policy through ep_policy: defaults, normalisation, and an error naming the place for each rule
// of the language.
#include <catch2/catch.hpp>
#include <string>

#include "api.h"
#include "classify/policy.h"

namespace {
std::string policy_meta(const std::string& json) {
  ep_output* out = ep_policy(json.data(), uint32_t(json.size()));
  REQUIRE(out != nullptr);
  std::string meta(out->meta, out->meta_size);
  ep_output_free(out);
  return meta;
}

// The bad_policy message for `json` (fails the test when it validates).
std::string policy_error(const std::string& json) {
  edgepix::Result<edgepix::Policy> policy = edgepix::parse_policy(json);
  INFO(json);
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.status().code() == edgepix::ErrorCode::bad_policy);
  return policy.status().message();
}

std::string rule_with(const std::string& when) {
  return R"({"rules":[{"name":"r","action":"reject","when":)" + when + "}]}";
}
}  // namespace

TEST_CASE("an empty policy normalises to the defaults") {
  CHECK(policy_meta("{}") ==
        R"({"rules":[],"blocklist":{"maxDistance":8,"entries":[]},"keepGps":false,"classifier":{"labels":false}})");
}

TEST_CASE("a full policy normalises to a fixed order, lowercase hashes and a reason, and reads back unchanged") {
  const std::string policy = R"({"classifier":{"labels":true},"keepGps":true,
    "blocklist":{"entries":[{"phash":"C3A1F0E0B0D09C8E"},{"phash":"0000000000000001","reason":"takedown"}],"maxDistance":4},
    "rules":[{"when":{"all":[{"feature":"exif.gps","eq":true},{"feature":"pixels","gt":2e6},
                             {"not":{"feature":"format","in":["jpeg","png"]}}]},"action":"flag","name":"located"},
             {"name":"no-stop-signs","action":"reject","when":{"any":[{"label":"stop sign","gte":0.8},
                                                                       {"feature":"exif.cameraModel","eq":null}]}}]})";
  const std::string normalised =
      R"({"rules":[{"name":"located","action":"flag","when":{"all":[{"feature":"exif.gps","eq":true},)"
      R"({"feature":"pixels","gt":2000000},{"not":{"feature":"format","in":["jpeg","png"]}}]}},)"
      R"({"name":"no-stop-signs","action":"reject","when":{"any":[{"label":"stop sign","gte":0.8},)"
      R"({"feature":"exif.cameraModel","eq":null}]}}],)"
      R"("blocklist":{"maxDistance":4,"entries":[{"phash":"c3a1f0e0b0d09c8e","reason":""},)"
      R"({"phash":"0000000000000001","reason":"takedown"}]},"keepGps":true,"classifier":{"labels":true}})";
  CHECK(policy_meta(policy) == normalised);
  CHECK(policy_meta(normalised) == normalised);
}

TEST_CASE("ep_policy answers bad_policy with status 400") {
  CHECK(policy_meta(R"({"rules":[{"name":"r","action":"reject","when":{"any":[{"feature":"width","gtt":3}]}}]})") ==
        R"({"error":{"code":"bad_policy","status":400,"message":"rules[0].when.any[0]: unknown op 'gtt'"}})");
}

TEST_CASE("policy errors name the place at fault") {
  CHECK(policy_error("[]") == "the policy must be a JSON object");
  CHECK(policy_error(R"({"rules": [)").find("the policy is not valid JSON at character") == 0);
  CHECK(policy_error(R"({"rule":[]})") == "rule: unknown member (a policy has rules, blocklist, keepGps and classifier)");
  CHECK(policy_error(R"({"keepGps":"yes"})") == "keepGps: expected true or false");
  CHECK(policy_error(R"({"classifier":{"labels":1}})") == "classifier.labels: expected true or false");
  CHECK(policy_error(R"({"classifier":{"model":"x"}})") == "classifier: unknown member 'model' (the classifier has labels)");
  CHECK(policy_error(R"({"rules":{}})") == "rules: expected a list of rules");
}

TEST_CASE("rules need a unique name of 1 to 64 characters, reject or flag, and a condition") {
  const std::string when = R"("when":{"feature":"animated","eq":true})";
  CHECK(policy_error(R"({"rules":[{"action":"reject",)" + when + "}]}") == "rules[0].name: expected a name of 1 to 64 characters");
  CHECK(policy_error(R"({"rules":[{"name":"","action":"reject",)" + when + "}]}") ==
        "rules[0].name: expected a name of 1 to 64 characters");
  CHECK(policy_error(R"({"rules":[{"name":")" + std::string(65, 'n') + R"(","action":"reject",)" + when + "}]}") ==
        "rules[0].name: expected a name of 1 to 64 characters");
  CHECK(policy_meta(R"({"rules":[{"name":")" + std::string(64, 'n') + R"(","action":"reject",)" + when + "}]}")
            .find("error") == std::string::npos);
  CHECK(policy_error(R"({"rules":[{"name":"a","action":"flag",)" + when + R"(},{"name":"a","action":"reject",)" + when +
                     "}]}") == "rules[1].name: 'a' is already the name of rules[0]");
  CHECK(policy_error(R"({"rules":[{"name":"a","action":"block",)" + when + "}]}") == "rules[0].action: expected reject or flag");
  CHECK(policy_error(R"({"rules":[{"name":"a","action":"flag"}]})") == "rules[0].when: expected a condition");
  CHECK(policy_error(R"({"rules":[{"name":"a","action":"flag","if":{},)" + when + "}]}") ==
        "rules[0]: unknown member 'if' (a rule has name, action and when)");
  std::string many = R"({"rules":[)";
  for (int i = 0; i < 257; ++i) many += (i ? "," : "") + std::string(R"({"name":"r)") + std::to_string(i) + R"(","action":"flag",)" + when + "}";
  CHECK(policy_error(many + "]}") == "rules: at most 256 rules");
}

TEST_CASE("conditions: paths, ops and operand types") {
  CHECK(policy_error(rule_with(R"({"feature":"widht","gt":3})")) == "rules[0].when.feature: unknown feature 'widht'");
  CHECK(policy_error(rule_with(R"({"feature":"dominantColors","eq":"#fff"})")) ==
        "rules[0].when.feature: 'dominantColors' cannot be compared (compare one of its fields)");
  CHECK(policy_error(rule_with(R"({"feature":"width"})")) == "rules[0].when: expected an op: eq, ne, lt, lte, gt, gte or in");
  CHECK(policy_error(rule_with(R"({"feature":"width","gt":1,"lt":5})")) ==
        "rules[0].when: more than one op ('gt' and 'lt'): combine them with all");
  CHECK(policy_error(rule_with(R"({"feature":"width","gt":"100"})")) == "rules[0].when.gt: expected a number");
  CHECK(policy_error(rule_with(R"({"feature":"format","lt":3})")) ==
        "rules[0].when.lt: feature 'format' is a string: lt compares numbers");
  CHECK(policy_error(rule_with(R"({"feature":"animated","eq":"true"})")) ==
        "rules[0].when.eq: expected true or false (feature 'animated' is a boolean)");
  CHECK(policy_error(rule_with(R"({"feature":"width","eq":null})")) ==
        "rules[0].when.eq: expected a number (feature 'width' is a number)");
  CHECK(policy_error(rule_with(R"({"feature":"format","in":"jpeg"})")) == "rules[0].when.in: expected a list of values");
  CHECK(policy_error(rule_with(R"({"feature":"format","in":["jpeg",1]})")) ==
        "rules[0].when.in[1]: expected a string (feature 'format' is a string)");
  CHECK(policy_error(rule_with(R"({"feature":3,"eq":3})")) == "rules[0].when.feature: expected a feature's path");
  CHECK(policy_error(rule_with(R"({"label":"cat","in":[1]})")) ==
        "rules[0].when.in: a label's score is compared by eq, ne, lt, lte, gt or gte");
  CHECK(policy_error(rule_with(R"({"label":"cat","gte":"high"})")) == "rules[0].when.gte: expected a score (a number)");
  CHECK(policy_error(rule_with(R"({"label":"","gte":0.5})")) == "rules[0].when.label: expected a label's name (1 to 256 characters)");
  CHECK(policy_error(rule_with(R"({"label":"cat","feature":"width","gte":0.5})")) ==
        "rules[0].when: a condition names a feature or a label, not both");
  CHECK(policy_error(rule_with(R"({"either":[]})")) == "rules[0].when: unknown condition 'either' (expected feature, label, all, any or not)");
  CHECK(policy_error(rule_with(R"({"all":{}})")) == "rules[0].when.all: expected a list of conditions");
  CHECK(policy_error(rule_with(R"({"all":[],"any":[]})")).find("rules[0].when: expected a condition:") == 0);
  CHECK(policy_error(rule_with(R"({"not":{"any":[{"feature":"width","gt":1},"x"]}})")) ==
        "rules[0].when.not.any[1]: expected a condition (an object)");
}

TEST_CASE("conditions nest at most 16 levels") {
  const auto nested = [](int levels) {
    std::string when = R"({"feature":"width","gt":1})";
    for (int i = 1; i < levels; ++i) when = R"({"not":)" + when + "}";
    return rule_with(when);
  };
  CHECK(policy_meta(nested(16)).find("error") == std::string::npos);
  std::string where = "rules[0].when";
  for (int i = 1; i < 17; ++i) where += ".not";
  CHECK(policy_error(nested(17)) == where + ": conditions nest deeper than 16 levels");
}

TEST_CASE("the block list: 16-hex hashes, a distance from 0 to 32, at most 10000 entries") {
  CHECK(policy_error(R"({"blocklist":{"maxDistance":33}})") == "blocklist.maxDistance: expected a whole number from 0 to 32");
  CHECK(policy_error(R"({"blocklist":{"maxDistance":2.5}})") == "blocklist.maxDistance: expected a whole number from 0 to 32");
  CHECK(policy_error(R"({"blocklist":{"entries":[{"phash":"abc"}]}})") ==
        "blocklist.entries[0].phash: expected 16 hex digits (a pHash from classify)");
  CHECK(policy_error(R"({"blocklist":{"entries":[{"phash":"000000000000000g"}]}})") ==
        "blocklist.entries[0].phash: expected 16 hex digits (a pHash from classify)");
  CHECK(policy_error(R"({"blocklist":{"entries":[{"phash":"0000000000000000","why":"x"}]}})") ==
        "blocklist.entries[0]: unknown member 'why' (an entry has phash and reason)");
  CHECK(policy_error(R"({"blocklist":{"max":1}})") ==
        "blocklist: unknown member 'max' (the block list has maxDistance and entries)");
  const auto entries = [](int count) {
    std::string json = R"({"blocklist":{"maxDistance":0,"entries":[)";
    for (int i = 0; i < count; ++i) json += (i ? "," : "") + std::string(R"({"phash":"00000000000000ff","reason":"r"})");
    return json + "]}}";
  };
  CHECK(policy_meta(entries(10000)).find("error") == std::string::npos);
  CHECK(policy_error(entries(10001)) == "blocklist.entries: at most 10000 entries");
}
