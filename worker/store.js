// Where originals come from, and the cache tiers in front of the slow ones (the KV-as-cache pattern).
//
//   source { kind: 'r2', key }   R2 (binding ORIGINALS) is the source of truth and is read directly: it is already
//                                inside Cloudflare, strongly consistent, and a copy in front of it could serve an
//                                object after it was replaced or deleted. Layer 'r2'.
//   source { kind: 's3', key }   an S3-compatible bucket (s3.js). Layer 's3'.
//   source { kind: 'url', url }  an allow-listed origin (origins.js). Layer 'origin'.
//
// S3 and URL reads go edge (Cache API, this data centre) → KV (ORIGIN_CACHE, every data centre) → origin. A hit at a
// tier fills the tiers above it in the background (ctx.waitUntil). KV takes objects up to its value limit (25 MiB),
// for ORIGIN_KV_TTL_SECONDS; the edge keeps any size for ORIGIN_EDGE_TTL_SECONDS. Within those lifetimes a changed
// object at the origin is not seen: that is the trade of this pattern, bounded by the two vars.
//
// Every answer names its layer (edge | kv | r2 | s3 | origin); the routes send it as X-Edgepix-Origin-Layer.
import { sha256Hex } from './cache.js';
import { envNumber, maxOriginalBytes } from './config.js';
import { HttpError } from './errors.js';
import { ifRangeAllows, parseRange, resolveRange } from './http.js';
import { allowedOriginUrl, fetchOrigin, metaFromHeaders } from './origins.js';

/** The response header that names the layer an original came from: edge, kv, r2, s3 or origin. */
export const ORIGIN_LAYER_HEADER = 'X-Edgepix-Origin-Layer';

// Cloudflare KV's largest value.
const KV_VALUE_LIMIT_BYTES = 25 * 1024 * 1024;
// KV refuses an expirationTtl under 60 seconds.
const KV_MIN_TTL_SECONDS = 60;
const DEFAULT_KV_TTL_SECONDS = 86_400;
const DEFAULT_EDGE_TTL_SECONDS = 3_600;
// Bump to orphan every cached original (edge and KV) when the entry layout changes.
const TIER_ENTRY_VERSION = 1;

/**
 * What the path of /cdn-cgi/image/<options>/<source> and /<key> names: an absolute http(s) URL is an allow-listed
 * origin (403 otherwise); anything else is a key in the bucket ORIGIN_KIND names ("r2", the default, or "s3").
 */
