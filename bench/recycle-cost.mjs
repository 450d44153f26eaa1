#!/usr/bin/env node
// What recycling an instance costs (issue 17): instantiating the compiled module again, beside the transform that
// grew it, 12 MP JPEG → 1000 px WebP (the webp-12mp job). Measured in this Node process and in workerd under
// `wrangler dev` (bench/recycle-cost-worker.js, timed from outside: workerd's clocks stand still while a request
// computes). Prints both numbers and their ratio for each runtime, and the transform on an instance recycled
// before every call: its working set is touched for the first time again (the kernel zero-fills every page; growing
// the memory ahead of the call does not help, and a fresh instance's second call runs at the warm speed), which
// instantiation alone does not show. Instances share the module's compiled code: a recycle loses no JIT tier-up.
//   node bench/recycle-cost.mjs [--node-only]
import { readFile } from 'node:fs/promises';
import { createCore } from '../wasm/node.js';
import { edgepixOptions, jobs } from './jobs.mjs';
import { fixturesDir } from '../tests/support/golden.mjs';
import { median } from './timing.mjs';

const job = jobs.find(({ id }) => id === 'webp-12mp');
const input = new Uint8Array(await readFile(`${fixturesDir()}/${job.input}`));
const INSTANTIATIONS = 30;
const TRANSFORMS = 9;

async function timed(times, work) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    ms.push(performance.now() - start);
  }
  return median(ms);
}

async function inNode() {
  const compiled = await WebAssembly.compile(await readFile(new URL('../wasm/edgepix.wasm', import.meta.url)));
  // A fresh core's first memoryBytes() instantiates the module and runs its start-up, as a recycle's next call does.
  const instantiateMs = await timed(INSTANTIATIONS, () => createCore(async () => compiled).memoryBytes());
  const warm = createCore(async () => compiled, { memoryRecycleBytes: 0 });
  const recycled = createCore(async () => compiled, { memoryRecycleBytes: 1 }); // every call on a fresh instance
  for (let i = 0; i < 3; i++) await warm.transform(input, edgepixOptions(job)); // V8's tier-up (timing.mjs)
  const transformMs = await timed(TRANSFORMS, () => warm.transform(input, edgepixOptions(job)));
  const recycledMs = await timed(TRANSFORMS, () => recycled.transform(input, edgepixOptions(job)));
  return { instantiateMs, transformMs, recycledMs };
}

// Each request does `work` n times; its time less an empty request's (same body), over n.
async function inWorkerd() {
  const { startWorker } = await import('../tests/worker/harness.mjs');
  const worker = await startWorker({ seed: false, script: 'bench/recycle-cost-worker.js' });
  try {
    const request = (work, n, body = null) => fetch(`${worker.baseUrl}/?work=${work}&n=${n}&options=${
      encodeURIComponent(edgepixOptions(job))}`, { method: 'POST', body }).then(async (response) => {
      if (!response.ok) throw new Error(`${work}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    });
    for (let i = 0; i < 3; i++) await request('transform', 1, input); // warm: compile, tier-up, first instance
    await request('recycled', 1, input);
    const emptyMs = await timed(TRANSFORMS, () => request('none', 1));
    const emptyWithBodyMs = await timed(TRANSFORMS, () => request('none', 1, input));
    const instantiateMs = (await timed(TRANSFORMS, () => request('instantiate', INSTANTIATIONS)) - emptyMs)
      / INSTANTIATIONS;
    const transformMs = await timed(TRANSFORMS, () => request('transform', 1, input)) - emptyWithBodyMs;
    const recycledMs = await timed(TRANSFORMS, () => request('recycled', 1, input)) - emptyWithBodyMs;
    return { instantiateMs, transformMs, recycledMs };
  } finally {
    await worker.stop();
  }
}

const report = (runtime, { instantiateMs, transformMs, recycledMs }) => console.log(
  `${runtime.padEnd(8)} instantiate ${instantiateMs.toFixed(2)} ms · ${job.title} ${transformMs.toFixed(1)} ms · `
  + `ratio ${(instantiateMs / transformMs * 100).toFixed(2)} % of the transform`
  + (recycledMs === undefined ? '' : ` · the transform on a fresh instance every time ${recycledMs.toFixed(1)} ms`));

report('node', await inNode());
if (!process.argv.includes('--node-only')) report('workerd', await inWorkerd());
