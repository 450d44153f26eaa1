// Allow-listed HTTPS origins fetched by URL, over plain settings ({ allowedOrigins, allowLoopbackHttp }), and the
// validators any origin's response states ({ etag, size, contentType, lastModified }).
import { CodedError } from './coded-error.js';

// Redirects are followed by hand so that every hop is checked against the allow list (no detour to other hosts).
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * True when `url` may be fetched: https, or plain http to a loopback address when `allowLoopbackHttp` is set
 * (tests run their origins on 127.0.0.1 without certificates; production never needs it).
 */
export function isSecureOrLoopback(url, allowLoopbackHttp) {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopback(url.hostname) && allowLoopbackHttp;
}

/** The absolute URL of a `{ kind: 'url' }` source, or a 403 when its origin is not on the allow list. */
export function allowedOriginUrl(settings, text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new CodedError('bad_request', `not a valid URL: ${JSON.stringify(text)}`);
  }
  if (!isAllowed(settings, url)) {
    throw new CodedError('origin_not_allowed', `${url.origin} is not an allowed origin (ALLOWED_ORIGINS)`);
  }
  return url.href;
}

/** A GET or HEAD of an allow-listed URL; the response is the origin's, whatever its status. */
export async function fetchAllowed(settings, href, method) {
  // Checked again here, not only when the path is read: a source recorded earlier (images API) meets today's list.
  let url = new URL(allowedOriginUrl(settings, href));
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(url, { method, redirect: 'manual' });
    const location = response.headers.get('Location');
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel();
    if (hop === MAX_REDIRECTS) throw new CodedError('origin_failed', `${href} redirected more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url);
    if (!isAllowed(settings, url)) {
      throw new CodedError('origin_not_allowed', `${href} redirects to ${url.origin}, which is not an allowed origin`);
    }
  }
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

function isAllowed({ allowedOrigins, allowLoopbackHttp }, url) {
  return isSecureOrLoopback(url, allowLoopbackHttp) && allowedOrigins.has(url.origin);
}

function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
