// The hostile corpus (scripts/hostile-corpus.mjs) through the real Worker: every case gets its exact status and
// error code, in the Worker's JSON or the Images API's envelope; nothing answers 500 or hangs; nothing refused is
// stored; and after each group a transform that misses the cache is still served and decodes.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { imageCases, keyCases, optionCases, signatureCases, uploadBodyCases } from '../../scripts/hostile-corpus.mjs';
import { signUrl } from '../../wasm/node.js';
import { cloudflareCode } from '../../worker/api-envelope.js';
import { MAX_VARIANT_OPTIONS_LENGTH, imageObjectKey } from '../../worker/meta.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { fixture } from '../support/golden.mjs';
import { TEST_ADMIN_TOKEN, drawnJpeg, fetchBytes, startWorker } from './harness.mjs';

const ACCOUNT_ID = 'hostile00000000000000000000000ac';
const API_TOKEN = 'test-only-api-token';
const SIGNING_KEY = 'test-only-signing-key';
const API = `/client/v4/accounts/${ACCOUNT_ID}/images`;
// Over the largest image of the corpus (4 MiB of metadata), and small enough that the oversized bodies stay quick.
const MAX_UPLOAD_BYTES = 5_000_000;
// Every request gets this long; a case that takes longer is a hang. Bombs must be refused well within it.
const REQUEST_TIMEOUT_MS = 30_000;
const CONCURRENCY = 4;
const PHOTO = drawnJpeg(96, 64);

const IMAGES = imageCases(fixture);
const objectKey = ({ group, name }) => `hostile/${group}/${name}`;

