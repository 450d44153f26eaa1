// Where originals come from: one table of source kinds, each read directly or through the tiers (tiers.js).
//
//   source { kind: 'r2', key }   R2 (bindings.r2) is the source of truth and is read directly: it is already inside
//                                Cloudflare, strongly consistent, and a copy in front of it could serve an object
//                                after it was replaced or deleted. Layer 'r2'.
//   source { kind: 's3', key }   an S3-compatible bucket (s3.js), through the tiers. Layer 's3'.
//   source { kind: 'url', url }  an allow-listed origin (origins.js), through the tiers. Layer 'origin'.
//
// Every function takes a `store`: { settings, bindings, ctx } (config.js's originStore builds it from env):
//   settings  { originKind, s3, allowedOrigins, edgeTtl, kvTtl, kvMaxBytes, maxOriginalBytes, allowLoopbackHttp }
//   bindings  { r2, originCache, cache }: R2-, KV- and Cache-API-like objects (originCache may be null)
//   ctx       anything with waitUntil(promise), for the tier fills that follow an answer
// Failures are CodedErrors (origin_failed, origin_not_allowed, too_large, misconfigured, bad_request); an object
// that does not exist is null. Every answer names its layer (edge | kv | r2 | s3 | origin).
import { CodedError } from './coded-error.js';
import { parseRange, wantedSlice } from './http.js';
import { isImageObjectKey } from './meta.js';
import { allowedOriginUrl, fetchAllowed } from './origins.js';
import { s3ErrorCode, s3Fetch } from './s3.js';
import { tieredHead, tieredRead } from './tiers.js';

/** The response header that names the layer an original came from: edge, kv, r2, s3 or origin. */
export const ORIGIN_LAYER_HEADER = 'X-Edgepix-Origin-Layer';

const keyOf = (kind) => (source) =>
  (typeof source.key === 'string' && source.key !== '' ? { kind, key: source.key } : null);

/** A row through the edge and KV tiers: head and read come from tiers.js over the row's fetch. */
function throughTiers(origin) {
  const row = { ...origin, tiered: true };
  row.head = (store, source, options) => tieredHead(store, row, source, options);
  row.read = (store, source, options) => tieredRead(store, row, source, options);
  return row;
}

/**
 * The source kinds. Each row: `validate` (a registered source → its canonical form, or null when malformed),
 * `byKey` (may be ORIGIN_KIND: paths name keys in it), `identity` (what names the object, for the tiers' keys),
 * `head` / `read` (see headOriginal / readOriginal), `layer`, `tiered`, `name` (for messages), `location` (where a
 * client can fetch the original itself). Tiered rows add `fetch` (the origin's response to GET or HEAD), `where`
 * (the origin, for failure messages) and `failureCode` (the origin's own error code in a failed response, or null).
 */
export const SOURCE_KINDS = Object.freeze({
  r2: {
    validate: (source) => {
      if (typeof source.key === 'string' && isImageObjectKey(source.key)) {
        throw new CodedError('bad_request', 'admin/images/ keys belong to uploaded images; upload the bytes instead');
      }
      return keyOf('r2')(source);
    },
    byKey: true,
    identity: (settings, source) => ['r2', source.key],
    head: ({ bindings }, source) => r2Head(bindings.r2, source.key),
    read: ({ bindings }, source, { rangeHeaders } = {}) => r2Read(bindings.r2, source.key, rangeHeaders),
    layer: 'r2',
    tiered: false,
    name: (source) => source.key,
    location: (source) => pathOf(source.key),
  },
  s3: throughTiers({
    validate: keyOf('s3'),
    byKey: true,
    identity: (settings, source) => ['s3', s3Of(settings).endpoint, s3Of(settings).bucket, source.key],
    fetch: (settings, source, method) => s3Fetch(s3Of(settings), source.key, method),
    where: (source, { detailed = false } = {}) =>
      (detailed ? `the S3 origin, for key ${JSON.stringify(source.key)},` : 'the S3 origin'),
    failureCode: s3ErrorCode,
    layer: 's3',
    name: (source) => source.key,
    location: (source) => pathOf(source.key),
  }),
  url: throughTiers({
    validate: (source) => (typeof source.url === 'string' && /^https:\/\//.test(source.url)
      ? { kind: 'url', url: source.url } : null),
    byKey: false,
    identity: (settings, source) => ['url', source.url],
    fetch: (settings, source, method) => fetchAllowed(settings, source.url, method),
    where: (source) => `the origin of ${source.url}`,
    failureCode: async (response) => {
      await response.body?.cancel();
      return null;
    },
    layer: 'origin',
    name: (source) => source.url,
    location: (source) => source.url,
  }),
});

