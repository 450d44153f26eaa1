// The policy's verdict on one image: the block list first (the nearest pHash within maxDistance rejects, 451),
// then the first matching reject rule (422), then the first matching flag rule; otherwise allow. Every rule is
// evaluated, so `fired` lists all that matched, in order.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "classify/policy.h"
#include "core/json_value.h"

namespace edgepix {

enum class VerdictAction : uint8_t { allow, flag, reject };

struct BlockMatch {
  uint64_t phash = 0;  // the entry's hash
  int distance = 0;
  std::string reason;
};

struct Verdict {
  VerdictAction action = VerdictAction::allow;
  ErrorCode code = ErrorCode::ok;   // reject: blocked or rejected_by_policy
  std::optional<std::string> rule;  // "blocklist", a rule's name, or none (allow)
  std::optional<BlockMatch> blocklist;
  std::vector<std::string> fired;
};

// `features`: the classify object plus "fileSize" and optionally "labels":[{"label","score"}]. Features without a
// phash skip the block list. Fails (bad_option) only when they are not an object or their phash is not 16 hex
// digits.
Result<Verdict> judge(const Policy& policy, const JsonValue& features);
// {"verdict":"reject","code":"blocked","rule":"blocklist","blocklist":{"phash","distance","reason"},"fired":[…]};
// code, rule and blocklist are null when they do not apply.
std::string verdict_json(const Verdict& verdict);

}  // namespace edgepix
