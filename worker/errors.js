// Every failure leaves the Worker as JSON: {"error":{"code":"…","message":"…"}} with the matching status.
// The core's errors (EdgepixError) carry their own status from the core's table; this file's table covers only
// the codes the Worker itself raises.
import { EdgepixError } from '../wasm/workerd.js';

const STATUS_BY_WORKER_CODE = {
  bad_request: 400,
  too_many_variants: 400,
  unauthorized: 401,
  flexible_variants_disabled: 403,
  origin_not_allowed: 403, // a URL source whose origin is not on ALLOWED_ORIGINS
  not_found: 404,
  method_not_allowed: 405,
  precondition_failed: 412,
  too_large: 413,
  range_not_satisfiable: 416,
  rate_limited: 429,
  internal: 500,
  misconfigured: 500,
  origin_failed: 502, // the S3 bucket or URL origin answered with an error (e.g. a refused signature)
};

/** An error the Worker raises on purpose; `headers` are added to the error response (e.g. Allow, Content-Range). */
export class HttpError extends Error {
  constructor(code, message, headers = {}) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.status = STATUS_BY_WORKER_CODE[code];
    this.headers = headers;
  }
}

export function notFound(key) {
  return new HttpError('not_found', `no object with key ${JSON.stringify(key)}`);
}

/** Builds the JSON error response. Errors are never cached: the cause may be fixed by the next upload. */
export function errorResponse(status, code, message, headers = {}) {
  return Response.json({ error: { code, message } }, {
    status,
    headers: { 'Cache-Control': 'no-store', ...headers },
  });
}

/** Maps anything thrown by a handler to a response; unexpected errors are logged and answered with a 500. */
export function toErrorResponse(err, request) {
  if (err instanceof HttpError) return errorResponse(err.status, err.code, err.message, err.headers);
  if (err instanceof EdgepixError && isErrorStatus(err.status)) return errorResponse(err.status, err.code, err.message);
  console.error(`edgepix: unexpected error on ${request.method} ${request.url}:`, err?.stack ?? err);
  return errorResponse(500, 'internal', 'internal error; it has been logged');
}

function isErrorStatus(status) {
  return Number.isInteger(status) && status >= 400 && status <= 599;
}
