#include "core/status.h"

namespace edgepix {

// The one table from error code to what clients see. Order follows the ErrorCode enum.
static const ErrorInfo kErrorTable[] = {
    {"ok", 200},
    {"bad_option", 400},
    {"too_large", 413},
    {"unsupported_format", 415},
    {"corrupt_image", 422},
    {"out_of_memory", 413},  // only reachable when the budget was wrong for this input: still the client's big input
    {"internal", 500},
};

const ErrorInfo& error_info(ErrorCode code) {
  const auto index = static_cast<size_t>(code);
  return index < sizeof(kErrorTable) / sizeof(kErrorTable[0]) ? kErrorTable[index] : kErrorTable[6];
}

}  // namespace edgepix
