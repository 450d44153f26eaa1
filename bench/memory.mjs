// Peak memory of one job by one library, each in a fresh process so nothing else is counted: the child loads the
// library, runs the job once and reports VmHWM from /proc/self/status (the kernel's high-water mark of resident
// memory, threads included). A child that loads nothing gives Node's own share. The native CLI reports its own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(import.meta.url);

export function peakRss(libraryId, job, path) {
  const out = execFileSync(process.execPath, [child, libraryId, JSON.stringify(job), path],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  return JSON.parse(out.trim().split('\n').pop());
}

const highWaterMark = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/)[1]) * 1024;

async function main([libraryId, jobJson, path]) {
  const job = JSON.parse(jobJson);
  if (libraryId === 'node') return { peakRssBytes: highWaterMark() };
  const library = await import(`./libraries/${libraryId}.mjs`);
  const runner = await library.load();
  if (runner.peakRss) return runner.peakRss(job, path);
  await runner.run(job, readFileSync(path), path);
  return { peakRssBytes: highWaterMark(), wasmMemoryBytes: await runner.wasmMemoryBytes?.() };
}

if (process.argv[1] === child) {
  const result = await main(process.argv.slice(2));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0); // wasm-vips keeps worker threads alive
}
