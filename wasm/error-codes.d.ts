// Written by scripts/error-codes.mjs from src/core/error_codes.def, the one list of error codes: do not edit.
// The codes the core raises (EdgepixError.code), and the HTTP status each answers.
export declare const STATUS_BY_CODE: {
  readonly bad_option: 400;
  readonly too_large: 413;
  readonly unsupported_format: 415;
  readonly corrupt_image: 422;
  readonly over_budget: 422;
  readonly out_of_memory: 413;
  readonly internal: 500;
  readonly signature_missing: 403;
  readonly signature_invalid: 403;
  readonly signature_expired: 403;
  readonly bad_signature: 400;
  readonly bad_policy: 400;
  readonly rejected_by_policy: 422;
  readonly blocked: 451;
};
export type ErrorCode = keyof typeof STATUS_BY_CODE;
