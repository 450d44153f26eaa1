#!/usr/bin/env node
// HEIC decode time: a 12 MP photo heif-enc wrote (scripts/fixtures.mjs, photo-12mp.heic) through the shipped
// module and the native CLI. Only edgepix runs it: the bench's peers read no HEVC. Each run decodes the whole
// picture (HEVC has no scale-on-load) and then resizes and encodes a 1000 px JPEG; a probe (the header, no decode)
// and the same job from the 12 MP JPEG are timed beside it, so the decode's share can be read off. (format=json
// decodes too since it carries the features: for HEIC that is the whole picture.)
//   node bench/heic.mjs [runs]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { probe, transform } from '../wasm/node.js';
import { fixturesDir, nativeCli } from '../tests/support/golden.mjs';
import { median } from './timing.mjs';

const runs = Number(process.argv[2] ?? 7);
const heicPath = `${fixturesDir()}/photo-12mp.heic`;
const heic = readFileSync(heicPath);

async function wasmMedian(input, options, call = () => transform(input, options)) {
  await call();  // compile and warm up
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call();
    times.push(performance.now() - start);
  }
  return median(times);
}

const job = 'width=1000,format=jpeg,quality=85';
const rows = [
  ['wasm: 12 MP HEIC → 1000 px JPEG', await wasmMedian(heic, job)],
  ['wasm: 12 MP HEIC, probe only', await wasmMedian(heic, null, () => probe(heic))],
  ['wasm: 12 MP JPEG → 1000 px JPEG (scale-on-load)', await wasmMedian(readFileSync(`${fixturesDir()}/photo-12mp.jpg`), job)],
  ['native: 12 MP HEIC → 1000 px JPEG',
    JSON.parse(execFileSync(nativeCli, ['time', heicPath, job, String(runs)], { encoding: 'utf8' })).medianMs],
];
console.log(`HEIC input: ${heic.length} bytes, median of ${runs} runs`);
for (const [name, ms] of rows) console.log(`${name.padEnd(52)} ${ms.toFixed(1)} ms`);
