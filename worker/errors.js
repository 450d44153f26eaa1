// Every failure leaves the Worker as JSON: {"error":{"code":"…","message":"…"}} with the matching status.
// Every code and its status come from the one list (src/core/error_codes.def, written out as error-codes.js here
// and in the package): the core's errors (EdgepixError), the storage pieces' (CodedError) and the routes' own
// (HttpError) answer with the list's status, and an unknown code is a bug that answers 500.
import { EdgepixError, STATUS_BY_CODE as CORE_STATUS_BY_CODE } from 'edgepix';
import { CodedError } from './coded-error.js';
import { STATUS_BY_CODE as WORKER_STATUS_BY_CODE } from './error-codes.js';

// The Worker's own codes and the core's, which the Worker raises too (too_large for an original over
// MAX_ORIGINAL_BYTES, internal).
const STATUS_BY_ANY_CODE = { ...CORE_STATUS_BY_CODE, ...WORKER_STATUS_BY_CODE };

/** The status a code answers; null for a code the list lacks (a bug). */
export function statusOf(code) {
  return Object.hasOwn(STATUS_BY_ANY_CODE, code) ? STATUS_BY_ANY_CODE[code] : null;
}

/** An error a route raises on purpose; `headers` are added to the error response (e.g. Allow, Content-Range). */
export class HttpError extends CodedError {
  constructor(code, message, headers = {}) {
    const status = statusOf(code);
    super(status === null ? 'internal' : code,
      status === null ? `unknown error code ${JSON.stringify(code)} (a bug): ${message}` : message);
    this.name = 'HttpError';
    this.status = status ?? 500;
    this.headers = headers;
  }
}

export function notFound(key) {
  return new HttpError('not_found', `no object with key ${JSON.stringify(key)}`);
}

/**
 * Builds the JSON error response; `details` add fields beside code and message (e.g. the moderation rule that
 * refused an upload). Errors are never cached: the cause may be fixed by the next upload.
 */
export function errorResponse(status, code, message, headers = {}, details = {}) {
  return Response.json({ error: { ...details, code, message } }, {
    status,
    headers: { 'Cache-Control': 'no-store', ...headers },
  });
}

/** Maps anything thrown by a handler to a response; unexpected errors are logged and answered with a 500. */
export function toErrorResponse(err, request) {
  const coded = err instanceof CodedError || err instanceof EdgepixError;
  const status = coded ? statusOf(err.code) : null;
  if (status === null) {
    console.error(`edgepix: unexpected error on ${request.method} ${request.url}:`, err?.stack ?? err);
    return errorResponse(500, 'internal', 'internal error; it has been logged');
  }
  if (err instanceof HttpError && err.code === 'internal') console.error(`edgepix: ${err.message}`);
  return errorResponse(status, err.code, err.message, err.headers, err.details);
}
