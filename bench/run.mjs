#!/usr/bin/env node
// One run, side by side: edgepix wasm (this process), edgepix native (its CLI) and the peers a user would pick
// instead, on the same jobs and inputs. Writes bench/RESULTS.md and bench/results.png.
//   node bench/run.mjs [--runs N] [--out DIR] [--jobs ID,ID]    (job ids and their runs: bench/jobs.mjs;
//                                                                  --runs N gives every job N)
//   node bench/run.mjs --quick     one small job, one run each, written to a temporary folder; exits non-zero when
//                                  a library fails or produces a wrong image (npm test runs it so it cannot rot)
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturesDir } from '../tests/support/golden.mjs';
import { writeChart } from './chart.mjs';
import { classifyTarget, timeClassify } from './classify.mjs';
import { jobs as fullJobs, quickJobs } from './jobs.mjs';
import { importLibrary, libraryNames } from './libraries/index.mjs';
import { loadAverage, machineInfo } from './machine.mjs';
import { peakRss } from './memory.mjs';
import { compare, referenceLuma } from './quality.mjs';
import { markdown } from './report.mjs';
import { moduleBreakdown, workerSize } from './size.mjs';
import { judgeTargets } from './targets.mjs';
import { timeJob } from './timing.mjs';
import { timeWorker } from './worker-hit.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const runsOption = Number(option('--runs')) || undefined;
const outDir = option('--out') ?? (quick ? mkdtempSync(join(tmpdir(), 'edgepix-bench-')) : fileURLToPath(new URL('.', import.meta.url)));
const onlyJobs = option('--jobs')?.split(',');
const log = (line) => process.stderr.write(`${line}\n`);
const loadSamples = [];
const errorText = (error) => String(error?.message ?? error).split('\n')[0];

async function loadLibraries() {
  const libraries = [];
  for (const id of libraryNames) {
    const module = await importLibrary(id);
    try {
      libraries.push({ id, name: module.name, kind: module.kind, runner: await module.load() });
    } catch (error) {
      const reason = `failed to load: ${errorText(error)}`;
      libraries.push({ id, name: module.name, kind: module.kind, runner: { cannot: () => reason } });
    }
  }
  return libraries;
}

async function measureJob(job, libraries) {
  const { runs } = job;
  const path = `${fixturesDir()}/${job.input}`;
  const input = readFileSync(path);
  log(`${job.title}: ${runs} run(s) × ${libraries.length} libraries`);
  const results = await timeJob(job, input, path, libraries, runs, (round) => {
    loadSamples.push(loadavg()[0]);
    log(`  round ${round}/${runs}, load ${loadavg()[0].toFixed(2)}`);
  });
  const reference = await referenceLuma(input, job.width);
  for (const result of results.values()) {
    if (result.cannot) continue;
    result.bytes = result.output.length;
    Object.assign(result, await compare(reference, result.output));
    delete result.output;
  }
  return results;
}

function measureMemory(job, libraries, results) {
  const path = `${fixturesDir()}/${job.input}`;
  for (const library of libraries) {
    const result = results.get(library.id);
    if (result.cannot) continue;
    try {
      Object.assign(result, peakRss(library.id, job, path));
    } catch (error) {
      result.memoryError = `failed: ${errorText(error)}`;
    }
  }
}

function measureSizes() {
  const sizes = {};
  try {
    sizes.worker = workerSize();
  } catch (error) {
    sizes.workerError = errorText(error);
  }
  try {
    sizes.module = moduleBreakdown({ optimise: !quick }); // quick: wasm-ld's output only, wasm-opt takes too long
  } catch (error) {
    sizes.moduleError = errorText(error);
  }
  return sizes;
}

// In quick mode every library that can run the job must run it and produce the right image.
function problems(jobs, results, sizes, worker) {
  const found = [];
  for (const job of jobs) {
    for (const [id, r] of results.get(job.id)) {
      if (r.cannot?.startsWith('failed')) found.push(`${job.id} ${id}: ${r.cannot}`);
      else if (!r.cannot && !(r.ssim > 0.9)) found.push(`${job.id} ${id}: SSIM ${r.ssim ?? r.mismatch}`);
      if (r.memoryError) found.push(`${job.id} ${id}: memory ${r.memoryError}`);
    }
  }
  if (sizes.workerError) found.push(`worker size: ${sizes.workerError}`);
  if (worker.error) found.push(`through wrangler dev: ${worker.error}`);
  if (sizes.moduleError) found.push(`module breakdown: ${sizes.moduleError}`);
  return found;
}

const moduleDigest = () => createHash('sha256')
  .update(readFileSync(new URL('../wasm/edgepix.wasm', import.meta.url))).digest('hex');
const module = { start: moduleDigest() };
const machine = machineInfo();
const loadStart = loadAverage();
log(`edgepix bench: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${loadStart}`);
const libraries = await loadLibraries();
const jobs = (quick ? quickJobs : fullJobs).filter((job) => !onlyJobs || onlyJobs.includes(job.id))
  .map((job) => ({ ...job, runs: runsOption ?? job.runs, libraries }));
const runCounts = [...new Set(jobs.map((job) => job.runs))].sort((a, b) => a - b);
const results = new Map();
for (const job of jobs) results.set(job.id, await measureJob(job, libraries));
log('peak memory: one fresh process per library and job');
for (const job of jobs) measureMemory(job, libraries, results.get(job.id));
const nodeBaseline = peakRss('node', {}, '').peakRssBytes;
log('classify: a 12 MP JPEG\'s features against its 1000 px WebP transform');
const classifyTiming = await timeClassify(runCounts.at(-1)).catch((error) => ({ error: errorText(error) }));
log('through wrangler dev: transform miss, cached hits, original');
const worker = await timeWorker(runCounts.at(-1));
log('sizes: wrangler deploy --dry-run, link map');
const sizes = measureSizes();
const loadEnd = loadAverage();
module.end = moduleDigest();

const targets = [...judgeTargets(jobs, results, sizes), classifyTarget(classifyTiming)];
mkdirSync(outDir, { recursive: true });
const chartFile = 'results.png';
await writeChart(join(outDir, chartFile), { jobs, results, machine, runCounts });
const loadDuring = `${Math.min(...loadSamples).toFixed(2)}–${Math.max(...loadSamples).toFixed(2)}`;
const report = markdown({ machine, loadStart, loadEnd, loadDuring, jobs, results, targets, sizes, nodeBaseline,
  chartFile, module, worker });
writeFileSync(join(outDir, 'RESULTS.md'), `${report}\n`);
process.stdout.write(`${report}\n`);
if (!quick || option('--out')) log(`wrote ${join(outDir, 'RESULTS.md')} and ${join(outDir, chartFile)}`);

const found = quick ? problems(jobs, results, sizes, worker) : [];
if (quick && classifyTiming.error) found.push(`classify: ${classifyTiming.error}`);
for (const problem of found) log(`bench --quick: ${problem}`);
if (quick && !option('--out')) rmSync(outDir, { recursive: true, force: true });
process.exit(found.length ? 1 : 0); // wasm-vips keeps worker threads alive
