// The origins behind the cache tiers: an S3-compatible bucket (s3.js) and allow-listed HTTPS origins fetched by URL.
// Both are reduced to one shape: null when the object does not exist, else the origin's response and its
// validators ({ etag, size, contentType, lastModified }) exactly as the origin stated them.
import { envFlag } from './config.js';
import { HttpError } from './errors.js';
import { s3ErrorCode, s3Fetch, s3Settings } from './s3.js';

// Redirects are followed by hand so that every hop is checked against the allow list (no detour to other hosts).
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NOT_FOUND_STATUSES = new Set([404, 410]);

/**
 * True when `url` may be fetched: https, or plain http to a loopback address when ALLOW_LOOPBACK_HTTP_ORIGINS is
 * set (tests run their origins on 127.0.0.1 without certificates; production never needs it).
 */
export function requireSecureOrLoopback(env, url) {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopback(url.hostname) && envFlag(env, 'ALLOW_LOOPBACK_HTTP_ORIGINS');
}

/** The absolute URL of a `{ kind: 'url' }` source, or a 403 when its origin is not on ALLOWED_ORIGINS. */
export function allowedOriginUrl(env, text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new HttpError('bad_request', `not a valid URL: ${JSON.stringify(text)}`);
  }
  if (!isAllowed(env, url)) {
    throw new HttpError('origin_not_allowed', `${url.origin} is not an allowed origin (ALLOWED_ORIGINS)`);
  }
  return url.href;
}

/** GET or HEAD of a source at its origin: null when it does not exist there, else { response, meta }. */
export async function fetchOrigin(env, source, method) {
  const response = await reach(source, () => (source.kind === 's3'
    ? s3Fetch(s3Settings(env), source.key, method)
    : fetchAllowed(env, source.url, method)));
  if (NOT_FOUND_STATUSES.has(response.status)) {
    await response.body?.cancel();
    return null;
  }
  if (response.status !== 200) throw await originFailure(source, response);
  return { response, meta: metaFromHeaders(response.headers) };
}

/**
 * The validators an origin sent. The entity-tag is the origin's own (quoted, possibly weak), or '' when it sent
 * none: one is never made up, so conditional requests can only match what the origin itself would.
 */
export function metaFromHeaders(headers, size = Number(headers.get('Content-Length') ?? NaN)) {
  const modifiedMs = Date.parse(headers.get('Last-Modified') ?? ''); // NaN when absent or unreadable
  return {
    etag: headers.get('ETag') ?? '',
    size,
    contentType: headers.get('Content-Type') || 'application/octet-stream',
    lastModified: Number.isNaN(modifiedMs) ? null : new Date(modifiedMs),
  };
}

async function fetchAllowed(env, href, method) {
  // Checked again here, not only in sourceFromPath: a source recorded earlier (images API) meets today's list.
  let url = new URL(allowedOriginUrl(env, href));
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(url, { method, redirect: 'manual' });
    const location = response.headers.get('Location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) throw new HttpError('origin_failed', `${href} redirected more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url);
    if (!isAllowed(env, url)) {
      throw new HttpError('origin_not_allowed', `${href} redirects to ${url.origin}, which is not an allowed origin`);
    }
  }
}

/** A connection that fails (refused, reset, DNS) is the origin's failure, a 502, not the Worker's 500. */
async function reach(source, request) {
  try {
    return await request();
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const where = source.kind === 's3' ? 'the S3 origin' : `the origin of ${source.url}`;
    console.warn(`edgepix: could not reach ${where}:`, err?.message ?? err);
    throw new HttpError('origin_failed', `could not reach ${where}`);
  }
}

/** A 502 naming what the origin said; its credentials and error bodies stay in the log, not the answer. */
async function originFailure(source, response) {
  let code = null;
  if (source.kind === 's3') code = await s3ErrorCode(response);
  else await response.body?.cancel();
  const where = source.kind === 's3' ? `the S3 origin, for key ${JSON.stringify(source.key)},` : `the origin of ${source.url}`;
  const message = `${where} answered ${response.status}${code ? ` ${code}` : ''}`;
  console.warn(`edgepix: ${message}`);
  return new HttpError('origin_failed', message);
}

function isAllowed(env, url) {
  return requireSecureOrLoopback(env, url) && allowedOrigins(env).has(url.origin);
}

// ALLOWED_ORIGINS: origins separated by commas or spaces, e.g. "https://images.example.com, https://cdn.example.org".
function allowedOrigins(env) {
  const entries = String(env.ALLOWED_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean);
  return new Set(entries.map((entry) => {
    try {
      return new URL(entry).origin;
    } catch {
      throw new HttpError('misconfigured', `ALLOWED_ORIGINS has an entry that is not a URL: ${JSON.stringify(entry)}`);
    }
  }));
}

function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
