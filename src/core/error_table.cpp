#include "core/status.h"

namespace edgepix {

namespace {
// Indexed by ErrorCode: both come from the same list in the same order.
const ErrorInfo kErrorTable[] = {
#define EP_ERROR(code, status, raised_by) {#code, status},
#include "core/error_codes.def"
#undef EP_ERROR
};
}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  const size_t index = size_t(code);
  return index < sizeof(kErrorTable) / sizeof(kErrorTable[0]) ? kErrorTable[index] : kErrorTable[size_t(ErrorCode::internal)];
}

}  // namespace edgepix
