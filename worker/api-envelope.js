// The answers of the Images API (/client/v4/…) in Cloudflare's envelope:
//   { result, success, errors: [{ code, message }], messages } (+ result_info where Cloudflare sends it).
// Errors keep the status of the one list of codes (src/core/error_codes.def); the envelope's numeric code is
// Cloudflare's where it documents one for the case, else 5000 + the HTTP status, in the images API's range.
import { EdgepixError } from 'edgepix';
import { CodedError } from './coded-error.js';
import { statusOf } from './errors.js';

// Cloudflare's numbers: 10000 authentication error, 7003 an account (object identifier) it cannot route to,
// 5400 a bad request, 5404 an image (or variant, key) not found, 5455 an unsupported image format.
const CLOUDFLARE_CODE = Object.freeze({
  unauthorized: 10000,
  bad_request: 5400,
  bad_option: 5400,
  bad_policy: 5400,
  too_many_variants: 5400,
  not_found: 5404,
  unsupported_format: 5455,
});
// The path's account id is not this Worker's: Cloudflare's "could not route" answer.
export const UNKNOWN_ACCOUNT = 7003;

export const cloudflareCode = (code, status) => CLOUDFLARE_CODE[code] ?? 5000 + status;

const HEADERS = { 'Cache-Control': 'no-store' };

/** A successful answer; `extra` holds result_info when the route pages. */
export function envelope(result, { status = 200, extra = {} } = {}) {
  return Response.json({ result, success: true, errors: [], messages: [], ...extra }, { status, headers: HEADERS });
}

/**
 * A failure in the envelope; `headers` as the error carries them (e.g. WWW-Authenticate, Allow), `details` are
 * added to the error entry (e.g. the moderation rule that refused an upload).
 */
export function failure(status, numericCode, message, headers = {}, details = {}) {
  const body = { result: null, success: false, errors: [{ ...details, code: numericCode, message }], messages: [] };
  return Response.json(body, { status, headers: { ...HEADERS, ...headers } });
}

/** Anything a handler throws, in the envelope; what is not a known coded error is logged and answers 500. */
export function toFailure(err, request) {
  const coded = err instanceof CodedError || err instanceof EdgepixError;
  const status = coded ? statusOf(err.code) : null;
  if (status === null) {
    console.error(`edgepix: unexpected error on ${request.method} ${request.url}:`, err?.stack ?? err);
    return failure(500, cloudflareCode('internal', 500), 'internal error; it has been logged');
  }
  return failure(status, err.numericCode ?? cloudflareCode(err.code, status), err.message, err.headers, err.details);
}
