#!/usr/bin/env node
// workerd's resident memory (RSS) under `wrangler dev` while the Worker serves big misses (issue 17): one at a time,
// then bursts of concurrent ones. wrangler dev starts two workerd processes (the Worker's and its own proxy's); the
// one whose memory moves is the Worker's. A whole process is counted (V8, its isolates, workerd itself), so the
// numbers bound the isolate's from above.
//   node bench/worker-memory.mjs
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fixturesDir } from '../tests/support/golden.mjs';
import { startWorker } from '../tests/worker/harness.mjs';

const MB = 1024 * 1024;
const fixtures = fixturesDir();
const photo12 = readFileSync(`${fixtures}/photo-12mp.jpg`);
// A progressive copy: libjpeg keeps every coefficient of a progressive image, the case that takes wasm memory
// past the recycle threshold.
const progressive12 = execFileSync('/usr/bin/convert', [`${fixtures}/photo-12mp.jpg`, '-interlace', 'JPEG',
  '-quality', '90', 'jpeg:-'], { maxBuffer: 256 * MB });
const objects = [
  { key: 'big/photo-12mp.jpg', bytes: photo12, contentType: 'image/jpeg' },
  { key: 'big/progressive-12mp.jpg', bytes: progressive12, contentType: 'image/jpeg' },
  { key: 'big/photo-108mp.jpg', bytes: readFileSync(`${fixtures}/photo-108mp.jpg`), contentType: 'image/jpeg' },
];
const cases = [
  { name: '12 MP baseline → 1000 px WebP', key: 'big/photo-12mp.jpg', options: 'width=1000,format=webp', at: 1 },
  { name: '12 MP progressive → 1000 px WebP', key: 'big/progressive-12mp.jpg', options: 'width=1000,format=webp',
    at: 1 },
  { name: '108 MP baseline → 1000 px JPEG', key: 'big/photo-108mp.jpg', options: 'width=1000,format=jpeg', at: 1 },
  { name: '8 × 12 MP baseline at once', key: 'big/photo-12mp.jpg', options: 'width=1000,format=webp', at: 8 },
  { name: '8 × 12 MP progressive at once', key: 'big/progressive-12mp.jpg', options: 'width=1000,format=webp', at: 8 },
  // Each one recycles its instance: does the memory of the dropped ones come back, or pile up until a GC?
  ...Array.from({ length: 12 }, (_, i) => ({ name: `12 MP progressive, ${i + 1} of 12 in a row`,
    key: 'big/progressive-12mp.jpg', options: 'width=1000,format=webp', at: 1 })),
];

const workerdPids = () => new Set(readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).filter((pid) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd';
  } catch {
    return false;
  }
}));
const status = (pid, field) =>
  Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]) * 1024;

// The workerd that this `wrangler dev` started (seeding runs one of its own in this process).
const parentOf = (pid) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
const startedByDev = (pid) => readFileSync(`/proc/${parentOf(pid)}/cmdline`, 'utf8').split('\0').includes('dev');
const before = workerdPids();
const worker = await startWorker({ objects, vars: JSON.parse(process.env.BENCH_VARS ?? '{}') });
const pids = [...workerdPids()].filter((candidate) => !before.has(candidate) && startedByDev(candidate));
const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
try {
  const each = (read) => pids.map((pid) => `${pid} ${mb(read(pid))}`).join(', ');
  console.log(`workerd processes: ${each((pid) => status(pid, 'VmRSS'))} resident after start`);
  let width = 1000;
  for (const { name, key, options, at } of cases) {
    const peak = new Map(pids.map((pid) => [pid, 0]));
    const sampler = setInterval(() => {
      for (const pid of pids) peak.set(pid, Math.max(peak.get(pid), status(pid, 'VmRSS')));
    }, 10);
    const statuses = await Promise.all(Array.from({ length: at }, () => {
      width += 1; // a new cache key each time: every request is a miss
      const url = `${worker.baseUrl}/cdn-cgi/image/${options.replace('width=1000', `width=${width}`)}/${key}`;
      return fetch(url).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      });
    }));
    clearInterval(sampler);
    console.log(`${name}: statuses ${statuses.join(' ')}; RSS peak ${each((pid) => peak.get(pid))}; `
      + `after ${each((pid) => status(pid, 'VmRSS'))}`);
  }
  console.log(`high-water marks (VmHWM): ${each((pid) => status(pid, 'VmHWM'))}`);
} finally {
  await worker.stop();
}
