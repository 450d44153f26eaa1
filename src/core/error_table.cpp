#include "core/status.h"

namespace edgepix {

namespace {
struct ErrorRow {
  ErrorCode code;
  ErrorInfo info;
};

// The one table from error code to what clients see.
const ErrorRow kErrorTable[] = {
    {ErrorCode::ok, {"ok", 200}},
    {ErrorCode::bad_option, {"bad_option", 400}},
    {ErrorCode::too_large, {"too_large", 413}},
    {ErrorCode::unsupported_format, {"unsupported_format", 415}},
    {ErrorCode::corrupt_image, {"corrupt_image", 422}},
    // Only reachable when the budget was wrong for this input: still the client's big input.
    {ErrorCode::out_of_memory, {"out_of_memory", 413}},
    {ErrorCode::internal, {"internal", 500}},
    {ErrorCode::signature_missing, {"signature_missing", 403}},
    {ErrorCode::signature_invalid, {"signature_invalid", 403}},
    {ErrorCode::signature_expired, {"signature_expired", 403}},
    {ErrorCode::bad_signature, {"bad_signature", 400}},
};
}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  for (const ErrorRow& row : kErrorTable)
    if (row.code == code) return row.info;
  return error_info(ErrorCode::internal);
}

}  // namespace edgepix
