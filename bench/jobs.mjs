// The jobs every library runs: one input, one output size, format and quality each. Qualities are stated for every
// library alike (80/85 are edgepix's option values; AVIF uses 50, sharp's and jSquash's own default); encoder effort
// and everything else stay at each library's own defaults, as a user would get them.
// `runs`: timed rounds. The short jobs (a round of every library takes a few seconds) get 15: on a shared machine
// a 7-run median of a 0.15 s job moved by up to a fifth between two runs of the bench (edgepix native's WebP:
// 182, then 143 ms), more than the margins the targets judge. The AVIF and 108 MP jobs (14-20 s a round) keep 7.
export const jobs = [
  { id: 'webp-12mp', title: '12 MP JPEG → 1000 px WebP q80', input: 'photo-12mp.jpg', width: 1000, format: 'webp', quality: 80, runs: 15 },
  { id: 'jpeg-12mp', title: '12 MP JPEG → 1000 px JPEG q85', input: 'photo-12mp.jpg', width: 1000, format: 'jpeg', quality: 85, runs: 15 },
  { id: 'avif-12mp', title: '12 MP JPEG → 1000 px AVIF q50', input: 'photo-12mp.jpg', width: 1000, format: 'avif', quality: 50, runs: 7 },
  { id: 'webp-alpha', title: '2 MP PNG cut-out (photo with alpha) → 400 px WebP q85', input: 'cutout-2mp.png', width: 400, format: 'webp', quality: 85, runs: 15 },
  { id: 'jpeg-108mp', title: '108 MP JPEG → 1000 px JPEG q85', input: 'photo-108mp.jpg', width: 1000, format: 'jpeg', quality: 85, runs: 7 },
];

// `--quick` (npm test): one small job, so every library's adapter, the quality check and the report still run.
export const quickJobs = [
  { id: 'jpeg-1200', title: '1 MP JPEG → 400 px JPEG q85', input: 'photo-1200.jpg', width: 400, format: 'jpeg', quality: 85, runs: 1 },
];

/** The job in edgepix's option syntax (the URL options of /cdn-cgi/image/). */
export const edgepixOptions = (job) => `width=${job.width},format=${job.format},quality=${job.quality}`;
