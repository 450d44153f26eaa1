// GET/HEAD /<key> (or /<allow-listed URL>): the original as stored, streamed when it comes from R2 or the edge,
// with its origin's validators, conditional requests and single byte ranges. store.js decides where it comes from.
import { cacheControl } from './cache.js';
import { HttpError, notFound } from './errors.js';
import { contentRange, evaluatePreconditions, ifRangeAllows, parseRange, resolveRange } from './http.js';
import { originStore } from './config.js';
import { headOriginal, ORIGIN_LAYER_HEADER, readOriginal, sourceFromPath } from './store.js';

export async function handleOriginal(request, env, ctx, { key }) {
  const store = originStore(env, ctx);
  const source = sourceFromPath(store.settings, key);
  const onThisHost = { requestUrl: request.url }; // keys the edge tier
  if (request.method === 'HEAD') {
    const meta = await headOriginal(store, source, onThisHost);
    if (meta === null) throw notFound(key);
    return preconditionResponse(request, meta, env) ?? new Response(null, { headers: originalHeaders(meta, env) });
  }
  // The store honours Range/If-Range itself, so a slice is all that is read where the tier allows it.
  const original = await readOriginal(store, source, { ...onThisHost, rangeHeaders: request.headers });
  if (original === null) throw notFound(key);
  try {
    const early = preconditionResponse(request, original, env);
    if (early === null) return rangeOrWhole(request, original, env);
    await release(original);
    return early;
  } catch (err) {
    await release(original);
    throw err;
  }
}

function rangeOrWhole(request, original, env) {
  const headers = originalHeaders(original, env);
  if (original.range) {
    headers.set('Content-Range', contentRange(original.range, original.size));
    headers.set('Content-Length', String(original.range.length));
    return new Response(original.bytes ?? original.body, { status: 206, headers });
  }
  const range = parseRange(request.headers.get('Range'));
  if (range !== null && ifRangeAllows(request.headers, original) && resolveRange(range, original.size) === null) {
    throw new HttpError('range_not_satisfiable', `range not satisfiable for an object of ${original.size} bytes`, {
      'Content-Range': `bytes */${original.size}`,
    });
  }
  return new Response(original.bytes ?? original.body, { headers });
}

/** 304 or (thrown) 412 when the request's preconditions say so; null to go on serving the object. */
function preconditionResponse(request, original, env) {
  const verdict = evaluatePreconditions(request.headers, original);
  if (verdict === 'precondition_failed') throw new HttpError('precondition_failed', 'a precondition of the request failed');
  if (verdict !== 'not_modified') return null;
  const headers = originalHeaders(original, env);
  headers.delete('Content-Length'); // a 304 has no body; the length of the full object would only mislead
  return new Response(null, { status: 304, headers });
}

function originalHeaders(original, env) {
  const headers = new Headers();
  // Metadata given at upload to R2 (Content-Type, Cache-Control, Content-Disposition…) wins over our defaults.
  original.writeHttpMetadata?.(headers);
  if (!headers.has('Content-Type')) headers.set('Content-Type', original.contentType);
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', cacheControl(env, 'original'));
  headers.set('Content-Length', String(original.size));
  // Only the origin's own validators: an origin that sent no ETag gets none invented here.
  if (original.etag) headers.set('ETag', original.etag);
  if (original.lastModified) headers.set('Last-Modified', original.lastModified.toUTCString());
  headers.set('Accept-Ranges', 'bytes');
  headers.set(ORIGIN_LAYER_HEADER, original.layer);
  return headers;
}

async function release(original) {
  await original.body?.cancel();
}
