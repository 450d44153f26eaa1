// Transforms through the wasm core, answered from the Cache API when this exact decision was made before for this
// version of the original. Two routes use it: GET/HEAD /cdn-cgi/image/<options>/<key> (here) and the images API's
// delivery (images.js).
import { counters, decide } from 'edgepix';
import {
  cacheControl, storeInBackground, transformCacheEntry, transformHeaders, withCacheStatus,
} from './cache.js';
import { envFlag, maxOriginalBytes, originStore, storeSettings } from './config.js';
import { HttpError } from './errors.js';
import { evaluatePreconditions } from './http.js';
import { isImageObjectKey } from './meta.js';
import { recentPolicy } from './policy-store.js';
import { limitTransformMiss } from './ratelimit.js';
import { admitMiss } from './isolate-memory.js';
import { headOriginal, ORIGIN_LAYER_HEADER, readOriginal, sourceFromPath, sourceKind } from './store.js';

export async function handleTransform(request, env, ctx, params) {
  const { options, key } = splitOptions(request, params);
  // The images API's own objects are reachable only through its delivery route, where signatures are checked.
  if (isImageObjectKey(key)) throw notFoundSource({ kind: 'r2', key });
  // <key> is an R2 or S3 key, or an allow-listed absolute URL (403 for any other origin).
  const source = sourceFromPath(storeSettings(env), key);
  return deliverTransformed(request, env, ctx, {
    options, source, policy: cacheControl(env, 'transform'), originalLocation: sourceKind(source).location(source) });
}

// Options come from the path (/cdn-cgi/image/<options>/<key>) or, when the first segment is no option list,
// from the query (/cdn-cgi/image/<key>?width=400&format=auto): the query's pairs become the same comma list.
function splitOptions(request, { options, key }) {
  if (options !== undefined && options.includes('=')) return { options, key };
  const fromQuery = [...new URL(request.url).searchParams].map(([name, value]) => `${name}=${value}`).join(',');
  return { options: fromQuery, key: [options, key].filter(Boolean).join('/') };
}

/**
 * Answers one transform request: 304 when the client has it, the cached bytes when the edge has them, else —
 * within the client's budget of misses — the core's output, stored in the background.
 * `source` is store.js's source, `version` the image's version (images API) or null, `policy` the Cache-Control.
 * `originalLocation` (the /cdn-cgi/image/ route): where onerror=redirect sends the client when the transform fails.
 * The core decides once, before any storage is touched (a bad URL costs no storage operation); the same decision
 * keys the cache and, on a miss, runs — and is released on every other path.
 */
export async function deliverTransformed(request, env, ctx, { options, source, version = null, policy,
  originalLocation = null }) {
  return withCoreCounters(env, async () => {
    // The core reads Accept and the client hints from the headers itself, and says which of them mattered. GPS
    // leaves with metadata=keep only where the moderation policy allows it (keepGps).
    const { policy: moderation } = await recentPolicy(env.META);
    const decision = await decide(moderation.keepGps ? { options, keepGps: true } : options, { headers: request.headers });
    try {
      return await deliverDecided({ request, env, ctx, source, version, policy, decision });
    } catch (err) {
      // onerror=redirect: a transform that fails for any reason but the URL's own options sends the client to
      // the original instead of an error.
      if (originalLocation === null || decision.onError !== 'redirect' || err?.code === 'bad_option') throw err;
      return new Response(null, { status: 302, headers: { Location: originalLocation, 'Cache-Control': 'no-store' } });
    } finally {
      decision.release(); // a no-op once it ran
    }
  });
}

async function deliverDecided(job) {
  const { request, env, ctx, source, policy, decision } = job;
  const original = await headOriginal(originStore(env, ctx), source, { requestUrl: request.url });
  if (original === null) throw notFoundSource(source);
  refuseIfTooLarge(original.size, env);

  const entry = await cacheEntryFor(job, original.etag);
  const headers = transformHeaders(entry, decision, policy);
  headers.set(ORIGIN_LAYER_HEADER, original.layer); // on 304 and HIT: where the original's validators came from
  const verdict = evaluatePreconditions(request.headers, { etag: entry.etag, lastModified: null });
  if (verdict === 'precondition_failed') throw new HttpError('precondition_failed', 'If-Match does not match');
  if (verdict === 'not_modified') return new Response(null, { status: 304, headers });

  const cached = await caches.default.match(entry.request);
  if (cached) return withCacheStatus(cached, 'HIT', headers);

  // Only here does a request cost a decode and an encode: the one place a client's budget is spent, and the one
  // place the isolate's memory is (isolate-memory.js).
  await limitTransformMiss(request, env);
  const admitted = await admitMiss(env, missBytes(original.size));
  try {
    return await transformAndStore(job, entry, original.etag, admitted);
  } catch (err) {
    admitted.release();
    throw err;
  }
}

