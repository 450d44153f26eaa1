// The targets of issue 5, judged from one run's numbers. Each answers { target, met, detail }; met is null when the
// run has nothing to judge it by.
const ratio = (a, b) => a / b;
const fmt = (x) => `${x.toFixed(2)}×`;
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

const SSIM_TOLERANCE = 0.001; // "equal" SSIM: within a thousandth
const BYTES_TOLERANCE = 1.1; // output at most 10% larger than the peer's

function beatsWasmPeers(job, row) {
  const ours = row('edgepix-wasm');
  if (!ours?.median) return { met: null, detail: `${job.title}: edgepix wasm did not run (${ours?.cannot})` };
  const peers = job.libraries.filter((l) => l.kind === 'wasm' && l.id !== 'edgepix-wasm' && row(l.id)?.median);
  const losses = peers.flatMap((peer) => {
    const theirs = row(peer.id);
    const why = [];
    if (ours.median >= theirs.median) why.push(`slower (${fmt(ratio(ours.median, theirs.median))})`);
    if (ours.ssim !== undefined && theirs.ssim !== undefined && ours.ssim < theirs.ssim - SSIM_TOLERANCE) {
      why.push(`lower SSIM (${ours.ssim.toFixed(4)} vs ${theirs.ssim.toFixed(4)})`);
    }
    if (ours.bytes > theirs.bytes * BYTES_TOLERANCE) why.push(`${fmt(ratio(ours.bytes, theirs.bytes))} the bytes`);
    return why.length ? [`${peer.name}: ${why.join(', ')}`] : [];
  });
  return { met: losses.length === 0, detail: `${job.title}: ${losses.length ? losses.join('; ') : `ahead of all ${peers.length} wasm peers that ran it`}` };
}

export function judgeTargets(jobs, results, sizes) {
  const find = (id) => jobs.find((j) => j.id === id);
  const rowOf = (job) => (libraryId) => results.get(job.id)?.get(libraryId);
  const targets = [];

  const perJob = jobs.map((job) => beatsWasmPeers(job, rowOf(job)));
  const judged = perJob.filter((j) => j.met !== null);
  targets.push({
    target: 'Every job: faster than every wasm peer that can run it, SSIM equal (±0.001) or better, bytes ≤ 1.10× theirs',
    met: judged.length === 0 ? null : judged.length === perJob.length && judged.every((j) => j.met),
    detail: perJob.map((j) => j.detail).join('<br>'),
  });

  const versus = (jobId, other, limit, label) => {
    const job = find(jobId);
    const row = job && rowOf(job);
    const ours = row?.('edgepix-wasm');
    const theirs = row?.(other);
    if (!ours?.median || !theirs?.median) {
      return { target: label, met: null, detail: job ? `not measured (${ours?.cannot ?? theirs?.cannot})` : 'job not in this run' };
    }
    const r = ratio(ours.median, theirs.median);
    return { target: label, met: r <= limit, detail: `${fmt(r)} (${ours.median.toFixed(0)} vs ${theirs.median.toFixed(0)} ms)` };
  };
  targets.push(versus('webp-12mp', 'sharp', 1.2, '12 MP → 1000 px WebP, wasm ≤ 1.2× sharp (1 thread)'));
  targets.push(versus('webp-12mp', 'edgepix-native', 1.3, '12 MP → 1000 px WebP, wasm ≤ 1.3× our native build'));
  targets.push(versus('jpeg-12mp', 'sharp', 1.3, '12 MP → 1000 px JPEG, wasm ≤ 1.3× sharp (1 thread)'));

  const avif = find('avif-12mp') && rowOf(find('avif-12mp'));
  const avifTarget = versus('avif-12mp', 'sharp', 0.7, 'AVIF ≤ 0.7× sharp, at equal SSIM and bytes within ±10%');
  if (avifTarget.met !== null) {
    const ours = avif('edgepix-wasm');
    const sharp = avif('sharp');
    const bytesOk = Math.abs(ours.bytes / sharp.bytes - 1) <= 0.1;
    const ssimOk = ours.ssim >= sharp.ssim - SSIM_TOLERANCE;
    avifTarget.met = avifTarget.met && bytesOk && ssimOk;
    avifTarget.detail += `; bytes ${fmt(ours.bytes / sharp.bytes)} sharp's, SSIM ${ours.ssim.toFixed(4)} vs ${sharp.ssim.toFixed(4)}`;
  }
  targets.push(avifTarget);

  const wasmMemory = (jobId) => find(jobId) && rowOf(find(jobId))('edgepix-wasm')?.wasmMemoryBytes;
  const twelve = ['webp-12mp', 'jpeg-12mp', 'avif-12mp'].map(wasmMemory).filter(Boolean);
  targets.push(twelve.length
    ? { target: 'Peak wasm memory of one 12 MP job ≤ 48 MB', met: Math.max(...twelve) <= 48 * 2 ** 20,
      detail: `largest: ${mb(Math.max(...twelve))} (wasm linear memory after the job, in a fresh process)` }
    : { target: 'Peak wasm memory of one 12 MP job ≤ 48 MB', met: null, detail: 'not measured' });
  const big = wasmMemory('jpeg-108mp');
  targets.push(big
    ? { target: '108 MP JPEG → 1000 px under 128 MB', met: big < 128 * 2 ** 20, detail: `${mb(big)} of wasm memory` }
    : { target: '108 MP JPEG → 1000 px under 128 MB', met: null, detail: 'not measured' });

  if (sizes?.worker) {
    const gzip = sizes.worker.total.gzip;
    const hasAvif = results.get('avif-12mp')?.get('edgepix-wasm')?.median !== undefined;
    targets.push({ target: 'Whole Worker, AVIF included, ≤ 1.5 MB gzipped', met: hasAvif ? gzip <= 1.5e6 : null,
      detail: `${(gzip / 1e6).toFixed(3)} MB gzipped${hasAvif ? '' : ' — without AVIF (issue 4), so not yet judged'}` });
  }
  return targets;
}
