// Written by scripts/error-codes.mjs from src/core/error_codes.def, the one list of error codes: do not edit.
// The codes the Worker raises itself, and the HTTP status each answers.
export const STATUS_BY_CODE = Object.freeze({
  bad_request: 400,
  too_many_variants: 400,
  unauthorized: 401,
  flexible_variants_disabled: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  image_exists: 409,
  upload_in_progress: 409,
  upload_url_used: 409,
  upload_url_expired: 410,
  precondition_failed: 412,
  range_not_satisfiable: 416,
  rate_limited: 429,
  misconfigured: 500,
  origin_failed: 502,
  storage_failed: 503,
  overloaded: 503,
});
