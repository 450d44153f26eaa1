// Issue 16's speed target, in one process: classify (the gate's features: one decode at scale-on-load and one pass
// over a copy of at most 256 px) of a 12 MP JPEG against the same image's 1000 px WebP transform (the webp-12mp job),
// both through the shipped module. Both warm up first (V8 tiers wasm up over the first calls); then the timed runs
// alternate, so load from other work lands on both alike.
import { readFileSync } from 'node:fs';
import { classify, transform } from '../wasm/node.js';
import { fixturesDir } from '../tests/support/golden.mjs';
import { median } from './timing.mjs';

export const CLASSIFY_INPUT = 'photo-12mp.jpg';
const WEBP_JOB = 'width=1000,format=webp,quality=80';
const WARM_UP_RUNS = 4;

/** { classifyMs, transformMs, ratio }: medians of `runs` alternating runs each. */
export async function timeClassify(runs) {
  const input = readFileSync(`${fixturesDir()}/${CLASSIFY_INPUT}`);
  const timed = async (work) => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  const classifyOnce = () => classify(input);
  const transformOnce = () => transform(input, WEBP_JOB);
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    await classifyOnce();
    await transformOnce();
  }
  const classifyTimes = [];
  const transformTimes = [];
  for (let i = 0; i < runs; i++) {
    classifyTimes.push(await timed(classifyOnce));
    transformTimes.push(await timed(transformOnce));
  }
  const classifyMs = median(classifyTimes);
  const transformMs = median(transformTimes);
  return { classifyMs, transformMs, ratio: classifyMs / transformMs };
}

/** The target, judged as bench/targets.mjs judges the others. */
export function classifyTarget(timing) {
  const target = 'classify of a 12 MP JPEG ≤ 15% of its 1000 px WebP transform (wasm, one run)';
  if (!timing || timing.error) return { target, met: null, detail: `not measured${timing?.error ? `: ${timing.error}` : ''}` };
  const { classifyMs, transformMs, ratio } = timing;
  return { target, met: ratio <= 0.15,
    detail: `${(ratio * 100).toFixed(1)}% (${classifyMs.toFixed(1)} vs ${transformMs.toFixed(1)} ms)` };
}
