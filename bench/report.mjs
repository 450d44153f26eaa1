// The Markdown report (bench/RESULTS.md): machine and method, a summary for edgepix wasm, the issue-5 targets,
// one table per job, the Worker path and the sizes.
import { workerSection } from './worker-hit.mjs';

const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const times = (x) => `${x.toFixed(2)}×`;
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
const kb = (bytes) => (bytes / 1000).toFixed(1);
const mark = (met) => (met === null ? '➖ not judged' : met ? '✅ met' : '❌ not met');

/** The wasm library other than edgepix with the lowest median in this job, if any ran. */
export function fastestWasmPeer(job, jobResults) {
  return job.libraries
    .filter((l) => l.kind === 'wasm' && l.id !== 'edgepix-wasm' && jobResults.get(l.id)?.median)
    .sort((a, b) => jobResults.get(a.id).median - jobResults.get(b.id).median)[0];
}

function jobTable(job, jobResults, nodeBaseline) {
  const peer = fastestWasmPeer(job, jobResults);
  const peerMedian = peer && jobResults.get(peer.id).median;
  const sharpMedian = jobResults.get('sharp')?.median;
  const lines = [
    `### ${job.title}`,
    '',
    `${job.runs} timed run(s) per library. Fastest wasm peer: ${peer ? `${peer.name} (${ms(peerMedian)} ms)` : 'none ran'}.`,
    '',
    '| library | median ms | min–max ms | × fastest wasm peer | × sharp | output bytes | SSIM | PSNR dB | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const library of job.libraries) {
    const r = jobResults.get(library.id);
    const name = library.id === 'edgepix-wasm' ? `**${library.name}**` : library.name;
    if (!r || r.cannot) {
      lines.push(`| ${name} | — | — | — | — | — | — | — | not run: ${r?.cannot ?? 'not loaded'} |`);
      continue;
    }
    const quality = r.mismatch ? `size differs: ${r.mismatch}` : r.ssim !== undefined ? r.ssim.toFixed(4) : '—';
    const psnr = r.psnr !== undefined ? r.psnr.toFixed(2) : '—';
    const memory = r.peakRssBytes ? mib(r.peakRssBytes) + (r.wasmMemoryBytes ? ` (wasm ${mib(r.wasmMemoryBytes)})` : '') : r.memoryError ?? '—';
    lines.push(`| ${name} | ${ms(r.median)} | ${ms(r.min)}–${ms(r.max)} | ${peerMedian ? times(r.median / peerMedian) : '—'} | ` +
      `${sharpMedian ? times(r.median / sharpMedian) : '—'} | ${r.bytes} | ${quality} | ${psnr} | ${memory} |`);
  }
  if (nodeBaseline) lines.push('', `Peak RSS includes Node itself: ${mib(nodeBaseline)} MiB for a process that loads nothing.`);
  return lines;
}

function summary(jobs, results) {
  const lines = [
    '| job | edgepix wasm ms | × sharp | × edgepix native | × fastest wasm peer | SSIM | bytes |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const job of jobs) {
    const jobResults = results.get(job.id);
    const ours = jobResults.get('edgepix-wasm');
    if (!ours?.median) {
      lines.push(`| ${job.title} | ${ours?.cannot ?? 'not run'} | | | | | |`);
      continue;
    }
    const over = (id) => (jobResults.get(id)?.median ? times(ours.median / jobResults.get(id).median) : '—');
    const peer = fastestWasmPeer(job, jobResults);
    lines.push(`| ${job.title} | ${ms(ours.median)} | ${over('sharp')} | ${over('edgepix-native')} | ` +
      `${peer ? `${over(peer.id)} (${peer.name})` : '—'} | ${ours.ssim?.toFixed(4) ?? '—'} | ${ours.bytes} |`);
  }
  return lines;
}