/** The row of a source's kind. */
export const sourceKind = (source) => SOURCE_KINDS[source.kind];

/**
 * What the path of /cdn-cgi/image/<options>/<source> and /<key> names: an absolute http(s) URL is an allow-listed
 * origin (403 otherwise); anything else is a key in the bucket settings.originKind names ("r2" or "s3").
 */
export function sourceFromPath(settings, keyOrUrl) {
  if (/^https?:\/\//i.test(keyOrUrl)) return { kind: 'url', url: allowedOriginUrl(settings, keyOrUrl) };
  const kind = settings.originKind;
  if (!Object.hasOwn(SOURCE_KINDS, kind) || !SOURCE_KINDS[kind].byKey) {
    throw new CodedError('misconfigured', `ORIGIN_KIND must be "r2" or "s3", not "${kind}"`);
  }
  return { kind, key: keyOrUrl };
}

/** A source given to the images API, in its canonical form; 400 when it is none of the kinds. */
export function checkSource(source) {
  const known = source !== null && typeof source === 'object' && Object.hasOwn(SOURCE_KINDS, source.kind);
  const checked = known ? SOURCE_KINDS[source.kind].validate(source) : null;
  if (checked === null) {
    throw new CodedError('bad_request',
      'source must be { "kind": "r2" | "s3", "key": "…" } or { "kind": "url", "url": "https://…" }');
  }
  return checked;
}

/** The R2 key of bytes uploaded through the images API that `source` names, or null: those bytes are the image's. */
export const uploadedObjectKey = (source) => (source.kind === 'r2' && isImageObjectKey(source.key) ? source.key : null);

/**
 * The original's validators and size without its bytes: { etag, size, contentType, lastModified, layer }, or null
 * when it does not exist. `requestUrl` (the request being answered) enables the edge tier: the Cache API is keyed
 * by URLs of the Worker's own host.
 */
export function headOriginal(store, source, { requestUrl } = {}) {
  return sourceKind(source).head(store, source, { requestUrl });
}

/**
 * The original: { bytes | body, etag, size, contentType, lastModified, layer, range? }, or null when it does not
 * exist. `bytes` (a Uint8Array) or `body` (a stream) holds the whole object, or — when `rangeHeaders` has a single
 * satisfiable `Range` that its `If-Range`, if any, allows — the part `range: { offset, length }` says; `size` is
 * always the whole object's. `etag` is the origin's entity-tag as HTTP sends it (quoted), or '' if it sent none.
 * R2 results also carry `writeHttpMetadata(headers)`, the metadata given at upload.
 */
export function readOriginal(store, source, { rangeHeaders, requestUrl } = {}) {
  return sourceKind(source).read(store, source, { rangeHeaders, requestUrl });
}

function s3Of(settings) {
  if (settings.s3 === null || settings.s3 === undefined) {
    throw new CodedError('misconfigured',
      'an original lives in S3 but no bucket is configured (S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)');
  }
  return settings.s3;
}

const pathOf = (key) => `/${key.split('/').map(encodeURIComponent).join('/')}`;

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

// R2 throws on a key longer than this (UTF-8 bytes): no object can have one, so such a key is simply not there.
const R2_MAX_KEY_BYTES = 1024;
const possibleR2Key = (key) => new TextEncoder().encode(key).length <= R2_MAX_KEY_BYTES;

async function r2Head(r2, key) {
  if (!possibleR2Key(key)) return null;
  const object = await r2.head(key);
  return object === null ? null : describeR2(object);
}

async function r2Read(r2, key, rangeHeaders) {
  if (!possibleR2Key(key)) return null;
  if (rangeHeaders && parseRange(rangeHeaders.get('Range')) !== null) {
    // The size is needed to resolve the range, and the etag pins the slice to the version the size came from.
    const meta = await r2.head(key);
    if (meta === null) return null;
    const slice = wantedSlice(rangeHeaders, describeR2(meta));
    if (slice !== null) {
      const part = await r2.get(key, { range: slice, onlyIf: { etagMatches: meta.etag } });
      if (part !== null && 'body' in part) return { ...describeR2(part), body: part.body, range: slice };
      // Replaced since the head: the whole new object is always a valid answer.
    }
  }
  const object = await r2.get(key);
  return object === null ? null : { ...describeR2(object), body: object.body };
}