export function sourceFromPath(env, keyOrUrl) {
  if (/^https?:\/\//i.test(keyOrUrl)) return { kind: 'url', url: allowedOriginUrl(env, keyOrUrl) };
  const kind = env.ORIGIN_KIND || 'r2';
  if (kind !== 'r2' && kind !== 's3') throw new HttpError('misconfigured', `ORIGIN_KIND must be "r2" or "s3", not "${kind}"`);
  return { kind, key: keyOrUrl };
}

/**
 * The original's validators and size without its bytes: { etag, size, contentType, lastModified, layer }, or null
 * when it does not exist. `requestUrl` (the request being answered) enables the edge tier: the Cache API is keyed
 * by URLs of the Worker's own host.
 */
export async function headOriginal(env, ctx, source, { requestUrl } = {}) {
  if (source.kind === 'r2') return r2Head(env, source.key);
  const tiers = await tiersOf(env, source, requestUrl);
  const edge = await matchEdge(tiers);
  if (edge !== null) {
    await edge.body.cancel();
    return withoutBody(edge);
  }
  const kv = await getKv(env, tiers);
  if (kv !== null) {
    fillEdge(ctx, tiers, kv, kv.bytes);
    return withoutBody(kv);
  }
  const found = await fetchOrigin(env, source, 'HEAD');
  if (found === null) return null;
  // An origin that will not say the size on HEAD is read instead, which fills the tiers for the read that follows.
  if (Number.isFinite(found.meta.size)) return { ...found.meta, layer: originLayer(source) };
  const whole = await readOriginal(env, ctx, source, { requestUrl });
  await whole?.body?.cancel();
  return whole === null ? null : withoutBody(whole);
}

/**
 * The original: { bytes | body, etag, size, contentType, lastModified, layer, range? }, or null when it does not
 * exist. `bytes` (a Uint8Array) or `body` (a stream) holds the whole object, or — when `rangeHeaders` has a single
 * satisfiable `Range` that its `If-Range`, if any, allows — the part `range: { offset, length }` says; `size` is
 * always the whole object's. `etag` is the origin's entity-tag as HTTP sends it (quoted), or '' if it sent none.
 * R2 results also carry `writeHttpMetadata(headers)`, the metadata given at upload.
 */
export async function readOriginal(env, ctx, source, { rangeHeaders, requestUrl } = {}) {
  if (source.kind === 'r2') return r2Read(env, source.key, rangeHeaders);
  const tiers = await tiersOf(env, source, requestUrl);
  const edge = await matchEdge(tiers, rangeHeaders);
  if (edge !== null) return edge;
  const kv = await getKv(env, tiers);
  if (kv !== null) {
    fillEdge(ctx, tiers, kv, kv.bytes);
    return sliced(kv, rangeHeaders);
  }
  return readFromOrigin(env, ctx, source, tiers, rangeHeaders);
}

// ── R2: read directly ──────────────────────────────────────────────────────────────────────────────────────────

function describeR2(object) {
  return {
    etag: object.httpEtag,
    size: object.size,
    contentType: object.httpMetadata?.contentType || 'application/octet-stream',
    lastModified: object.uploaded,
    layer: 'r2',
    writeHttpMetadata: (headers) => object.writeHttpMetadata(headers),
  };
}

async function r2Head(env, key) {
  const object = await env.ORIGINALS.head(key);
  return object === null ? null : withoutBody(describeR2(object));
}

async function r2Read(env, key, rangeHeaders) {
  const range = rangeHeaders ? parseRange(rangeHeaders.get('Range')) : null;
  if (range !== null) {
    // The size is needed to resolve the range, and the etag pins the slice to the version the size came from.
    const meta = await env.ORIGINALS.head(key);
    if (meta === null) return null;
    const slice = wantedSlice(rangeHeaders, describeR2(meta));
    if (slice !== null) {
      const part = await env.ORIGINALS.get(key, { range: slice, onlyIf: { etagMatches: meta.etag } });
      if (part !== null && 'body' in part) return { ...describeR2(part), body: part.body, range: slice };
      // Replaced since the head: the whole new object is always a valid answer.
    }
  }
  const object = await env.ORIGINALS.get(key);
  return object === null ? null : { ...describeR2(object), body: object.body };
}

// ── The tiers in front of S3 and URL origins ───────────────────────────────────────────────────────────────────

/** Keys of one source in both tiers: a digest of its identity (endpoint and bucket included for S3). */
async function tiersOf(env, source, requestUrl) {
  const identity = source.kind === 's3'
    ? [TIER_ENTRY_VERSION, 's3', env.S3_ENDPOINT, env.S3_BUCKET ?? '', source.key]
    : [TIER_ENTRY_VERSION, 'url', source.url];
  const digest = await sha256Hex(JSON.stringify(identity));
  const edgeTtl = envNumber(env, 'ORIGIN_EDGE_TTL_SECONDS', DEFAULT_EDGE_TTL_SECONDS);
  return {
    // null when the edge tier is off: no request URL to key it by, or ORIGIN_EDGE_TTL_SECONDS = 0.
    edgeRequest: requestUrl && edgeTtl > 0 ? new Request(new URL(`/__edgepix/original/${digest}`, requestUrl)) : null,
    edgeTtl,
    kv: env.ORIGIN_CACHE ?? null,
    kvKey: `original:${digest}`,
    kvTtl: Math.max(KV_MIN_TTL_SECONDS, envNumber(env, 'ORIGIN_KV_TTL_SECONDS', DEFAULT_KV_TTL_SECONDS)),
    kvMaxBytes: Math.min(KV_VALUE_LIMIT_BYTES, envNumber(env, 'ORIGIN_KV_MAX_BYTES', KV_VALUE_LIMIT_BYTES)),
  };
}

/**
 * The edge copy, whole or — through the Cache API's own Range support — the slice asked for; null on a miss.
 * A slice is used only when If-Range still names the stored version.
 */
async function matchEdge(tiers, rangeHeaders) {
  if (tiers.edgeRequest === null) return null;
  const range = rangeHeaders?.get('Range') ?? null;
  if (range !== null && parseRange(range) !== null) {
    const partial = await caches.default.match(new Request(tiers.edgeRequest, { headers: { Range: range } }));
    if (partial === undefined) return null;
    const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(partial.headers.get('Content-Range') ?? '');
    const meta = served && metaFromHeaders(partial.headers, Number(served[3]));
    if (partial.status === 206 && meta && ifRangeAllows(rangeHeaders, meta)) {
      const [offset, last] = [Number(served[1]), Number(served[2])];
      return { ...meta, body: partial.body, range: { offset, length: last - offset + 1 }, layer: 'edge' };
    }
    await partial.body?.cancel();
  }
  const whole = await caches.default.match(tiers.edgeRequest);
  return whole === undefined ? null : { ...metaFromHeaders(whole.headers), body: whole.body, layer: 'edge' };
}

async function getKv(env, tiers) {
  if (tiers.kv === null) return null;
  const { value, metadata } = await tiers.kv.getWithMetadata(tiers.kvKey, { type: 'arrayBuffer' });
  if (value === null || metadata === null) return null;
  return {
    etag: metadata.etag,
    size: metadata.size,
    contentType: metadata.contentType,
    lastModified: metadata.lastModified === null ? null : new Date(metadata.lastModified),
    bytes: new Uint8Array(value),
    layer: 'kv',
  };
}

/**
 * A GET at the origin. An object larger than KV takes is streamed to the caller and, through a tee, to the edge
 * tier only; anything else is read into memory once and stored in both tiers.
 */
async function readFromOrigin(env, ctx, source, tiers, rangeHeaders) {
  const found = await fetchOrigin(env, source, 'GET');
  if (found === null) return null;
  const { response, meta } = found;
  const layer = originLayer(source);
  if (meta.size > tiers.kvMaxBytes) {
    if (tiers.edgeRequest === null) return { ...meta, body: response.body, layer };
    const [forCaller, forEdge] = response.body.tee();
    fillEdge(ctx, tiers, meta, forEdge);
    return { ...meta, body: forCaller, layer };
  }
  const bytes = await readBounded(response.body, Number.isFinite(meta.size) ? meta.size : maxOriginalBytes(env));
  const whole = { ...meta, size: bytes.byteLength, bytes, layer };
  fillEdge(ctx, tiers, whole, bytes);
  fillKv(ctx, tiers, whole, bytes);
  return sliced(whole, rangeHeaders);
}

/**
 * The whole body in memory, refused with 413 past `limit`: the Content-Length when the origin sent one, else
 * MAX_ORIGINAL_BYTES, so a chunked answer cannot exhaust the isolate's memory.
 */
async function readBounded(body, limit) {
  const chunks = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.byteLength;
    // Leaving the loop by a throw cancels the stream.
    if (length > limit) throw new HttpError('too_large', `the origin sent more than ${limit} bytes`);
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function fillEdge(ctx, tiers, meta, body) {
  if (tiers.edgeRequest === null) return;
  const headers = new Headers({
    'Content-Type': meta.contentType,
    'Content-Length': String(meta.size),
    'Cache-Control': `public, max-age=${tiers.edgeTtl}`,
  });
  if (meta.etag) headers.set('ETag', meta.etag);
  if (meta.lastModified) headers.set('Last-Modified', meta.lastModified.toUTCString());
  inBackground(ctx, 'edge put', caches.default.put(tiers.edgeRequest, new Response(body, { headers })));
}

function fillKv(ctx, tiers, meta, bytes) {
  if (tiers.kv === null || meta.size > tiers.kvMaxBytes) return;
  const metadata = {
    etag: meta.etag,
    size: meta.size,
    contentType: meta.contentType,
    lastModified: meta.lastModified?.getTime() ?? null,
  };
  inBackground(ctx, 'KV put', tiers.kv.put(tiers.kvKey, bytes, { expirationTtl: tiers.kvTtl, metadata }));
}

/** A whole in-memory original cut to the range asked for, when there is one to honour. */
function sliced(original, rangeHeaders) {
  const slice = wantedSlice(rangeHeaders, original);
  if (slice === null) return original;
  return { ...original, bytes: original.bytes.subarray(slice.offset, slice.offset + slice.length), range: slice };
}

/** The single byte range `rangeHeaders` asks of this object: { offset, length }, or null to send it whole. */
function wantedSlice(rangeHeaders, meta) {
  const range = rangeHeaders ? parseRange(rangeHeaders.get('Range')) : null;
  if (range === null || !ifRangeAllows(rangeHeaders, meta)) return null;
  return resolveRange(range, meta.size);
}

const originLayer = (source) => (source.kind === 's3' ? 's3' : 'origin');

function withoutBody({ bytes, body, range, ...meta }) {
  return meta;
}

/** A background write that must not fail the response: logged, never thrown. */
function inBackground(ctx, what, promise) {
  ctx.waitUntil(promise.catch((err) => console.warn(`edgepix: origin tier ${what} failed:`, err?.message ?? err)));
}
