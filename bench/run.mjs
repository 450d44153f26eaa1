#!/usr/bin/env node
// Times edgepix wasm (in this Node process) against the native build (its CLI, in-process timing) on the same
// jobs and inputs, in one run: warm-up, then N runs; prints medians and the wasm/native ratio.
//   node bench/run.mjs [--runs N] [--quick]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createCore } from '../wasm/node.js';
import { fixturesDir } from '../tests/support/golden.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runs = Number(args[args.indexOf('--runs') + 1]) || (quick ? 1 : 7);
const root = new URL('../', import.meta.url).pathname;
const moduleBytes = readFileSync(`${root}wasm/edgepix.wasm`);
const core = createCore(async () => WebAssembly.compile(moduleBytes));

const jobs = quick
  ? [{ name: '1200 px JPEG → 400 px WebP', input: 'photo-1200.jpg', options: 'width=400,format=webp' }]
  : [
      { name: '12 MP JPEG → 1000 px WebP q80', input: 'photo-12mp.jpg', options: 'width=1000,format=webp,quality=80' },
      { name: '12 MP JPEG → 1000 px JPEG q85', input: 'photo-12mp.jpg', options: 'width=1000,format=jpeg,quality=85' },
      { name: '2 MP PNG with alpha → 400 px WebP', input: 'alpha-2mp.png', options: 'width=400,format=webp' },
      { name: '108 MP JPEG → 1000 px JPEG', input: 'photo-108mp.jpg', options: 'width=1000,format=jpeg' },
    ];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeWasm(input, options) {
  await core.transform(input, options); // warm-up (and instantiation)
  const times = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    bytes = (await core.transform(input, options)).bytes.length;
    times.push(performance.now() - start);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), bytes };
}

function timeNative(path, options) {
  const out = execFileSync(`${root}build/native/edgepix`, ['time', path, options, String(runs)], { encoding: 'utf8' });
  const { medianMs, minMs, maxMs } = JSON.parse(out);
  return { median: medianMs, min: minMs, max: maxMs };
}

const rows = [];
for (const job of jobs) {
  const path = `${fixturesDir()}/${job.input}`;
  const wasm = await timeWasm(readFileSync(path), job.options);
  const native = timeNative(path, job.options);
  rows.push({ job: job.name, wasm, native, ratio: wasm.median / native.median });
}

const ms = (value) => value.toFixed(1);
console.log(`edgepix bench — ${runs} run(s) after warm-up, Node ${process.version}`);
console.log(`module: ${moduleBytes.length} bytes raw, ${gzipSync(moduleBytes, { level: 9 }).length} gzipped`);
console.log('| job | wasm median (min–max) ms | native median (min–max) ms | wasm / native | output bytes |');
console.log('|---|---|---|---|---|');
for (const r of rows)
  console.log(`| ${r.job} | ${ms(r.wasm.median)} (${ms(r.wasm.min)}–${ms(r.wasm.max)}) | ${ms(r.native.median)} ` +
    `(${ms(r.native.min)}–${ms(r.native.max)}) | ${r.ratio.toFixed(2)}× | ${r.wasm.bytes} |`);
console.log(`peak wasm memory: ${((await core.memoryBytes()) / 1048576).toFixed(1)} MB`);
