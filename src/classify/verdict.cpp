#include "classify/verdict.h"

#include "classify/condition.h"
#include "classify/hamming.h"
#include "core/json.h"

namespace edgepix {

namespace {

// The nearest entry within the distance (the first of equals), if any.
std::optional<BlockMatch> nearest_blocked(const Policy& policy, uint64_t phash) {
  std::optional<BlockMatch> nearest;
  for (const BlockEntry& entry : policy.blocklist) {
    const int distance = hamming_distance(phash, entry.phash);
    if (distance > int(policy.max_distance) || (nearest && distance >= nearest->distance)) continue;
    nearest = BlockMatch{entry.phash, distance, entry.reason};
  }
  return nearest;
}

const char* action_name(VerdictAction action) {
  return action == VerdictAction::reject ? "reject" : action == VerdictAction::flag ? "flag" : "allow";
}

}  // namespace

Result<Verdict> judge(const Policy& policy, const JsonValue& features) {
  if (!features.is(JsonValue::Kind::object)) return error(ErrorCode::bad_option, "the features must be a JSON object");
  Verdict verdict;
  const Rule* first_reject = nullptr;
  const Rule* first_flag = nullptr;
  for (const Rule& rule : policy.rules) {
    if (!condition_matches(rule.when, features)) continue;
    verdict.fired.push_back(rule.name);
    const Rule*& first = rule.action == RuleAction::reject ? first_reject : first_flag;
    if (!first) first = &rule;
  }
  const JsonValue* phash_text = features.find("phash");
  uint64_t phash = 0;
  if (phash_text && !phash_text->is(JsonValue::Kind::null)) {
    if (!phash_text->is(JsonValue::Kind::string) || !parse_hex64(phash_text->string(), &phash))
      return error(ErrorCode::bad_option, "features.phash: expected 16 hex digits");
    verdict.blocklist = nearest_blocked(policy, phash);
  }
  if (verdict.blocklist) {
    verdict.action = VerdictAction::reject;
    verdict.code = ErrorCode::blocked;
    verdict.rule = "blocklist";
  } else if (first_reject || first_flag) {
    const Rule& rule = first_reject ? *first_reject : *first_flag;
    verdict.action = first_reject ? VerdictAction::reject : VerdictAction::flag;
    verdict.code = first_reject ? ErrorCode::rejected_by_policy : ErrorCode::ok;
    verdict.rule = rule.name;
  }
  return verdict;
}

std::string verdict_json(const Verdict& verdict) {
  JsonObject object;
  object.add("verdict", action_name(verdict.action));
  if (verdict.code == ErrorCode::ok) object.add_json("code", "null");
  else object.add("code", error_info(verdict.code).name);
  if (verdict.rule) object.add("rule", *verdict.rule);
  else object.add_json("rule", "null");
  if (verdict.blocklist)
    object.add("blocklist", JsonObject()
                                .add("phash", hex64(verdict.blocklist->phash))
                                .add("distance", uint64_t(verdict.blocklist->distance))
                                .add("reason", verdict.blocklist->reason));
  else object.add_json("blocklist", "null");
  return object.add("fired", verdict.fired).str();
}

}  // namespace edgepix
