// GET/HEAD /cdn-cgi/image/<options>/<key>: resize/convert an original from R2 through the wasm core, answering
// from the Cache API when this exact decision was made before for this version of the original.
import { plan, transform } from '../wasm/workerd.js';
import {
  storeInBackground, transformCacheEntry, transformValidatorHeaders, withCacheStatus,
} from './cache.js';
import { HttpError, notFound } from './errors.js';
import { evaluatePreconditions } from './http.js';

// Originals are read whole into memory for the core; past this the isolate would run out of memory first.
const DEFAULT_MAX_ORIGINAL_BYTES = 50 * 1024 * 1024;

export async function handleTransform(request, env, ctx, { options, key }) {
  const accept = request.headers.get('Accept') ?? '';
  // Options are validated before any storage is touched: a bad URL costs no R2 operation.
  const decision = await plan(options, { accept });
  const original = await env.ORIGINALS.head(key);
  if (original === null) throw notFound(key);
  await refuseIfTooLarge(original, env);

  const entry = await transformCacheEntry(request.url, decision, key, original.etag);
  const verdict = evaluatePreconditions(request.headers, { etag: entry.etag, lastModified: null });
  if (verdict === 'precondition_failed') throw new HttpError('precondition_failed', 'If-Match does not match');
  if (verdict === 'not_modified') {
    return new Response(null, { status: 304, headers: transformValidatorHeaders(entry, decision.varyAccept, env) });
  }

  const cached = await caches.default.match(entry.request);
  if (cached) return withCacheStatus(cached, 'HIT');
  return transformAndStore({ request, env, ctx, options, key, accept, decision, entry, headEtag: original.etag });
}

async function transformAndStore({ request, env, ctx, options, key, accept, decision, entry, headEtag }) {
  const object = await env.ORIGINALS.get(key);
  if (object === null) throw notFound(key);
  await refuseIfTooLarge(object, env);
  // Replaced since the head: name the result after the bytes actually transformed, not the ones we looked up.
  const finalEntry = object.etag === headEtag ? entry : await transformCacheEntry(request.url, decision, key, object.etag);

  const output = await transform(new Uint8Array(await object.arrayBuffer()), options, { accept });
  const headers = transformValidatorHeaders(finalEntry, decision.varyAccept, env);
  headers.set('Content-Type', output.contentType);
  headers.set('Content-Length', String(output.bytes.byteLength));

  // Two responses over the same bytes: the client's is not held back by the cache write (waitUntil).
  storeInBackground(ctx, finalEntry.request, new Response(output.bytes, { headers }));
  return withCacheStatus(new Response(output.bytes, { headers }), 'MISS');
}

/** 413 for an original too big to read into memory; an opened body (from get, not head) is released first. */
async function refuseIfTooLarge(object, env) {
  const limit = Number(env.MAX_ORIGINAL_BYTES) || DEFAULT_MAX_ORIGINAL_BYTES;
  if (object.size <= limit) return;
  await object.body?.cancel();
  throw new HttpError('too_large', `original is ${object.size} bytes; the limit for transforms is ${limit}`);
}
