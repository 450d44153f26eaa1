// Direct creator uploads against the real Worker (wrangler dev, local KV, R2 and Durable Objects): the images API
// creates a one-time URL; a page on another origin posts the file to it with plain fetch and no credential, as a
// browser would; the image is then served through a variant. Ten posts racing for one URL store it once.
// Tests-only vars: an expiry 1 s ahead is allowed (an expired URL within seconds) and a claim lapses after 10 s
// without renewal (a Worker killed mid-upload).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listKvKeys, listObjectKeys } from '../../scripts/seed.mjs';
import { signUrl } from '../../wasm/node.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { fixture } from '../support/golden.mjs';
import { TEST_ADMIN_TOKEN, adminCall, fetchBytes, fetchJson, startWorker } from './harness.mjs';

const API_TOKEN = 'test-only-api-token';
const ACCOUNT_ID = '0123456789abcdef0123456789abcdef';
const CLAIM_LEASE_SECONDS = 10;
const SIGNING_KEY = 'test-only-signing-key';
const VARS = {
  ADMIN_TOKEN: TEST_ADMIN_TOKEN, API_TOKENS: `other-token,${API_TOKEN}`, ACCOUNT_ID, SIGNING_KEYS: SIGNING_KEY,
  DIRECT_UPLOAD_MIN_EXPIRY_SECONDS: 1, DIRECT_UPLOAD_CLAIM_LEASE_SECONDS: CLAIM_LEASE_SECONDS,
};
const PAGE_ORIGIN = 'https://app.example.com';
const PHOTO = { name: 'photo-1200.jpg', type: 'image/jpeg', width: 1200, height: 900 };
const ALPHA = { name: 'alpha.png', type: 'image/png', width: 400, height: 300 };
const NOT_AN_IMAGE = { name: 'not-an-image.txt', type: 'image/jpeg' };

