// The policy written back normalised: what ep_policy returns and the Worker stores, read again unchanged.
#include <string>
#include <vector>

#include "classify/hamming.h"
#include "classify/policy.h"
#include "core/json.h"

namespace edgepix {

namespace {

template <class Item, class Write>
std::string json_list(const std::vector<Item>& items, Write write) {
  std::string text = "[";
  for (const Item& item : items) text += (text.size() > 1 ? "," : "") + write(item);
  return text + "]";
}

}  // namespace

std::string condition_json(const Condition& condition) {
  JsonObject object;
  switch (condition.kind) {
    case Condition::Kind::feature:
    case Condition::Kind::label:
      object.add(condition.kind == Condition::Kind::label ? "label" : "feature", condition.subject)
          .add_json(op_name(condition.op), json_text(condition.operand));
      break;
    case Condition::Kind::all:
    case Condition::Kind::any:
      object.add_json(condition.kind == Condition::Kind::all ? "all" : "any",
                      json_list(condition.children, condition_json));
      break;
    case Condition::Kind::negate: object.add_json("not", condition_json(condition.children.front())); break;
  }
  return object.str();
}

std::string policy_json(const Policy& policy) {
  const std::string rules = json_list(policy.rules, [](const Rule& rule) {
    return JsonObject()
        .add("name", rule.name)
        .add("action", rule.action == RuleAction::reject ? "reject" : "flag")
        .add_json("when", condition_json(rule.when))
        .str();
  });
  const std::string entries = json_list(policy.blocklist, [](const BlockEntry& entry) {
    return JsonObject().add("phash", hex64(entry.phash)).add("reason", entry.reason).str();
  });
  return JsonObject()
      .add_json("rules", rules)
      .add("blocklist", JsonObject().add("maxDistance", uint64_t(policy.max_distance)).add_json("entries", entries))
      .add("keepGps", policy.keep_gps)
      .add("classifier", JsonObject().add("labels", policy.labels))
      .str();
}

}  // namespace edgepix
