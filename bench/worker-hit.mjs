// The Worker path, for scale beside the library jobs: requests through `wrangler dev` (real workerd, local R2 and
// Cache API, the shipped module), timed from this process over loopback. A transform miss (R2 read, decode,
// resize, encode, the Cache API write), then hits answered from the Cache API without touching the module, and
// the original streamed from R2.
import { fetchBytes, startWorker } from '../tests/worker/harness.mjs';
import { median } from './timing.mjs';

const TRANSFORM = '/cdn-cgi/image/width=1000,format=webp,quality=80/photos/kleiber.jpg';
const ORIGINAL = '/photos/kleiber.jpg';

async function timed(baseUrl, path, init) {
  const started = performance.now();
  const answer = await fetchBytes(baseUrl, path, init);
  return { ...answer, ms: performance.now() - started };
}

const stats = (times) => ({ median: median(times), min: Math.min(...times), max: Math.max(...times) });

/** Resolves to { rows: [{ request, what, status, bytes, median, min, max, runs }] } or { error }. */
export async function timeWorker(runs) {
  const savedEnv = { ...process.env }; // startWorker points TMPDIR and XDG dirs of this process at its work dir
  let worker;
  try {
    worker = await startWorker();
    const miss = await timed(worker.baseUrl, TRANSFORM);
    if (miss.status !== 200 || miss.headers.get('X-Edgepix-Cache') !== 'MISS')
      throw new Error(`transform miss answered ${miss.status} ${miss.headers.get('X-Edgepix-Cache')}`);
    // The miss stores through waitUntil: wait until the entry is there before timing hits.
    for (let i = 0; i < 50; i++) {
      if ((await fetchBytes(worker.baseUrl, TRANSFORM)).headers.get('X-Edgepix-Cache') === 'HIT') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const hits = [];
    const originals = [];
    let hit;
    let original;
    for (let i = 0; i < runs; i++) {
      hit = await timed(worker.baseUrl, TRANSFORM);
      if (hit.headers.get('X-Edgepix-Cache') !== 'HIT') throw new Error('a repeated transform was not a cache hit');
      hits.push(hit.ms);
      original = await timed(worker.baseUrl, ORIGINAL);
      if (original.status !== 200) throw new Error(`the original answered ${original.status}`);
      originals.push(original.ms);
    }
    return {
      rows: [
        { request: TRANSFORM, what: 'transform miss (R2 → wasm → Cache API)', status: miss.status,
          bytes: miss.bytes.length, ...stats([miss.ms]), runs: 1 },
        { request: TRANSFORM, what: 'transform hit (Cache API)', status: hit.status, bytes: hit.bytes.length,
          ...stats(hits), runs },
        { request: ORIGINAL, what: 'original (R2, streamed)', status: original.status, bytes: original.bytes.length,
          ...stats(originals), runs },
      ],
    };
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0] };
  } finally {
    await worker?.stop();
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  }
}

export function workerSection(worker) {
  const lines = ['## Through `wrangler dev`', ''];
  if (worker.error) return [...lines, `Could not be measured: ${worker.error}.`, ''];
  lines.push('Requests to a local `wrangler dev` (real workerd with local R2 and the Cache API; the Worker as ' +
    'deployed, with the shipped module), timed from the bench process over loopback: the cached hit is what most ' +
    'traffic costs; the miss is the first request for a variant (the 6028×3391 photo read from R2, transformed, ' +
    'stored). The miss is one request, so it includes the first compilation of the module in that isolate.', '',
    '| request | what | status | bytes | median ms | min–max ms | runs |', '|---|---|---:|---:|---:|---:|---:|',
    ...worker.rows.map((r) => `| \`${r.request}\` | ${r.what} | ${r.status} | ${r.bytes} | ${r.median.toFixed(1)} | ` +
      `${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${r.runs} |`), '');
  return lines;
}