function sizeSection(sizes) {
  const lines = ['## Size', ''];
  if (sizes.worker) {
    const { files, total, wranglerSays } = sizes.worker;
    lines.push('The whole Worker as `wrangler deploy --dry-run --outdir <tmp>` bundles it, each uploaded file gzipped (-9)' +
      ` (kB = 1000 bytes; wrangler itself says "${wranglerSays}"):`, '',
      '| file | bytes | gzipped |', '|---|---:|---:|',
      ...files.map((f) => `| ${f.file} | ${f.bytes} | ${f.gzip} |`),
      `| **Worker total** | **${total.bytes}** (${kb(total.bytes)} kB) | **${total.gzip}** (${kb(total.gzip)} kB) |`, '');
  }
  if (sizes.workerError) lines.push(`Worker size: could not be measured (${sizes.workerError}).`, '');
  if (sizes.module) {
    const { module, libraries, matchesShipped, steps } = sizes.module;
    lines.push(`The wasm module (${module.bytes} bytes, ${module.gzip} gzipped; code section ${module.code}, data section ` +
      `${module.data}) by linked library. Attribution: wasm-ld's link map (\`--Map\`) names each function's and data ` +
      `chunk's archive member; the module is re-linked and put through the build's steps (${steps.join(' → ')}) with ` +
      `names kept (\`-g\`); ${matchesShipped ? 'its code section is byte-for-byte the size of the shipped one' :
        '**its code section differs from the shipped module\'s (stale build, or quick mode without wasm-opt): an approximation**'}. ` +
      'Code as linked: wasm-ld\'s output, before any wasm-opt. Code as shipped: after the build\'s optimisation, where ' +
      'code inlined across libraries counts for the caller (which is why edgepix core grows and libpng shrinks). ' +
      'Data: the linked data chunks. Gzip share: each library\'s shipped code and data gzipped alone, scaled so the ' +
      'shares add up to the module\'s gzip size.', '',
      '| library | code as linked | code as shipped | data bytes | share of gzipped module | % |',
      '|---|---:|---:|---:|---:|---:|',
      ...libraries.map((l) => `| ${l.name} | ${l.linkedCode} | ${l.code} | ${l.data} | ${l.gzipShare} | ` +
        `${((100 * l.gzipShare) / module.gzip).toFixed(1)} |`), '');
  }
  if (sizes.moduleError) lines.push(`Module breakdown: could not be made (${sizes.moduleError}).`, '');
  return lines;
}

export function markdown({ machine, loadStart, loadEnd, loadDuring, jobs, results, targets, sizes, nodeBaseline,
  chartFile, module, worker }) {
  return [
    '# edgepix benchmark',
    '',
    `Written by \`npm run bench\` (\`bench/run.mjs\`) on ${machine.date}.`,
    '',
    `**Machine:** ${machine.cpu}, ${machine.cores} cores (shared with other work), ${machine.memoryGiB} GiB, Linux ` +
      `${machine.kernel}, Node ${machine.node}. **Load average** (1 / 5 / 15 min) at the start: ${loadStart}; at the ` +
      `end: ${loadEnd}; the 1-min figure after each timed round: ${loadDuring}.`,
    '',
    `**Module:** \`wasm/edgepix.wasm\`, sha256 ${module.start.slice(0, 12)}…` + (module.start === module.end ? '.' :
      ` — **it was rebuilt during the run** (now ${module.end.slice(0, 12)}…): the timings are of the first, the sizes of the second.`),
    '',
    `**Method.** One process: every library is loaded once, each job is warmed up per library until a run is ` +
      'within 5% of the one before (at most 5 runs: V8 moves hot WebAssembly to its optimising tier over the first ' +
      'few calls), then the timed runs (as many as each job\'s section says) go in rounds (each library once per ' +
      'round, the order rotating, a full GC before each run) so load from other work falls on all of them. A run is ' +
      'one call from the input file\'s bytes in memory to the encoded output bytes (decode, resize, encode). edgepix native is timed inside its CLI (`edgepix time <in> <options> 1`: a warm-up ' +
      'run, then the timed one). sharp runs with `sharp.concurrency(1)` and its cache off; wasm-vips with its default ' +
      'worker threads (as many as cores) and its operation cache off. Qualities are the same for all (see each job); ' +
      'encoder effort and everything else are each library\'s defaults. "× fastest wasm peer": median over the median of the fastest wasm ' +
      'library other than edgepix. **SSIM / PSNR**: against sharp\'s Lanczos3 resize of the same input to the same size ' +
      '(`fastShrinkOnLoad: false`, kept as raw pixels, never encoded; libvips still decodes a JPEG at half size when ' +
      'that leaves the kernel 2× or more, so for 4000 → 1000 px it is 1/2 DCT scaling then Lanczos3, the very pixels ' +
      'of sharp\'s default resize); both decoded with sharp, composited over white, compared on ' +
      'luma (Rec. 601) with an 11×11 Gaussian window. sharp and wasm-vips resample exactly as the reference does (both ' +
      'are libvips), so theirs measure the encoder\'s loss alone and are a little favoured. **Peak RSS**: VmHWM from `/proc/self/status` of a fresh Node ' +
      'process that loads one library and runs the job once (for edgepix native: the CLI\'s own `ru_maxrss`, the ' +
      'same counter); "wasm" is edgepix\'s wasm linear memory after the job.',
    '',
    `![median time per job and library](${chartFile})`,
    '',
    '## edgepix wasm at a glance',
    '',
    ...summary(jobs, results),
    '',
    '## Issue 5 targets',
    '',
    '| target | status | measured |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${mark(t.met)} | ${t.detail} |`),
    '',
    '## Per job',
    '',
    ...jobs.flatMap((job) => [...jobTable(job, results.get(job.id), nodeBaseline), '']),
    ...workerSection(worker),
    ...sizeSection(sizes),
  ].join('\n');
}
