// Cache API keys for transforms and the caching headers both routes send.
//
// A transform's key is a digest of the core's normalised decision (canonical options + negotiated format), the
// object key and the original's etag — never raw header strings — so two requests that the core resolves the same
// way share one entry, and replacing an original orphans its old transforms. The key request is a bare GET with no
// headers for both put and match: the stored response keeps its `Vary: Accept` for browsers, and since the key
// already names the negotiated format, a cache that honours Vary (compares the key request's Accept, absent both
// times) and one that ignores it (workerd's local cache, the Cache API in production) find the same entry.

// Bump to orphan every stored transform when the key layout or the meaning of the core's cacheKey changes.
const CACHE_KEY_VERSION = 1;

const DEFAULT_CACHE_CONTROL = {
  transform: 'public, max-age=31536000, immutable',
  original: 'public, max-age=3600',
};

/** Cache-Control for a route family, from wrangler.toml's vars (TRANSFORM_CACHE_CONTROL, ORIGINAL_CACHE_CONTROL). */
export function cacheControl(env, kind) {
  return env[`${kind.toUpperCase()}_CACHE_CONTROL`] || DEFAULT_CACHE_CONTROL[kind];
}

/**
 * The cache identity of one transform: `request` to match/put with, and a strong `etag` from the same digest
 * (the output is a function of the key, so equal keys mean equal bytes).
 */
export async function transformCacheEntry(requestUrl, decision, key, originalEtag) {
  const identity = JSON.stringify([CACHE_KEY_VERSION, decision.cacheKey, key, originalEtag]);
  const digest = await sha256Hex(identity);
  return {
    etag: `"${digest.slice(0, 32)}"`,
    request: new Request(new URL(`/__edgepix/transform/${digest}`, requestUrl)),
  };
}

/** Headers shared by a transform's 200 and 304: validators and caching policy. */
export function transformValidatorHeaders(entry, varyAccept, env) {
  const headers = new Headers({ ETag: entry.etag, 'Cache-Control': cacheControl(env, 'transform') });
  if (varyAccept) headers.set('Vary', 'Accept');
  return headers;
}

/** Returns the response with X-Edgepix-Cache set (HIT or MISS); cached responses have immutable headers. */
export function withCacheStatus(response, status) {
  const tagged = new Response(response.body, response);
  tagged.headers.set('X-Edgepix-Cache', status);
  return tagged;
}

/** Stores a copy after the response is sent; a refused put (e.g. no-store policy) is logged, not thrown. */
export function storeInBackground(ctx, request, response) {
  const put = caches.default.put(request, response).catch((err) => {
    console.warn(`edgepix: cache put for ${request.url} failed:`, err?.message ?? err);
  });
  ctx.waitUntil(put);
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
