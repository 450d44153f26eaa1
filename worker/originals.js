// GET/HEAD /<key>: the R2 object as stored, streamed (never buffered), with validators, conditional requests
// and single byte ranges.
import { cacheControl } from './cache.js';
import { HttpError, notFound } from './errors.js';
import {
  contentRange, evaluatePreconditions, ifRangeAllows, parseRange, resolveRange, toR2Conditional,
} from './http.js';

export async function handleOriginal(request, env, ctx, { key }) {
  if (request.method === 'HEAD') return answerHead(request, env, key);
  const range = parseRange(request.headers.get('Range'));
  return range === null ? serveWhole(request, env, key) : serveRange(request, env, key, range);
}

async function answerHead(request, env, key) {
  const object = await env.ORIGINALS.head(key);
  if (object === null) throw notFound(key);
  return preconditionResponse(request, object, env) ?? new Response(null, { headers: objectHeaders(object, env) });
}

async function serveWhole(request, env, key) {
  // onlyIf lets R2 skip opening the body when an entity-tag condition already fails.
  const object = await env.ORIGINALS.get(key, { onlyIf: toR2Conditional(request.headers) });
  if (object === null) throw notFound(key);
  const early = preconditionResponse(request, object, env);
  if (early !== null) {
    await object.body?.cancel();
    return early;
  }
  // evaluatePreconditions is the authority; if R2 judged differently and withheld the body, read it plainly.
  const whole = 'body' in object ? object : await env.ORIGINALS.get(key);
  if (whole === null) throw notFound(key);
  return new Response(whole.body, { headers: objectHeaders(whole, env) });
}

async function serveRange(request, env, key, range) {
  // The size is needed before asking R2 for a slice, to answer 416 with the size RFC 9110 wants.
  const meta = await env.ORIGINALS.head(key);
  if (meta === null) throw notFound(key);
  const early = preconditionResponse(request, meta, env);
  if (early !== null) return early;
  if (!ifRangeAllows(request.headers, validators(meta))) return serveWhole(request, env, key);

  const slice = resolveRange(range, meta.size);
  if (slice === null) {
    throw new HttpError('range_not_satisfiable', `range not satisfiable for an object of ${meta.size} bytes`, {
      'Content-Range': `bytes */${meta.size}`,
    });
  }
  const object = await env.ORIGINALS.get(key, { range: slice, onlyIf: { etagMatches: meta.etag } });
  // Replaced between head and get, the slice may not fit the new object: a full 200 is always a valid answer.
  if (object === null || !('body' in object)) return serveWhole(request, env, key);

  const headers = objectHeaders(object, env);
  headers.set('Content-Range', contentRange(slice, object.size));
  headers.set('Content-Length', String(slice.length));
  return new Response(object.body, { status: 206, headers });
}

/** 304 or (thrown) 412 when the request's preconditions say so; null to go on serving the object. */
function preconditionResponse(request, object, env) {
  const verdict = evaluatePreconditions(request.headers, validators(object));
  if (verdict === 'precondition_failed') throw new HttpError('precondition_failed', 'a precondition of the request failed');
  if (verdict !== 'not_modified') return null;
  const headers = objectHeaders(object, env);
  headers.delete('Content-Length'); // a 304 has no body; the length of the full object would only mislead
  return new Response(null, { status: 304, headers });
}

function validators(object) {
  return { etag: object.httpEtag, lastModified: object.uploaded };
}

function objectHeaders(object, env) {
  const headers = new Headers();
  // Metadata given at upload (Content-Type, Cache-Control, Content-Disposition…) wins over our defaults.
  object.writeHttpMetadata(headers);
  if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/octet-stream');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', cacheControl(env, 'original'));
  headers.set('Content-Length', String(object.size));
  headers.set('ETag', object.httpEtag);
  headers.set('Last-Modified', object.uploaded.toUTCString());
  headers.set('Accept-Ranges', 'bytes');
  return headers;
}
