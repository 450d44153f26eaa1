// A bounded load test on loopback: autocannon drives a running Worker (`wrangler dev`, tests/worker/harness.mjs)
// with five classes of traffic at once — transform cache hits, misses, bad inputs, Images API uploads and direct
// creator uploads — each its own autocannon instance, so each has its own latency histogram and status counts.
// It records what the checks need (every acknowledged upload and the bytes it carried, every bad input's answer);
// Afterwards it checks what it was told: every acknowledged upload listed and byte-identical, a sample of the
// transforms decoded. tests/worker/load.test.mjs asserts on all of it, and `npm run load` prints the figures.
//
//   node bench/load.mjs [--seconds N]      starts its own Worker, prints a table and a JSON line
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { decodeIndependently } from '../tests/support/decoders.mjs';
import { drawnJpeg, fetchBytes, fetchJson, startWorker } from '../tests/worker/harness.mjs';

export const ACCOUNT_ID = 'load0000000000000000000000000acc';
export const API_TOKEN = 'test-only-load-api-token';
const API = `/client/v4/accounts/${ACCOUNT_ID}/images`;
const SOURCE = { key: 'load/source.jpg', width: 1200, height: 900 };

// The rate limiter budgets transform misses per client IP; the load comes from one address, so the budget is
// raised past anything a run can spend: what is measured is the Worker, not 429s (which are still counted apart).
export const LOAD_VARS = {
  ACCOUNT_ID, API_TOKENS: API_TOKEN, TRANSFORM_MISS_LIMIT: 1_000_000, TRANSFORM_MISS_PERIOD_SECONDS: 60,
};

const truncated = (bytes) => bytes.subarray(0, bytes.length >> 1);
/** The R2 objects the load reads: one photo to transform, and the broken ones the bad inputs name. */
export function loadObjects() {
  const photo = drawnJpeg(SOURCE.width, SOURCE.height, 'darkolivegreen');
  return [
    { key: SOURCE.key, bytes: photo, contentType: 'image/jpeg' },
    { key: 'load/truncated.jpg', bytes: truncated(photo), contentType: 'image/jpeg' },
    { key: 'load/not-an-image.txt', bytes: new TextEncoder().encode('plain text\n'), contentType: 'text/plain' },
  ];
}

/** Bad inputs and the exact answer each must get: [path, status, error code]. */
export const BAD_INPUTS = [
  [`/cdn-cgi/image/width=banana/${SOURCE.key}`, 400, 'bad_option'],
  [`/cdn-cgi/image/frobnicate=1/${SOURCE.key}`, 400, 'bad_option'],
  ['/cdn-cgi/image/width=100', 400, 'bad_request'],
  ['/cdn-cgi/image/width=100/load/no-such-object.jpg', 404, 'not_found'],
  ['/cdn-cgi/image/width=100/load/not-an-image.txt', 415, 'unsupported_format'],
  ['/cdn-cgi/image/width=100/load/truncated.jpg', 422, 'corrupt_image'],
];

export const HIT_URL = `/cdn-cgi/image/width=320,format=webp/${SOURCE.key}`;
// Distinct option strings, so every one is a miss: widths walk up from 64, alternating two output formats.
const MISS_FORMATS = ['jpeg', 'webp'];
export const missUrl = (n) => `/cdn-cgi/image/width=${64 + n},format=${MISS_FORMATS[n % 2]}/${SOURCE.key}`;
/** What a miss URL must decode to: the width asked for, the source's aspect ratio, the format asked for. */
export function expectedMiss(n) {
  const width = 64 + n;
  // The scale first, then the height, as the core computes it (900 × 82/1200 rounds to 61, not 62).
  return { width, height: Math.round(SOURCE.height * (width / SOURCE.width)), format: MISS_FORMATS[n % 2] };
}

const BOUNDARY = '----edgepix-load-boundary';
function multipart(fields, file) {
  const parts = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      'Content-Type: image/jpeg\r\n\r\n'), Buffer.from(file.bytes), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const parse = (body) => {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
};

/** Distinct small JPEGs to upload, so a stored original that is someone else's bytes cannot pass as right. */
function uploadFiles(count) {
  const colours = ['steelblue', 'tomato', 'goldenrod', 'seagreen', 'orchid', 'slategray', 'peru', 'teal'];
  return Array.from({ length: count }, (_, i) => {
    const bytes = drawnJpeg(160 + 8 * i, 120 + 4 * i, colours[i % colours.length]);
    return { name: `load-${i}.jpg`, bytes, sha256: sha256(bytes) };
  });
}

