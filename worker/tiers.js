// The cache tiers in front of the slow origins (the KV-as-cache pattern): edge (Cache API, this data centre) →
// KV (every data centre) → the origin, which a row of store.js's source-kind table describes ({ layer, identity,
// fetch, failureCode, where }). A hit at a tier fills the tiers above it in the background (ctx.waitUntil). KV
// takes objects up to its value limit (25 MiB) for `kvTtl` seconds; the edge keeps any size for `edgeTtl`. Within
// those lifetimes a changed object at the origin is not seen: the trade of this pattern, bounded by the two.
import { sha256Hex } from './cache.js';
import { CodedError } from './coded-error.js';
import { ifRangeAllows, parseRange, wantedSlice } from './http.js';
import { metaFromHeaders } from './origins.js';

// Cloudflare KV's largest value.
const KV_VALUE_LIMIT_BYTES = 25 * 1024 * 1024;
// KV refuses an expirationTtl under 60 seconds.
const KV_MIN_TTL_SECONDS = 60;
// Bump to orphan every cached original (edge and KV) when the entry layout changes.
const TIER_ENTRY_VERSION = 1;
const NOT_FOUND_STATUSES = new Set([404, 410]);

/** store.js's headOriginal for a tiered source kind: validators without the bytes, or null. */
export async function tieredHead(store, origin, source, { requestUrl } = {}) {
  const tiers = await tiersOf(store, origin, source, requestUrl);
  const edge = await matchEdge(tiers);
  if (edge !== null) {
    await edge.body.cancel();
    return withoutBody(edge);
  }
  const kv = await getKv(tiers);
  if (kv !== null) {
    fillEdge(store, tiers, kv, kv.bytes);
    return withoutBody(kv);
  }
  const found = await fetchOrigin(store, origin, source, 'HEAD');
  if (found === null) return null;
  // An origin that will not say the size on HEAD is read instead, which fills the tiers for the read that follows.
  if (Number.isFinite(found.meta.size)) return { ...found.meta, layer: origin.layer };
  const whole = await tieredRead(store, origin, source, { requestUrl });
  await whole?.body?.cancel();
  return whole === null ? null : withoutBody(whole);
}

/** store.js's readOriginal for a tiered source kind: the first tier that has it, or null. */
export async function tieredRead(store, origin, source, { rangeHeaders, requestUrl } = {}) {
  const tiers = await tiersOf(store, origin, source, requestUrl);
  const edge = await matchEdge(tiers, rangeHeaders);
  if (edge !== null) return edge;
  const kv = await getKv(tiers);
  if (kv !== null) {
    fillEdge(store, tiers, kv, kv.bytes);
    return sliced(kv, rangeHeaders);
  }
  return readFromOrigin(store, origin, source, tiers, rangeHeaders);
}

/** Keys of one source in both tiers: a digest of its identity (endpoint and bucket included for S3). */
async function tiersOf({ settings, bindings }, origin, source, requestUrl) {
  const digest = await sha256Hex(JSON.stringify([TIER_ENTRY_VERSION, ...origin.identity(settings, source)]));
  const { edgeTtl } = settings;
  return {
    cache: bindings.cache,
    // null when the edge tier is off: no request URL to key it by, or an edge lifetime of 0.
    edgeRequest: requestUrl && edgeTtl > 0 ? new Request(new URL(`/__edgepix/original/${digest}`, requestUrl)) : null,
    edgeTtl,
    kv: bindings.originCache ?? null,
    kvKey: `original:${digest}`,
    kvTtl: Math.max(KV_MIN_TTL_SECONDS, settings.kvTtl),
    kvMaxBytes: Math.min(KV_VALUE_LIMIT_BYTES, settings.kvMaxBytes),
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
    const partial = await tiers.cache.match(new Request(tiers.edgeRequest, { headers: { Range: range } }));
    if (partial === undefined) return null;
    const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(partial.headers.get('Content-Range') ?? '');
    const meta = served && metaFromHeaders(partial.headers, Number(served[3]));
    if (partial.status === 206 && meta && ifRangeAllows(rangeHeaders, meta)) {
      const [offset, last] = [Number(served[1]), Number(served[2])];
      return { ...meta, body: partial.body, range: { offset, length: last - offset + 1 }, layer: 'edge' };
    }
    await partial.body?.cancel();
  }
  const whole = await tiers.cache.match(tiers.edgeRequest);
  return whole === undefined ? null : { ...metaFromHeaders(whole.headers), body: whole.body, layer: 'edge' };
}

