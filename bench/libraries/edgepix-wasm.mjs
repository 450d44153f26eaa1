// edgepix's shipped module (wasm/edgepix.wasm) in this Node process, through the package's own loader.
import { readFileSync } from 'node:fs';
import { createCore } from '../../wasm/node.js';
import { edgepixOptions } from '../jobs.mjs';

export const name = 'edgepix wasm';
export const kind = 'wasm';

export async function load() {
  const moduleBytes = readFileSync(new URL('../../wasm/edgepix.wasm', import.meta.url));
  const core = createCore(async () => WebAssembly.compile(moduleBytes));
  const hasAvif = await core.plan('format=avif').then(() => true, () => false);
  return {
    cannot: (job) => (job.format === 'avif' && !hasAvif ? 'not yet (issue 4)' : null),
    run: async (job, input) => (await core.transform(input, edgepixOptions(job))).bytes,
    wasmMemoryBytes: () => core.memoryStats().peakBytes, // the peak: a big job's instance is recycled after it
  };
}
