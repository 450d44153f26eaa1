// The moderation policy: rules over an image's features (and optional classifier labels), a block list of
// perceptual hashes, and two switches. Parsed and validated in one place (policy.cpp, policy_condition.cpp),
// written back normalised with every default filled in (policy_json.cpp), judged by verdict.h.
//   {"rules":[{"name":"no-animations","action":"reject","when":{"feature":"animated","eq":true}}],
//    "blocklist":{"maxDistance":8,"entries":[{"phash":"c3a1f0e0b0d09c8e","reason":"takedown"}]},
//    "keepGps":false,"classifier":{"labels":false}}
// Every error is bad_policy and names the place at fault: "rules[0].when.any[0]: unknown op 'gtt'".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_value.h"
#include "core/status.h"

namespace edgepix {

enum class CompareOp : uint8_t { eq, ne, lt, lte, gt, gte, in };

// A feature's value type, as the classify object gives it (nullable: the value may be null).
enum class FeatureType : uint8_t { number, string, boolean };

struct Condition {
  enum class Kind : uint8_t { feature, label, all, any, negate };
  Kind kind = Kind::all;
  std::string subject;  // feature: its dotted path; label: the label's name
  CompareOp op = CompareOp::eq;
  JsonValue operand;    // what the feature or score is compared with (in: an array)
  std::vector<Condition> children;  // all, any: the list; not: the one condition
};

enum class RuleAction : uint8_t { reject, flag };

struct Rule {
  std::string name;
  RuleAction action = RuleAction::reject;
  Condition when;
};

struct BlockEntry {
  uint64_t phash = 0;
  std::string reason;
};

struct Policy {
  std::vector<Rule> rules;
  uint32_t max_distance = 8;  // the block list's Hamming distance, 0..32
  std::vector<BlockEntry> blocklist;
  bool keep_gps = false;      // metadata=keep may deliver GPS
  bool labels = false;        // ask the classifier binding for labels
};

constexpr size_t kMaxPolicyRules = 256;
constexpr size_t kMaxBlocklistEntries = 10000;
constexpr int kMaxConditionDepth = 16;
constexpr size_t kMaxRuleName = 64;

Result<Policy> parse_policy(std::string_view text);
Result<Policy> parse_policy(const JsonValue& json);
// The policy normalised: every member present, in a fixed order, hashes lowercase.
std::string policy_json(const Policy& policy);

// The op's name in a condition ("gte"), and the op a name spells (false when none).
const char* op_name(CompareOp op);
bool op_named(std::string_view name, CompareOp* op);
// One condition at `where` (for messages), `depth` 1 for a rule's `when`.
Result<Condition> parse_condition(const JsonValue& json, const std::string& where, int depth);
std::string condition_json(const Condition& condition);

// The policy's JSON documents may be larger than a request (10000 block-list entries) and nest deeper (16 levels
// of conditions take two JSON levels each).
JsonReadLimits policy_read_limits(const char* subject);

}  // namespace edgepix
