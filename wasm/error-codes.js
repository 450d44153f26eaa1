// Written by scripts/error-codes.mjs from src/core/error_codes.def, the one list of error codes: do not edit.
// The codes the core raises, and the HTTP status each answers.
export const STATUS_BY_CODE = Object.freeze({
  bad_option: 400,
  too_large: 413,
  unsupported_format: 415,
  corrupt_image: 422,
  over_budget: 422,
  out_of_memory: 413,
  internal: 500,
  signature_missing: 403,
  signature_invalid: 403,
  signature_expired: 403,
  bad_signature: 400,
  bad_policy: 400,
  rejected_by_policy: 422,
  blocked: 451,
});