// One autocannon instance per class. Each stops at its time bound or its request bound, whichever comes first.
function classes({ seconds, files, record }) {
  let misses = 0;
  const acknowledge = (via) => (status, body, context) => {
    const answer = parse(body);
    if (status >= 200 && status < 300 && answer?.result?.id) {
      record.uploads.push({ id: answer.result.id, via, sha256: context.file.sha256, bytes: context.file.bytes.length });
    } else if (status < 500) record.uploadRefusals.push({ via, status, errors: answer?.errors });
  };
  const nextFile = (context) => {
    context.file = files[(record.filesSent++) % files.length];
    return context.file;
  };
  return {
    hit: {
      connections: 4,
      maxOverallRequests: 400 * seconds,
      requests: [{
        path: HIT_URL,
        onResponse: (status, body, context, headers) => {
          // autocannon keeps header names as the server spelled them.
          const name = Object.keys(headers).find((key) => key.toLowerCase() === 'x-edgepix-cache');
          const cache = name ? headers[name] : 'none';
          record.hitCache[cache] = (record.hitCache[cache] ?? 0) + 1;
        },
      }],
    },
    miss: {
      connections: 2,
      maxOverallRequests: 40 * seconds,
      requests: [{
        setupRequest: (request) => {
          const n = misses++;
          record.missNumbers.push(n);
          return { ...request, path: missUrl(n) };
        },
      }],
    },
    bad: {
      connections: 2,
      maxOverallRequests: 200 * seconds,
      requests: BAD_INPUTS.map(([path, status, code]) => ({
        path,
        onResponse: (actual, body) => {
          const answer = parse(body);
          if (actual !== status || answer?.error?.code !== code) {
            const got = [actual, answer?.error?.code ?? body.slice(0, 80)];
            record.badMismatches.push({ path, expected: [status, code], got });
          }
        },
      })),
    },
    upload: {
      connections: 2,
      maxOverallRequests: 20 * seconds,
      requests: [{
        method: 'POST',
        path: `${API}/v1`,
        headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': MULTIPART },
        setupRequest: (request, context) => ({ ...request, body: multipart({}, nextFile(context)) }),
        onResponse: acknowledge('v1'),
      }],
    },
    direct: {
      connections: 1,
      maxOverallRequests: 20 * seconds,
      // Create a one-time URL with the API token, then post the file to it as a browser would (no token).
      requests: [{
        method: 'POST',
        path: `${API}/v2/direct_upload`,
        headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': MULTIPART },
        body: multipart({ requireSignedURLs: 'false' }),
        onResponse: (status, body, context) => {
          const uploadURL = parse(body)?.result?.uploadURL;
          context.uploadPath = uploadURL ? new URL(uploadURL).pathname : null;
          if (!uploadURL) record.uploadRefusals.push({ via: 'direct_upload create', status, body: body.slice(0, 200) });
        },
      }, {
        method: 'POST',
        headers: { 'Content-Type': MULTIPART },
        setupRequest: (request, context) => (context.uploadPath
          ? { ...request, path: context.uploadPath, body: multipart({}, nextFile(context)) } : null),
        onResponse: acknowledge('direct'),
      }],
    },
  };
}

function summarise(name, result) {
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => [code, Number(count)]));
  return {
    class: name,
    requests: result.requests.total,
    throughput: Number(result.requests.average.toFixed(1)), // requests per second, averaged over the run
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: Number(result.duration.toFixed(1)),
  };
}

/**
 * Runs the five classes at once against `worker` (from startWorker with LOAD_VARS and loadObjects()) for at most
 * `seconds`. Resolves to { seconds, classes: [summary per class], total, uploads: [{ id, via, sha256, bytes }],
 * uploadRefusals, badMismatches, missNumbers (the n of each missUrl(n) sent), hitCache (the hit class's
 * X-Edgepix-Cache counts) }.
 */