describe('direct creator uploads', () => {
  let worker;
  before(async () => {
    worker = await startWorker({ vars: VARS, seed: false });
    const variant = await adminCall(worker.baseUrl, 'PUT', '/admin/variants/w300', { options: 'width=300,format=png' });
    assert.equal(variant.status, 201, JSON.stringify(variant.body));
  });
  after(() => worker?.stop());

  const createPath = (account = ACCOUNT_ID) => `/client/v4/accounts/${account}/images/v2/direct_upload`;
  /** POST v2/direct_upload with `fields` as Cloudflare's docs send them (a multipart form). */
  async function create(fields = {}, { token = API_TOKEN, account } = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return fetchJson(worker.baseUrl, createPath(account), {
      method: 'POST', body: form, headers: token ? { Authorization: `Bearer ${token}` } : {},
    });
  }
  async function createOk(fields) {
    const answer = await create(fields);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.success, true);
    return answer.body.result;
  }
  /** The upload URL as it answers on the current port (a restart moves the Worker to another). */
  const onWorker = (uploadURL) => new URL(new URL(uploadURL).pathname, worker.baseUrl);
  /** Posts `file` as a page on PAGE_ORIGIN would: a FormData, no credential. */
  function post(uploadURL, file = PHOTO, { field = 'file' } = {}) {
    const form = new FormData();
    form.append(field, new Blob([fixture(file.name)], { type: file.type }), file.name);
    return fetchJson(onWorker(uploadURL), '', { method: 'POST', body: form, headers: { Origin: PAGE_ORIGIN } });
  }
  /**
   * A post whose multipart body starts at once and ends only when `release` resolves (never, if it never does):
   * the Worker has claimed the URL while it waits for the rest. Resolves like post() when answered.
   */
  async function heldPost(uploadURL, release, { file = PHOTO, signal } = {}) {
    const boundary = 'edgepixHeldBodyBoundary';
    const encode = (text) => new TextEncoder().encode(text);
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n`
      + `Content-Type: ${file.type}\r\n\r\n`;
    const body = new ReadableStream({
      async start(controller) {
        controller.enqueue(encode(head));
        await release;
        controller.enqueue(new Uint8Array(fixture(file.name)));
        controller.enqueue(encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    return fetchJson(onWorker(uploadURL), '', {
      method: 'POST', body, duplex: 'half', signal,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, Origin: PAGE_ORIGIN },
    });
  }
  /** Each answer's status and error code, for messages. */
  const outcomes = (answers) =>
    JSON.stringify(answers.map(({ status, body }) => `${status} ${body.error?.code ?? 'stored'}`));
  function assertRefused(answer, status, codes) {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.ok([codes].flat().includes(answer.body.error.code), JSON.stringify(answer.body));
    assert.equal(answer.headers.get('Access-Control-Allow-Origin'), '*');
  }
  const deliveryPath = (id, variant = 'w300') => `/images/${encodeURIComponent(id)}/${variant}`;
  const deliver = (id, variant) => fetchBytes(worker.baseUrl, deliveryPath(id, variant));

  test('creating needs an API token of API_TOKENS on the configured account', async () => {
    assert.equal((await create({}, { token: null })).status, 401);
    assert.equal((await create({}, { token: `${API_TOKEN}x` })).status, 401);
    assert.equal((await create({}, { account: 'ffffffffffffffffffffffffffffffff' })).status, 404);
  });

  test('the answer is { id, uploadURL }: a random id, a URL on this Worker with an unguessable token', async () => {
    const first = await createOk();
    const second = await createOk();
    assert.match(first.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(first.id, second.id);
    const url = new URL(first.uploadURL);
    assert.equal(url.host, new URL(worker.baseUrl).host);
    assert.match(url.pathname, /^\/upload\/[A-Za-z0-9_-]{43}$/);
    assert.notEqual(first.uploadURL, second.uploadURL);
  });

  let unusedDraft;
  test('until its upload arrives the image is a draft: got with draft: true, never served', async () => {
    const created = Date.now();
    const { id } = await createOk({ metadata: JSON.stringify({ owner: 'ada' }), requireSignedURLs: 'false' });
    unusedDraft = { id, created };
    const record = await adminCall(worker.baseUrl, 'GET', `/admin/images/${id}`);
    assert.equal(record.status, 200);
    assert.equal(record.body.draft, true);
    assert.deepEqual(record.body.meta, { owner: 'ada' });
    assert.equal(record.body.source, undefined);
    const served = await deliver(id);
    assert.equal(served.status, 404);
    assert.equal(JSON.parse(new TextDecoder().decode(served.bytes)).error.code, 'not_found');
  });

  test('the CORS preflight allows a POST from any origin with the headers asked for', async () => {
    const { uploadURL } = await createOk();
    const preflight = await fetchBytes(onWorker(uploadURL), '', {
      method: 'OPTIONS',
      headers: { Origin: PAGE_ORIGIN, 'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-requested-with' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), '*');
    assert.equal(preflight.headers.get('Access-Control-Allow-Methods'), 'POST');
    assert.equal(preflight.headers.get('Access-Control-Allow-Headers'), 'content-type,x-requested-with');
    assert.equal(preflight.headers.get('Access-Control-Allow-Credentials'), null);
  });

  test('a browser-style post stores the image, which is then served through a variant', async (t) => {
    const metadata = { owner: 'ada', album: 'trips' };
    const { id, uploadURL } = await createOk({ id: 'direct-photo', metadata: JSON.stringify(metadata) });
    assert.equal(id, 'direct-photo');

    const started = performance.now();
    const answer = await post(uploadURL);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const postedMs = performance.now() - started;
    let served;
    do served = await deliver(id); while (served.status !== 200 && performance.now() - started < 10_000);
    const latencyMs = performance.now() - started;
    t.diagnostic(`upload-to-first-delivery on loopback: ${latencyMs.toFixed(0)} ms (the post of ${PHOTO.name}, `
      + `${fixture(PHOTO.name).length} bytes: ${postedMs.toFixed(0)} ms; then the first 200 of a 300 px PNG variant)`);

    assert.equal(answer.headers.get('Access-Control-Allow-Origin'), '*');
    assert.deepEqual(answer.body.errors, []);
    assert.equal(answer.body.success, true);
    const { result } = answer.body;
    assert.equal(result.id, id);
    assert.equal(result.filename, PHOTO.name);
    assert.deepEqual(result.meta, metadata);
    assert.equal(result.requireSignedURLs, false);
    assert.ok(Math.abs(Date.parse(result.uploaded) - Date.now()) < 60_000, result.uploaded);
    assert.deepEqual(result.variants, [new URL(`/images/${id}/w300`, new URL(uploadURL).origin).href]);

    assert.equal(served.status, 200);
    assert.equal(served.headers.get('Content-Type'), 'image/png');
    const decoded = decodeIndependently(served.bytes, 'png');
    assert.deepEqual([decoded.width, decoded.height], [300, 225]);

    const record = await adminCall(worker.baseUrl, 'GET', `/admin/images/${id}`);
    assert.equal(record.body.draft, undefined);
    assert.equal(record.body.source.kind, 'r2');
  });

  test('a URL takes one upload: a second post after success is 409 upload_url_used', async () => {
    const { id, uploadURL } = await createOk();
    assert.equal((await post(uploadURL, ALPHA)).status, 200);
    assertRefused(await post(uploadURL, PHOTO), 409, 'upload_url_used');
    const decoded = decodeIndependently((await deliver(id)).bytes, 'png');
    assert.deepEqual([decoded.width, decoded.height], [300, 225]); // still the first upload (400×300)
  });

  test('a refused upload acknowledges nothing: the URL stays open for a retry', async () => {
    const { id, uploadURL } = await createOk();
    assertRefused(await post(uploadURL, NOT_AN_IMAGE), 415, 'unsupported_format');
    assertRefused(await post(uploadURL, { name: 'truncated-photo-1200.jpg', type: 'image/jpeg' }), 422,
      'corrupt_image');
    assertRefused(await post(uploadURL, PHOTO, { field: 'image' }), 400, 'bad_request');
    assert.equal((await deliver(id)).status, 404);
    assert.equal((await post(uploadURL)).status, 200);
    assert.equal((await deliver(id)).status, 200);
  });

  test('an unknown upload URL is 404, an expired one 410; expiry outside 1 s … 6 h is 400', async () => {
    assertRefused(await post(`${worker.baseUrl}/upload/${'A'.repeat(43)}`), 404, 'not_found');
    const { id, uploadURL } = await createOk({ expiry: new Date(Date.now() + 1_500).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assertRefused(await post(uploadURL), 410, 'upload_url_expired');
    assert.equal((await deliver(id)).status, 404);

    for (const expiry of [new Date(Date.now() - 60_000).toISOString(),
      new Date(Date.now() + 6 * 3_600_000 + 60_000).toISOString(), 'tomorrow']) {
      const refused = await create({ expiry });
      assert.equal(refused.status, 400, `${expiry}: ${JSON.stringify(refused.body)}`);
    }
    assert.equal((await create({ expiry: new Date(Date.now() + 5 * 3_600_000).toISOString() })).status, 200);
  });

  test('fields: a taken id is 409 image_exists; metadata must be an object of at most 1024 bytes', async () => {
    await createOk({ id: 'taken-id' });
    const taken = await create({ id: 'taken-id' });
    assert.equal(taken.status, 409, JSON.stringify(taken.body));
    assert.equal((await create({ id: 'direct-photo' })).status, 409); // stored by an earlier test
    assert.equal((await create({ id: 'has/slash' })).status, 400);
    assert.equal((await create({ metadata: JSON.stringify({ note: 'x'.repeat(1020) }) })).status, 400);
    assert.equal((await create({ metadata: '[1,2]' })).status, 400);
    assert.equal((await create({ metadata: '{not json' })).status, 400);
    assert.equal((await create({ requireSignedURLs: 'yes' })).status, 400);
    assert.equal((await create({ metadata: JSON.stringify({ note: 'x'.repeat(1000) }) })).status, 200);
  });

  test('requireSignedURLs: the uploaded image needs a signed URL', async () => {
    const { id, uploadURL } = await createOk({ requireSignedURLs: 'true' });
    const answer = await post(uploadURL);
    assert.equal(answer.body.result.requireSignedURLs, true);
    const unsigned = await deliver(id);
    assert.equal(unsigned.status, 403);
    assert.equal(JSON.parse(new TextDecoder().decode(unsigned.bytes)).error.code, 'signature_missing');
    const signed = await fetchBytes(worker.baseUrl, await signUrl(deliveryPath(id), SIGNING_KEY));
    assert.equal(signed.status, 200);
  });

  const racedIds = [];
  test('the race: ten concurrent posts to one URL give exactly one 2xx and nine 409s', async (t) => {
    const { id, uploadURL } = await createOk();
    racedIds.push(id);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(uploadURL)));
    t.diagnostic(`the race: ${(performance.now() - started).toFixed(0)} ms for all ten; ${outcomes(answers)}`);
    const won = answers.filter(({ status }) => status >= 200 && status < 300);
    assert.equal(won.length, 1, outcomes(answers));
    for (const lost of answers.filter((answer) => !won.includes(answer))) {
      assertRefused(lost, 409, ['upload_in_progress', 'upload_url_used']);
    }
    assert.equal(won[0].body.result.id, id);
    assert.equal((await deliver(id)).status, 200);
  });

  test('the race with every post in flight at once: one 2xx, nine 409s', async (t) => {
    const { id, uploadURL } = await createOk();
    // All ten bodies are held while the requests reach the Worker, which claims (or refuses) at each request's
    // arrival, before reading its body; then the bodies arrive together. (fetch resolves only once its body is sent,
    // so the refusals cannot be awaited before the release: a second stands in.)
    let releaseBodies;
    const bodiesReleased = new Promise((resolve) => { releaseBodies = resolve; });
    const answers = Array.from({ length: 10 }, () => heldPost(uploadURL, bodiesReleased));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    releaseBodies();
    const settled = await Promise.all(answers);
    const won = settled.filter(({ status }) => status === 200);
    assert.equal(won.length, 1, outcomes(settled));
    t.diagnostic(`the held race: ${outcomes(settled)}`);
    for (const lost of settled.filter((answer) => answer !== won[0])) {
      assertRefused(lost, 409, ['upload_in_progress', 'upload_url_used']);
    }
    racedIds.push(id);
  });

  let survivorId;
  test('a claim whose Worker died lapses after its lease: the URL is open again', async () => {
    const { id, uploadURL } = await createOk();
    survivorId = id;
    const stalled = new AbortController();
    heldPost(uploadURL, new Promise(() => {}), { signal: stalled.signal }).catch(() => {});
    // Until the held post has claimed the URL, a probe claims it itself: a file that is no image, so the probe is
    // refused (415) and gives the URL back.
    let probe;
    for (let tries = 0; tries < 50; tries += 1) {
      probe = await post(uploadURL, NOT_AN_IMAGE);
      if (probe.status !== 415) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assertRefused(probe, 409, 'upload_in_progress');

    const killed = Date.now();
    // workerd crashes mid-upload, so no code of the held post runs again (a SIGTERM would let it see its body fail
    // and release the claim); the slot's storage survives.
    await worker.restart(VARS, { kill: true });
    stalled.abort();
    if (Date.now() - killed < (CLAIM_LEASE_SECONDS - 2) * 1000) {
      assertRefused(await post(uploadURL), 409, 'upload_in_progress');
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, killed + CLAIM_LEASE_SECONDS * 1000 - Date.now())));
    const retried = await post(uploadURL);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal((await deliver(id)).status, 200);
  });

  test('R2 holds exactly one object for each of those images; only an unused draft\'s record expires', async () => {
    await worker.halt();
    const persistTo = worker.stateDir;
    assert.equal(racedIds.length, 2, 'the races ran');
    for (const id of [...racedIds, survivorId]) {
      assert.ok(id, 'the earlier test created it');
      const keys = await listObjectKeys(`admin/images/${id}/`, { persistTo });
      assert.equal(keys.length, 1, JSON.stringify(keys));
    }
    const records = new Map((await listKvKeys('META', 'image:', { persistTo })).map((key) => [key.name, key]));
    // Default expiry (30 min) plus one claim lease, so an upload claimed at the last moment still finds its draft.
    const expected = unusedDraft.created / 1000 + 30 * 60 + CLAIM_LEASE_SECONDS;
    const { expiration } = records.get(`image:${unusedDraft.id}`);
    assert.ok(Math.abs(expiration - expected) < 5, `${expiration} vs ${expected}`);
    for (const id of [...racedIds, survivorId, 'direct-photo']) {
      assert.equal(records.get(`image:${id}`).expiration, undefined, id);
    }
  });
});