describe('hostile corpus', () => {
  let worker;
  before(async () => {
    worker = await startWorker({
      objects: IMAGES.map((entry) => ({ key: objectKey(entry), bytes: entry.bytes, contentType: entry.contentType })),
      vars: {
        ACCOUNT_ID, API_TOKENS: API_TOKEN, ADMIN_TOKEN: TEST_ADMIN_TOKEN, SIGNING_KEYS: SIGNING_KEY,
        MAX_UPLOAD_BYTES, TRANSFORM_MISS_LIMIT: 0, // the corpus is hundreds of misses from one address
      },
    });
  });
  after(() => worker?.stop());

  /** Fetches with a deadline; a timeout is answered as status "hang" so it is reported with the other cases. */
  async function send(path, init = {}) {
    try {
      const { status, headers, bytes } = await fetchBytes(worker.baseUrl, path,
        { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      return { status, headers, bytes };
    } catch (err) {
      if (err.name === 'TimeoutError') return { status: 'hang', headers: new Headers(), bytes: new Uint8Array(0) };
      throw err;
    }
  }
  /**
   * A request sent exactly as written, with node:http: fetch would resolve the path's dot segments and
   * backslashes, insist that Content-Length matches the body, and fail outright when the Worker answers before the
   * body is all sent (as it should, to a body over the limit). `body`: bytes, or an (answered) => ReadableStream
   * (answered: a promise of the answer).
   */
  function sendRaw(path, { method = 'GET', headers = {}, body } = {}) {
    const { hostname, port } = new URL(worker.baseUrl);
    let settle;
    const answered = new Promise((resolve) => { settle = resolve; });
    // A connection of its own (agent: false): one the Worker closed under an oversized body is never reused.
    const request = http.request({ hostname, port, path, method, headers, agent: false, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => answer(response.statusCode, response.headers, Buffer.concat(chunks)));
      });
    const answer = (status, responseHeaders = {}, bytes = new Uint8Array(0)) => {
      settle({ status, headers: new Headers(responseHeaders), bytes: new Uint8Array(bytes) });
    };
    request.on('timeout', () => {
      request.destroy();
      answer('hang');
    });
    request.on('error', (err) => answer(`connection ${err.code ?? err.message}`)); // ignored once answered
    if (typeof body !== 'function') request.end(body);
    else streamInto(request, body(answered)).catch(() => {});
    return answered;
  }
  async function streamInto(request, stream) {
    const drained = () => new Promise((resume) => {
      const done = () => {
        request.off('drain', done).off('close', done);
        resume();
      };
      request.on('drain', done).on('close', done);
    });
    for await (const chunk of stream) {
      if (request.destroyed) return;
      if (!request.write(chunk)) await drained();
    }
    request.end();
  }
  const api = (method, path, init = {}) => send(`${API}${path}`,
    { method, ...init, headers: { Authorization: `Bearer ${API_TOKEN}`, ...init.headers } });

  /**
   * What an answer was, as "status code": the Worker's JSON error code, the envelope's numeric one, or "ok"
   * for a 2xx. A body that is not the JSON it should be shows as such.
   */
  function outcome({ status, headers, bytes }, { envelope = false } = {}) {
    if (typeof status === 'string') return status; // a hang, a reset connection
    if (status >= 200 && status < 300) return `${status} ok`;
    if (!/^application\/json/.test(headers.get('Content-Type') ?? '')) return `${status} (not JSON)`;
    const body = JSON.parse(new TextDecoder().decode(bytes));
    return `${status} ${envelope ? body.errors?.[0]?.code : body.error?.code}`;
  }
  /** The outcome an expectation names; [status, null] is an answer from the server in front, not the Worker. */
  const expected = ([status, code], { envelope = false } = {}) => {
    if (status < 300) return `${status} ok`;
    if (code === null) return `${status} (not JSON)`;
    return `${status} ${envelope ? cloudflareCode(code, status) : code}`;
  };

  /** Runs `ask(case)` for every case, CONCURRENCY at a time; returns the cases whose outcome was not expected. */
  async function mismatches(cases, ask, { envelope = false, check } = {}) {
    const wrong = [];
    let next = 0;
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const entry = cases[next++];
        const answer = await ask(entry);
        const got = outcome(answer, { envelope });
        const want = expected(entry.expect, { envelope });
        const fromFront = entry.frontAnswer && got === expected(entry.frontAnswer);
        let problem = got === want || fromFront ? null : `got ${got}, want ${want}`;
        if (problem === null && check && answer.status === 200) {
          try {
            check(entry, answer);
          } catch (err) {
            problem = `served, but ${err.message}`;
          }
        }
        if (problem) wrong.push(`${entry.group}/${entry.label ?? entry.name}: ${problem}`);
      }
    });
    await Promise.all(workers);
    return wrong.sort();
  }

  // A transform no earlier request asked for (a cache miss: decoded and encoded now), checked by libpng.
  let goodWidth = 40;
  async function assertStillServing() {
    const width = goodWidth++;
    const answer = await send(`/cdn-cgi/image/width=${width},format=png/photos/fossa.jpg`);
    assert.equal(answer.status, 200, `the next good request: ${outcome(answer)}`);
    assert.equal(answer.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.equal(decodeIndependently(answer.bytes, 'png').width, width);
  }

  const DEFAULT_OPTIONS = 'width=64,format=png';
  /** A 200 is an image of the format asked for, at most 64 px wide, as Debian's decoder reads it. */
  const servedAndDecodes = (entry, { bytes }) => {
    const format = /format=(\w+)/.exec(entry.options ?? DEFAULT_OPTIONS)[1];
    const { width } = decodeIndependently(bytes, format);
    assert.ok(width >= 1 && width <= 64, `a ${width} px wide ${format}`);
  };
  const deliver = (entry) => send(`/cdn-cgi/image/${entry.options ?? DEFAULT_OPTIONS}/${objectKey(entry)}`);

  for (const group of [...new Set(IMAGES.map(({ group }) => group))]) {
    const cases = IMAGES.filter((entry) => entry.group === group);
    test(`delivery: ${group} (${cases.length} images from R2)`, async () => {
      assert.deepEqual(await mismatches(cases, deliver, { check: servedAndDecodes }), []);
      await assertStillServing();
    });
  }

  test('delivery: metadata=keep carries what each output can hold of the hostile blocks, or leaves it out', async () => {
    const cases = IMAGES.filter(({ group }) => group === 'metadata').flatMap((entry) => ['png', 'webp'].map((format) =>
      ({ ...entry, label: `${entry.name} (keep, ${format})`, options: `width=64,format=${format},metadata=keep` })));
    assert.deepEqual(await mismatches(cases, deliver, { check: servedAndDecodes }), []);
    await assertStillServing();
  });

  let accepted = 0;
  test(`Images API uploads: the whole image corpus (${IMAGES.length} files) through the gate`, async () => {
    const uploads = IMAGES.map((entry) => ({ ...entry, expect: entry.uploadExpect ?? entry.expect }));
    const wrong = await mismatches(uploads, (entry) => {
      const form = new FormData();
      form.append('file', new Blob([entry.bytes], { type: entry.contentType }), entry.name);
      return api('POST', '/v1', { body: form });
    }, { envelope: true });
    assert.deepEqual(wrong, []);
    accepted = uploads.filter(({ expect }) => expect[0] === 200).length;
    const listed = await api('GET', '/v1/stats');
    assert.equal(JSON.parse(new TextDecoder().decode(listed.bytes)).result.count.current, accepted,
      'every refused upload left nothing behind');
    await assertStillServing();
  });

  test('option strings: 100 KB, duplicates, conflicts and malformed values, in URLs and in variants', async () => {
    const inUrl = optionCases().map((entry) => {
      const path = `/cdn-cgi/image/${encodeURIComponent(entry.options).replace(/%2C/g, ',').replace(/%3D/g, '=')}`
        + '/photos/fossa.jpg';
      // The server in front may refuse a request line over 64 KiB before the Worker runs (workerd here answers
      // 431, with no JSON of ours, to some such requests; Cloudflare's edge 414 past 16 KB): that answer, or ours.
      return { ...entry, path, ...(path.length > 65_536 ? { frontAnswer: [431, null] } : {}) };
    });
    // A repeated option was served with its last value: the last width, the last format.
    const lastValue = (options, names) => options.split(',').filter((item) => names.includes(item.split('=')[0]))
      .map((item) => item.split('=')[1]).pop();
    const check = ({ options }, answer) => {
      const type = answer.headers.get('Content-Type');
      const format = lastValue(options, ['format', 'f']);
      if (format) assert.equal(type, `image/${format}`);
      const width = lastValue(options, ['width', 'w']);
      if (width) assert.equal(decodeIndependently(answer.bytes, type.replace('image/', '')).width, Number(width));
    };
    const wrong = await mismatches(inUrl, ({ path }) => sendRaw(path), { check });
    // The same strings as named variants, where a body carries them whatever their length.
    const asVariants = optionCases().map((entry, i) => ({ ...entry, label: `${entry.name} (variant)`, variant: `v${i}`,
      // A variant that is created answers 201.
      expect: entry.options.length > MAX_VARIANT_OPTIONS_LENGTH ? [400, 'bad_request']
        : entry.expect[0] === 200 ? [201, null] : entry.expect }));
    wrong.push(...await mismatches(asVariants, ({ variant, options }) =>
      send(`/admin/variants/${variant}`, { method: 'PUT', body: JSON.stringify({ options }),
        headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' } })));
    assert.deepEqual(wrong, []);
    await assertStillServing();
  });

  async function uploadPrivate(id) {
    const form = new FormData();
    form.append('file', new Blob([PHOTO], { type: 'image/jpeg' }), `${id}.jpg`);
    form.append('id', id);
    form.append('requireSignedURLs', 'true');
    const uploaded = await api('POST', '/v1', { body: form });
    assert.equal(uploaded.status, 200, outcome(uploaded, { envelope: true }));
    accepted += 1;
    return id;
  }

  let privateId;
  test('keys: dot segments, slashes, NUL and broken percent-encoding never reach what they should not', async () => {
    privateId = await uploadPrivate('hostile-private');
    const cases = keyCases({ privateId, imageObjectPrefix: imageObjectKey('') });
    const wrong = await mismatches(cases, ({ path }) => sendRaw(path));
    assert.deepEqual(wrong, []);
    await assertStillServing();
  });

  test('signatures: expired, malformed, replayed, moved to other paths', async () => {
    assert.ok(privateId, 'the keys test uploads the private image');
    for (const [id, width] of [['thumb', 48], ['other', 32]]) {
      const variant = await api('POST', '/v1/variants', {
        body: JSON.stringify({ id, options: { width } }), headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(variant.status, 200, outcome(variant, { envelope: true }));
    }
    // The other path names an image that exists and is private too: only the signature can refuse it.
    const otherId = await uploadPrivate('hostile-private-other');
    const cases = await signatureCases({
      path: `/images/${privateId}/thumb`, otherPath: `/images/${otherId}/thumb`,
      sign: (path, { expiresAt }) => signUrl(path, SIGNING_KEY, { expiresAt }), now: Math.floor(Date.now() / 1000),
    });
    // One after another: "replayed" must follow "valid".
    const wrong = [];
    for (const entry of cases) wrong.push(...await mismatches([entry], ({ path }) => sendRaw(path)));
    assert.deepEqual(wrong, []);
    await assertStillServing();
  });

  const uploadCases = uploadBodyCases({ image: PHOTO, maxBytes: MAX_UPLOAD_BYTES });
  // wrangler dev's proxy sits between the tests and workerd. After an upload refused part-way through its body,
  // the next request may find a connection closed under it: the proxy answers 503 "Your worker restarted
  // mid-request" (it retries only GET and HEAD), or the client's own connection is reset. Neither comes from the
  // Worker, so such a post is sent once more, and counted.
  let proxyRetries = 0;
  const isProxyArtefact = ({ status, bytes }) => String(status).startsWith('connection ')
    || (status === 503 && new TextDecoder().decode(bytes).startsWith('Your worker restarted mid-request'));
  async function postBody(path, { contentType, body }, headers = {}) {
    const post = () => sendRaw(path, {
      method: 'POST', body,
      headers: { 'Content-Type': contentType, ...headers,
        // A stream goes chunked, with no length for the Worker to refuse before reading.
        ...(typeof body === 'function' ? {} : { 'Content-Length': String(body.length) }) },
    });
    const first = await post();
    if (!isProxyArtefact(first)) return first;
    proxyRetries += 1;
    return post();
  }

  test(`Images API upload: ${uploadCases.length} oversized and malformed multipart bodies`, async () => {
    const wrong = await mismatches(uploadCases, (entry) => postBody(`${API}/v1`, entry,
      { Authorization: `Bearer ${API_TOKEN}` }), { envelope: true });
    assert.deepEqual(wrong, []);
    const listed = await api('GET', '/v1/stats');
    assert.equal(JSON.parse(new TextDecoder().decode(listed.bytes)).result.count.current, accepted);
    await assertStillServing();
  });

  test('direct upload: the same bodies on one upload URL, which stays usable after each', async (t) => {
    const form = new FormData();
    form.append('id', 'hostile-direct');
    const created = await api('POST', '/v2/direct_upload', { body: form });
    assert.equal(created.status, 200, outcome(created, { envelope: true }));
    const uploadPath = new URL(JSON.parse(new TextDecoder().decode(created.bytes)).result.uploadURL).pathname;
    // One at a time: concurrent posts to one URL are refused while another holds it (direct-upload.test.mjs).
    const wrong = [];
    for (const entry of uploadCases) wrong.push(...await mismatches([entry], () => postBody(uploadPath, entry)));
    assert.deepEqual(wrong, []);
    t.diagnostic(`posts sent again after a dev-proxy artefact, in both upload tests: ${proxyRetries}`);
    const good = new FormData();
    good.append('file', new Blob([PHOTO], { type: 'image/jpeg' }), 'good.jpg');
    const stored = await send(uploadPath, { method: 'POST', body: good });
    assert.equal(stored.status, 200, outcome(stored));
    const served = await send('/images/hostile-direct/thumb');
    assert.equal(served.status, 200, outcome(served));
    await assertStillServing();
  });
});
