// Cache API keys for transforms, and the caching headers the routes send.
//
// A transform's key is a digest of the core's normalised decision (canonical options, negotiated format, width
// bucket), the original's identity and etag, and — for images of the images API — the image's version. Never raw
// header strings: two requests that the core resolves the same way share one entry. Replacing an original changes
// its etag and purging an image bumps its version, so either orphans every stored variant at once. The key request
// is a bare GET with no headers for both put and match, so a cache that honours the stored Vary (and compares the
// key request's headers, absent both times) and one that ignores it find the same entry.

// Bump to orphan every stored transform when the key layout or the meaning of the core's cacheKey changes.
const CACHE_KEY_VERSION = 2;

const DEFAULT_CACHE_CONTROL = {
  transform: 'public, max-age=31536000, immutable',
  original: 'public, max-age=3600',
  // Images-API URLs stay the same when an image is replaced or purged: browsers revalidate within the hour.
  image: 'public, max-age=3600',
  // Images behind signed URLs: browsers only, never a shared cache that could outlive the signature.
  signed_image: 'private, max-age=3600',
};

/**
 * Cache-Control for a route family, from wrangler.toml's vars: TRANSFORM_CACHE_CONTROL, ORIGINAL_CACHE_CONTROL,
 * IMAGE_CACHE_CONTROL, SIGNED_IMAGE_CACHE_CONTROL.
 */
export function cacheControl(env, kind) {
  return env[`${kind.toUpperCase()}_CACHE_CONTROL`] || DEFAULT_CACHE_CONTROL[kind];
}

/**
 * The cache identity of one transform: `request` to match/put with, and a strong `etag` from the same digest
 * (the output is a function of the key, so equal keys mean equal bytes). `version` is null outside the images API.
 */
export async function transformCacheEntry(requestUrl, { decision, source, originalEtag, version = null }) {
  const identity = JSON.stringify([CACHE_KEY_VERSION, decision.cacheKey, source, originalEtag, version]);
  const digest = await sha256Hex(identity);
  return {
    etag: `"${digest.slice(0, 32)}"`,
    request: new Request(new URL(`/__edgepix/transform/${digest}`, requestUrl)),
  };
}

/**
 * Headers every transform answer (200, HIT, 304) carries for this request: the validator, the route's caching
 * policy, and the core's negotiation outputs — Vary names exactly the request headers that changed the decision,
 * Accept-CH asks for the client hints the core can use.
 */
export function transformHeaders(entry, decision, policy) {
  const headers = new Headers({ ETag: entry.etag, 'Cache-Control': policy });
  if (decision.vary?.length) headers.set('Vary', decision.vary.join(', '));
  if (decision.acceptCH) headers.set('Accept-CH', decision.acceptCH);
  return headers;
}

/**
 * A copy of `response` (cached responses have immutable headers) with `headers` set over its own and
 * X-Edgepix-Cache (HIT or MISS).
 */
export function withCacheStatus(response, status, headers = new Headers()) {
  const tagged = new Response(response.body, response);
  for (const [name, value] of headers) tagged.headers.set(name, value);
  tagged.headers.set('X-Edgepix-Cache', status);
  return tagged;
}

/**
 * Stores a copy after the response is sent; a refused put (e.g. no-store policy) is logged, not thrown. Resolves
 * when the put has settled (the cache has read the body), for a caller that holds memory until then.
 */
export function storeInBackground(ctx, request, response) {
  const put = caches.default.put(request, response).catch((err) => {
    console.warn(`edgepix: cache put for ${request.url} failed:`, err?.message ?? err);
  });
  ctx.waitUntil(put);
  return put;
}

/** Lowercase hex SHA-256 of a string: the digest behind every cache key (transforms here, originals in store.js). */
export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