async function getKv(tiers) {
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
async function readFromOrigin(store, origin, source, tiers, rangeHeaders) {
  const found = await fetchOrigin(store, origin, source, 'GET');
  if (found === null) return null;
  const { response, meta } = found;
  const { layer } = origin;
  if (meta.size > tiers.kvMaxBytes) {
    if (tiers.edgeRequest === null) return { ...meta, body: response.body, layer };
    const [forCaller, forEdge] = response.body.tee();
    fillEdge(store, tiers, meta, forEdge);
    return { ...meta, body: forCaller, layer };
  }
  const limit = Number.isFinite(meta.size) ? meta.size : store.settings.maxOriginalBytes;
  const bytes = await readBounded(response.body, limit);
  const whole = { ...meta, size: bytes.byteLength, bytes, layer };
  fillEdge(store, tiers, whole, bytes);
  fillKv(store, tiers, whole, bytes);
  return sliced(whole, rangeHeaders);
}

/** GET or HEAD of a source at its origin: null when it does not exist there, else { response, meta }. */
async function fetchOrigin({ settings }, origin, source, method) {
  const response = await reach(origin, source, () => origin.fetch(settings, source, method));
  if (NOT_FOUND_STATUSES.has(response.status)) {
    await response.body?.cancel();
    return null;
  }
  if (response.status !== 200) throw await originFailure(origin, source, response);
  return { response, meta: metaFromHeaders(response.headers) };
}

/** A connection that fails (refused, reset, DNS) is the origin's failure, a 502, not the Worker's 500. */
async function reach(origin, source, request) {
  try {
    return await request();
  } catch (err) {
    if (err instanceof CodedError) throw err;
    const where = origin.where(source);
    console.warn(`edgepix: could not reach ${where}:`, err?.message ?? err);
    throw new CodedError('origin_failed', `could not reach ${where}`);
  }
}

/** A 502 naming what the origin said; its credentials and error bodies stay in the log, not the answer. */
async function originFailure(origin, source, response) {
  const code = await origin.failureCode(response);
  const message = `${origin.where(source, { detailed: true })} answered ${response.status}${code ? ` ${code}` : ''}`;
  console.warn(`edgepix: ${message}`);
  return new CodedError('origin_failed', message);
}

/**
 * The whole body in memory, refused with 413 past `limit`: the Content-Length when the origin sent one, else the
 * largest original allowed, so a chunked answer cannot exhaust the isolate's memory.
 */
async function readBounded(body, limit) {
  const chunks = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.byteLength;
    // Leaving the loop by a throw cancels the stream.
    if (length > limit) throw new CodedError('too_large', `the origin sent more than ${limit} bytes`);
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

function fillEdge(store, tiers, meta, body) {
  if (tiers.edgeRequest === null) return;
  const headers = new Headers({
    'Content-Type': meta.contentType,
    'Content-Length': String(meta.size),
    'Cache-Control': `public, max-age=${tiers.edgeTtl}`,
  });
  if (meta.etag) headers.set('ETag', meta.etag);
  if (meta.lastModified) headers.set('Last-Modified', meta.lastModified.toUTCString());
  inBackground(store, 'edge put', tiers.cache.put(tiers.edgeRequest, new Response(body, { headers })));
}

function fillKv(store, tiers, meta, bytes) {
  if (tiers.kv === null || meta.size > tiers.kvMaxBytes) return;
  const metadata = {
    etag: meta.etag,
    size: meta.size,
    contentType: meta.contentType,
    lastModified: meta.lastModified?.getTime() ?? null,
  };
  inBackground(store, 'KV put', tiers.kv.put(tiers.kvKey, bytes, { expirationTtl: tiers.kvTtl, metadata }));
}

/** A whole in-memory original cut to the range asked for, when there is one to honour. */
function sliced(original, rangeHeaders) {
  const slice = wantedSlice(rangeHeaders, original);
  if (slice === null) return original;
  return { ...original, bytes: original.bytes.subarray(slice.offset, slice.offset + slice.length), range: slice };
}

function withoutBody({ bytes, body, range, ...meta }) {
  return meta;
}

/** A background write that must not fail the response: logged, never thrown. */
function inBackground({ ctx }, what, promise) {
  ctx.waitUntil(promise.catch((err) => console.warn(`edgepix: origin tier ${what} failed:`, err?.message ?? err)));
}
