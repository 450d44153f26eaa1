// The policy's reader: each top-level member by its own parser (one table), defaults for the members left out.
#include "classify/policy.h"

#include <cmath>

#include "classify/hamming.h"

namespace edgepix {

namespace {

constexpr size_t kMaxReason = 1024;

Status bad(const std::string& where, const std::string& why) { return error(ErrorCode::bad_policy, where + ": " + why); }

size_t utf8_length(const std::string& text) {
  size_t length = 0;
  for (const char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

Status parse_rule(const JsonValue& json, const std::string& where, const std::vector<Rule>& earlier, Rule* rule) {
  if (!json.is(JsonValue::Kind::object)) return bad(where, "expected a rule {name, action, when}");
  for (const auto& member : json.members())
    if (member.first != "name" && member.first != "action" && member.first != "when")
      return bad(where, "unknown member '" + member.first + "' (a rule has name, action and when)");
  const JsonValue* name = json.find("name");
  if (!name || !name->is(JsonValue::Kind::string) || name->string().empty() || utf8_length(name->string()) > kMaxRuleName)
    return bad(where + ".name", "expected a name of 1 to 64 characters");
  for (size_t i = 0; i < earlier.size(); ++i)
    if (earlier[i].name == name->string())
      return bad(where + ".name", "'" + name->string() + "' is already the name of rules[" + std::to_string(i) + "]");
  rule->name = name->string();
  const JsonValue* action = json.find("action");
  if (!action || !action->is(JsonValue::Kind::string) || (action->string() != "reject" && action->string() != "flag"))
    return bad(where + ".action", "expected reject or flag");
  rule->action = action->string() == "reject" ? RuleAction::reject : RuleAction::flag;
  const JsonValue* when = json.find("when");
  if (!when) return bad(where + ".when", "expected a condition");
  Result<Condition> condition = parse_condition(*when, where + ".when", 1);
  if (!condition.ok()) return condition.status();
  rule->when = std::move(condition.value());
  return {};
}

Status parse_rules(const JsonValue& json, Policy* policy) {
  if (!json.is(JsonValue::Kind::array)) return bad("rules", "expected a list of rules");
  if (json.items().size() > kMaxPolicyRules) return bad("rules", "at most 256 rules");
  policy->rules.clear();
  for (const JsonValue& item : json.items()) {
    Rule rule;
    EP_TRY(parse_rule(item, "rules[" + std::to_string(policy->rules.size()) + "]", policy->rules, &rule));
    policy->rules.push_back(std::move(rule));
  }
  return {};
}

Status parse_entry(const JsonValue& json, const std::string& where, BlockEntry* entry) {
  if (!json.is(JsonValue::Kind::object)) return bad(where, "expected an entry {phash, reason}");
  for (const auto& member : json.members())
    if (member.first != "phash" && member.first != "reason")
      return bad(where, "unknown member '" + member.first + "' (an entry has phash and reason)");
  const JsonValue* phash = json.find("phash");
  if (!phash || !phash->is(JsonValue::Kind::string) || !parse_hex64(phash->string(), &entry->phash))
    return bad(where + ".phash", "expected 16 hex digits (a pHash from classify)");
  const JsonValue* reason = json.find("reason");
  if (reason && !reason->is(JsonValue::Kind::null)) {
    if (!reason->is(JsonValue::Kind::string) || reason->string().size() > kMaxReason)
      return bad(where + ".reason", "expected a text of at most 1024 bytes");
    entry->reason = reason->string();
  }
  return {};
}

Status parse_blocklist(const JsonValue& json, Policy* policy) {
  if (!json.is(JsonValue::Kind::object)) return bad("blocklist", "expected {maxDistance, entries}");
  for (const auto& member : json.members())
    if (member.first != "maxDistance" && member.first != "entries")
      return bad("blocklist", "unknown member '" + member.first + "' (the block list has maxDistance and entries)");
  if (const JsonValue* distance = json.find("maxDistance")) {
    const double value = distance->is(JsonValue::Kind::number) ? distance->number() : -1;
    if (value < 0 || value > 32 || value != std::floor(value))
      return bad("blocklist.maxDistance", "expected a whole number from 0 to 32");
    policy->max_distance = uint32_t(value);
  }
  const JsonValue* entries = json.find("entries");
  if (!entries) return {};
  if (!entries->is(JsonValue::Kind::array)) return bad("blocklist.entries", "expected a list of entries");
  if (entries->items().size() > kMaxBlocklistEntries) return bad("blocklist.entries", "at most 10000 entries");
  policy->blocklist.assign(entries->items().size(), {});
  for (size_t i = 0; i < entries->items().size(); ++i)
    EP_TRY(parse_entry(entries->items()[i], "blocklist.entries[" + std::to_string(i) + "]", &policy->blocklist[i]));
  return {};
}

Status parse_keep_gps(const JsonValue& json, Policy* policy) {
  if (!json.is(JsonValue::Kind::boolean)) return bad("keepGps", "expected true or false");
  policy->keep_gps = json.boolean();
  return {};
}

Status parse_classifier(const JsonValue& json, Policy* policy) {
  if (!json.is(JsonValue::Kind::object)) return bad("classifier", "expected {labels}");
  for (const auto& [key, value] : json.members()) {
    if (key != "labels") return bad("classifier", "unknown member '" + key + "' (the classifier has labels)");
    if (!value.is(JsonValue::Kind::boolean)) return bad("classifier.labels", "expected true or false");
    policy->labels = value.boolean();
  }
  return {};
}

// Every top-level member and its reader; a member left out keeps Policy's default.
const struct {
  const char* name;
  Status (*parse)(const JsonValue& json, Policy* policy);
} kPolicyMembers[] = {
    {"rules", parse_rules},
    {"blocklist", parse_blocklist},
    {"keepGps", parse_keep_gps},
    {"classifier", parse_classifier},
};

}  // namespace

JsonReadLimits policy_read_limits(const char* subject) {
  JsonReadLimits limits;
  limits.max_text = 4 * 1024 * 1024;
  limits.max_depth = 2 * kMaxConditionDepth + 8;  // room to name the condition that nests too deeply
  limits.code = ErrorCode::bad_policy;
  limits.subject = subject;
  return limits;
}

Result<Policy> parse_policy(const JsonValue& json) {
  if (!json.is(JsonValue::Kind::object)) return error(ErrorCode::bad_policy, "the policy must be a JSON object");
  Policy policy;
  for (const auto& [key, value] : json.members()) {
    bool known = false;
    for (const auto& member : kPolicyMembers) {
      if (key != member.name) continue;
      EP_TRY(member.parse(value, &policy));
      known = true;
    }
    if (!known) return bad(key, "unknown member (a policy has rules, blocklist, keepGps and classifier)");
  }
  return policy;
}

Result<Policy> parse_policy(std::string_view text) {
  Result<JsonValue> json = parse_json(text, policy_read_limits("the policy"));
  if (!json.ok()) return json.status();
  return parse_policy(json.value());
}

}  // namespace edgepix