export async function runLoad(worker, { seconds = 20 } = {}) {
  const record = { uploads: [], uploadRefusals: [], badMismatches: [], missNumbers: [], hitCache: {}, filesSent: 0 };
  const files = uploadFiles(8);
  // The hit class measures hits: its URL is transformed and cached before the clock starts.
  const warm = await fetch(new URL(HIT_URL, worker.baseUrl));
  await warm.arrayBuffer();
  if (warm.status !== 200) throw new Error(`warming ${HIT_URL}: ${warm.status}`);

  const started = Date.now();
  const runs = Object.entries(classes({ seconds, files, record })).map(async ([name, options]) => {
    const result = await autocannon({ url: worker.baseUrl, duration: seconds, timeout: 30, ...options });
    return summarise(name, result);
  });
  const summaries = await Promise.all(runs);
  const elapsed = (Date.now() - started) / 1000;
  const total = summaries.reduce((sum, s) => sum + s.requests, 0);
  const statuses = {};
  for (const s of summaries) {
    for (const [code, count] of Object.entries(s.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  }
  return {
    seconds: Number(elapsed.toFixed(1)),
    classes: summaries,
    total: { requests: total, throughput: Number((total / elapsed).toFixed(1)), statuses },
    uploads: record.uploads,
    uploadRefusals: record.uploadRefusals,
    badMismatches: record.badMismatches,
    missNumbers: record.missNumbers,
    hitCache: record.hitCache,
  };
}

const AUTH = { headers: { Authorization: `Bearer ${API_TOKEN}` } };

/**
 * Reads back every acknowledged upload through the Images API: is it listed (v2), and is its blob the bytes that
 * were sent? Resolves to { acknowledged, missing: [ids not listed], differing: [ids whose bytes differ] }.
 */
export async function verifyUploads(worker, uploads) {
  const listed = await fetchJson(worker.baseUrl, `${API}/v2?per_page=10000`, AUTH);
  if (listed.status !== 200) throw new Error(`listing images: ${listed.status} ${JSON.stringify(listed.body)}`);
  const ids = new Set(listed.body.result.images.map((image) => image.id));
  const differing = [];
  for (const upload of uploads.filter((u) => ids.has(u.id))) {
    const { status, bytes } = await fetchBytes(worker.baseUrl, `${API}/v1/${upload.id}/blob`, AUTH);
    if (status !== 200 || sha256(bytes) !== upload.sha256) differing.push(upload.id);
  }
  return { acknowledged: uploads.length, missing: uploads.filter((u) => !ids.has(u.id)).map((u) => u.id), differing };
}

const FORMAT_OF_TYPE = { 'image/jpeg': 'jpeg', 'image/webp': 'webp', 'image/png': 'png', 'image/avif': 'avif' };

/**
 * Decodes, with Debian's decoders rather than ours, the hit URL and up to `sampleSize` of the misses spread over
 * the run (cached now: the bytes the miss produced), and compares size and format with what was asked for.
 * Resolves to { checked, wrong: [{ url, expected, got }] }.
 */
export async function checkTransforms(worker, missNumbers, { sampleSize = 60 } = {}) {
  const step = Math.ceil(missNumbers.length / sampleSize);
  const cases = [
    [HIT_URL, { width: 320, height: 240, format: 'webp' }],
    ...missNumbers.filter((n, i) => i % step === 0).map((n) => [missUrl(n), expectedMiss(n)]),
  ];
  const wrong = [];
  for (const [url, expected] of cases) {
    const { status, headers, bytes } = await fetchBytes(worker.baseUrl, url);
    const format = FORMAT_OF_TYPE[headers.get('Content-Type')];
    let got = { status, format };
    if (status === 200 && format) {
      try {
        const { width, height } = decodeIndependently(bytes, format);
        got = { width, height, format };
      } catch (err) {
        got = { status, format, undecodable: err.message.split('\n')[0] };
      }
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ url, expected, got });
  }
  return { checked: cases.length, wrong };
}

function printTable(report) {
  const countVia = (via) => report.uploads.filter((u) => u.via === via).length;
  const rows = report.classes.map((s) => [s.class, s.requests, s.throughput, s.p50, s.p99, s.max,
    Object.entries(s.statuses).map(([code, count]) => `${code}×${count}`).join(' '), s.errors, s.timeouts]);
  rows.push(['all', report.total.requests, report.total.throughput, '', '', '',
    Object.entries(report.total.statuses).map(([code, count]) => `${code}×${count}`).join(' '),
    report.classes.reduce((n, s) => n + s.errors, 0), report.classes.reduce((n, s) => n + s.timeouts, 0)]);
  const header = ['class', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'statuses', 'errors', 'timeouts'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
  console.log(`\n${report.seconds} s; uploads acknowledged: ${report.uploads.length} ` +
    `(v1 ${countVia('v1')}, direct ${countVia('direct')}); ` +
    `bad inputs answered otherwise than expected: ${report.badMismatches.length}; ` +
    `hit class X-Edgepix-Cache: ${JSON.stringify(report.hitCache)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const secondsIndex = process.argv.indexOf('--seconds');
  const seconds = secondsIndex > 0 ? Number(process.argv[secondsIndex + 1]) : 20;
  const worker = await startWorker({ objects: loadObjects(), vars: LOAD_VARS });
  try {
    const report = await runLoad(worker, { seconds });
    printTable(report);
    const uploads = await verifyUploads(worker, report.uploads);
    const transforms = await checkTransforms(worker, report.missNumbers);
    console.log(`uploads: ${uploads.acknowledged} acknowledged, ${uploads.missing.length} not listed, ` +
      `${uploads.differing.length} with other bytes; transforms decoded: ${transforms.checked}, ` +
      `${transforms.wrong.length} wrong`);
    const { missNumbers, uploads: acknowledged, ...figures } = report;
    console.log(JSON.stringify({
      ...figures, uploads: acknowledged.length, misses: missNumbers.length, verified: uploads, transforms,
    }));
  } finally {
    await worker.stop();
  }
}
