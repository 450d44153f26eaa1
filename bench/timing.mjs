// Times one job across libraries in this process. Each library is warmed up (instantiation, JIT, caches) until a run
// is no longer clearly faster than the one before: V8 compiles WebAssembly in tiers, a hot function moving to the
// optimising tier only from its next call, so a long job gets faster over its first few runs (edgepix's 12 MP
// WebP job: 996, 723, 553, 398, then 276 ms). Then the timed runs go in rounds — every library once per round,
// the order rotating — so a burst of load from other work on the machine lands on all of them rather than on one.
// A full GC precedes every timed run.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// At most this many warm-up runs; the next one is skipped once a run is within 5% of the one before.
const maxWarmUpRuns = 5;

async function warmUp(runner, job, input, path) {
  let start = performance.now();
  const output = await runner.run(job, input, path);
  let previous = performance.now() - start;
  // A runner that times in a process of its own (the native CLI) warms up there; runs here would not reach it.
  if (runner.timeOnce) return output;
  for (let run = 1; run < maxWarmUpRuns; run++) {
    start = performance.now();
    await runner.run(job, input, path);
    const ms = performance.now() - start;
    if (ms > previous * 0.95) break;
    previous = ms;
  }
  return output;
}

const reasonOf = (error) => String(error?.message ?? error).split('\n')[0].slice(0, 160);

/**
 * @param libraries [{ id, name, kind, runner }]
 * @returns Map id → { cannot } | { output, times, median, min, max }
 */
export async function timeJob(job, input, path, libraries, runs, onRound) {
  const results = new Map();
  const active = [];
  for (const library of libraries) {
    try {
      const reason = await library.runner.cannot(job, path);
      if (reason) {
        results.set(library.id, { cannot: reason });
        continue;
      }
      const output = await warmUp(library.runner, job, input, path); // the first run's output is the one judged
      results.set(library.id, { output: new Uint8Array(output), times: [] });
      active.push(library);
    } catch (error) {
      results.set(library.id, { cannot: `failed: ${reasonOf(error)}` });
    }
  }
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < active.length; i++) {
      const library = active[(i + round) % active.length];
      const result = results.get(library.id);
      if (result.cannot) continue;
      collectGarbage();
      try {
        let ms;
        if (library.runner.timeOnce) ms = library.runner.timeOnce(job, path);
        else {
          const start = performance.now();
          await library.runner.run(job, input, path);
          ms = performance.now() - start;
        }
        result.times.push(ms);
      } catch (error) {
        results.set(library.id, { cannot: `failed on run ${round + 1}: ${reasonOf(error)}` });
      }
    }
    onRound?.(round + 1);
  }
  for (const result of results.values()) {
    if (result.cannot) continue;
    Object.assign(result, { median: median(result.times), min: Math.min(...result.times), max: Math.max(...result.times) });
  }
  return results;
}