// What a miss holds at most: its input (in wasm memory until the core returns) and its output, which a resize is
// rarely bigger than; counted as the input's size again until the real size is known.
const missBytes = (originalSize) => 2 * originalSize;

// EDGEPIX_DEBUG_CORE_COUNTERS="true" (tests only): the answer says how much core work it cost, as the counters'
// deltas: {"optionsParsed":1,"negotiated":1,"decoded":1} for a miss. Requests in flight at once blur the numbers.
async function withCoreCounters(env, answer) {
  if (!envFlag(env, 'EDGEPIX_DEBUG_CORE_COUNTERS')) return answer();
  const before = await counters();
  const response = await answer();
  const after = await counters();
  const tagged = new Response(response.body, response);
  const deltas = Object.fromEntries(Object.entries(after).map(([name, count]) => [name, count - before[name]]));
  tagged.headers.set('X-Edgepix-Core-Counters', JSON.stringify(deltas));
  return tagged;
}

const cacheEntryFor = ({ request, decision, source, version }, originalEtag) =>
  transformCacheEntry(request.url, { decision, source, originalEtag, version });

// The original goes from the store's stream straight into wasm memory, and the output from wasm memory straight into
// one Response body (native memory) that the client's answer and the cache write share: one copy of each, never
// whole in the JS heap.
async function transformAndStore(job, entry, headEtag, admitted) {
  const { request, env, ctx, source, policy, decision } = job;
  const object = await readOriginal(originStore(env, ctx), source, { requestUrl: request.url });
  if (object === null) throw notFoundSource(source);
  if (!isSmallEnough(object.size, env)) await object.body?.cancel();
  refuseIfTooLarge(object.size, env);
  // Replaced since the head: name the result after the bytes actually transformed, not the ones we looked up.
  const finalEntry = object.etag === headEtag ? entry : await cacheEntryFor(job, object.etag);

  const output = await decision.run(await inputOf(object),
    { toBody: (view) => ({ response: new Response(view), size: view.length }) }).catch(async (err) => {
    if (object.body && !object.body.locked) await object.body.cancel().catch(() => {}); // failed before reading it
    throw err;
  });
  const { response, size } = output.body;
  admitted.shrinkTo(size); // the input went with the call
  const stored = transformHeaders(finalEntry, decision, cacheControl(env, 'transform'));
  stored.set('Content-Type', output.contentType);
  stored.set('Content-Length', String(size));
  for (const [name, value] of stored) response.headers.set(name, value);

  // The cache's copy is a clone over the same native buffer; the client's is not held back by the cache write
  // (waitUntil), and the output's bytes stay reserved until the write has them.
  storeInBackground(ctx, finalEntry.request, response.clone()).finally(admitted.release);
  const answer = withCacheStatus(response, 'MISS', transformHeaders(finalEntry, decision, policy));
  answer.headers.set(ORIGIN_LAYER_HEADER, object.layer);
  return answer;
}

// A stream of known size is read straight into wasm memory; bytes (the KV tier's) or a stream of unknown length
// (an origin that sent no Content-Length) as they come.
async function inputOf(object) {
  if (object.bytes) return object.bytes;
  if (Number.isSafeInteger(object.size)) return { body: object.body, size: object.size };
  return new Uint8Array(await new Response(object.body).arrayBuffer());
}

const isSmallEnough = (size, env) => size <= maxOriginalBytes(env);

/** 413 for an original too big to read into memory, decided from its size before its bytes are read. */
function refuseIfTooLarge(size, env) {
  if (isSmallEnough(size, env)) return;
  throw new HttpError('too_large', `original is ${size} bytes; the limit for transforms is ${maxOriginalBytes(env)}`);
}

function notFoundSource(source) {
  return new HttpError('not_found', `no original at ${source.kind} ${JSON.stringify(sourceKind(source).name(source))}`);
}
