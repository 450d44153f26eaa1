// The Images API with plain fetch: Cloudflare's envelope on every refusal (its numeric codes where it documents
// them), uploads from allow-listed URLs, paging with continuation tokens, and the route table's own answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixture } from '../support/golden.mjs';
import { drawnJpeg, fetchBytes, fetchJson, startWorker } from './harness.mjs';
import { startUrlOrigin } from './url-origin.mjs';

const ACCOUNT_ID = 'test0000000000000000000000000acc';
const API_TOKEN = 'test-only-api-token';
const API = `/client/v4/accounts/${ACCOUNT_ID}/images`;
const PHOTO = drawnJpeg(64, 48);
const TEXT = new Uint8Array(fixture('not-an-image.txt')); // read before the Worker starts (it may run a script)

describe('Images API: envelope, refusals, URL uploads, paging', () => {
  let worker;
  let allowed;
  let elsewhere;
  before(async () => {
    allowed = await startUrlOrigin({ '/cat.jpg': { bytes: PHOTO, headers: { 'Content-Type': 'image/jpeg' } } });
    elsewhere = await startUrlOrigin({ '/cat.jpg': { bytes: PHOTO, headers: { 'Content-Type': 'image/jpeg' } } });
    worker = await startWorker({
      seed: false,
      vars: { ACCOUNT_ID, API_TOKENS: API_TOKEN, ALLOWED_ORIGINS: allowed.origin, ALLOW_LOOPBACK_HTTP_ORIGINS: 'true' },
    });
  });
  after(async () => {
    await worker?.stop();
    await allowed?.stop();
    await elsewhere?.stop();
  });

  const call = (method, path, { token = API_TOKEN, form, json } = {}) => fetchJson(worker.baseUrl, path, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: form ?? (json !== undefined ? JSON.stringify(json) : undefined),
  });
  const uploadForm = (fields, file = PHOTO, filename = 'photo.jpg') => {
    const form = new FormData();
    if (file) form.append('file', new Blob([file], { type: 'image/jpeg' }), filename);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return form;
  };

  function assertFailure({ status, headers, body }, expectedStatus, code) {
    assert.equal(status, expectedStatus, JSON.stringify(body));
    assert.match(headers.get('Content-Type'), /^application\/json/);
    assert.equal(headers.get('Cache-Control'), 'no-store');
    assert.equal(body.success, false);
    assert.equal(body.result, null);
    assert.deepEqual(body.messages, []);
    assert.equal(body.errors.length, 1);
    assert.equal(body.errors[0].code, code);
    assert.equal(typeof body.errors[0].message, 'string');
  }

  test('no token, a wrong token or another scheme: 401 with code 10000', async () => {
    for (const token of [null, 'wrong', `${API_TOKEN}x`, API_TOKEN.slice(0, -1)]) {
      const answer = await call('GET', `${API}/v1`, { token });
      assertFailure(answer, 401, 10000);
      assert.match(answer.headers.get('WWW-Authenticate'), /^Bearer/);
    }
    const basic = await fetchJson(worker.baseUrl, `${API}/v1/stats`,
      { headers: { Authorization: `Basic ${btoa(`x:${API_TOKEN}`)}` } });
    assertFailure(basic, 401, 10000);
  });

  test('another account\'s path: 404 with code 7003, even with a good token', async () => {
    assertFailure(await call('GET', '/client/v4/accounts/someone-else/images/v1'), 404, 7003);
    assertFailure(await call('POST', '/client/v4/accounts/someone-else/images/v1', { form: uploadForm({}) }),
      404, 7003);
  });

  test('an unknown image: 404 with code 5404, for get, edit, delete and blob', async () => {
    assertFailure(await call('GET', `${API}/v1/no-such-image`), 404, 5404);
    assertFailure(await call('PATCH', `${API}/v1/no-such-image`, { json: { requireSignedURLs: true } }), 404, 5404);
    assertFailure(await call('DELETE', `${API}/v1/no-such-image`), 404, 5404);
    assertFailure(await call('GET', `${API}/v1/no-such-image/blob`), 404, 5404);
    assertFailure(await call('GET', `${API}/v1/variants/no-such-variant`), 404, 5404);
    assertFailure(await call('DELETE', `${API}/v1/keys/no-such-key`), 404, 5404);
  });

  test('metadata over 1024 bytes is 400 (5400) and stores nothing; 1024 exactly is accepted', async () => {
    const over = JSON.stringify({ note: 'x'.repeat(1025 - '{"note":""}'.length) });
    assert.equal(new TextEncoder().encode(over).length, 1025);
    const refused = await call('POST', `${API}/v1`, { form: uploadForm({ id: 'too-much', metadata: over }) });
    assertFailure(refused, 400, 5400);
    assert.match(refused.body.errors[0].message, /1024/);
    assertFailure(await call('GET', `${API}/v1/too-much`), 404, 5404);

    const exact = JSON.stringify({ note: 'x'.repeat(1024 - '{"note":""}'.length) });
    const accepted = await call('POST', `${API}/v1`, { form: uploadForm({ id: 'just-fits', metadata: exact }) });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.deepEqual(accepted.body.result.meta, JSON.parse(exact));
    const edited = await call('PATCH', `${API}/v1/just-fits`, { json: { metadata: JSON.parse(over) } });
    assertFailure(edited, 400, 5400);
    assert.deepEqual((await call('GET', `${API}/v1/just-fits`)).body.result.meta, JSON.parse(exact));
    assert.equal((await call('DELETE', `${API}/v1/just-fits`)).status, 200);
  });

  test('malformed uploads: both or neither of file and url, bad settings, not an image (5455)', async () => {
    const both = uploadForm({ url: `${allowed.origin}/cat.jpg` });
    assertFailure(await call('POST', `${API}/v1`, { form: both }), 400, 5400);
    assertFailure(await call('POST', `${API}/v1`, { form: uploadForm({ id: 'x' }, null) }), 400, 5400);
    assertFailure(await call('POST', `${API}/v1`, { form: uploadForm({ requireSignedURLs: 'maybe' }) }), 400, 5400);
    assertFailure(await call('POST', `${API}/v1`, { form: uploadForm({ id: 'bad id' }) }), 400, 5400);
    assertFailure(await call('POST', `${API}/v1`, { form: uploadForm({ metadata: '{not json' }) }), 400, 5400);
    const text = uploadForm({ id: 'text' }, TEXT, 'text.jpg');
    assertFailure(await call('POST', `${API}/v1`, { form: text }), 415, 5455);
    assertFailure(await call('GET', `${API}/v1/text`), 404, 5404);
  });

  test('url uploads: fetched from an allow-listed origin only', async () => {
    const form = new FormData();
    form.append('url', `${allowed.origin}/cat.jpg`);
    form.append('id', 'from-url');
    const fetched = await call('POST', `${API}/v1`, { form });
    assert.equal(fetched.status, 200, JSON.stringify(fetched.body));
    assert.equal(fetched.body.result.id, 'from-url');
    assert.equal(fetched.body.result.filename, 'cat.jpg');
    const blob = await fetchBytes(worker.baseUrl, `${API}/v1/from-url/blob`,
      { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    assert.equal(blob.status, 200);
    assert.deepEqual(blob.bytes, PHOTO);

    const refusedForm = new FormData();
    refusedForm.append('url', `${elsewhere.origin}/cat.jpg`);
    assertFailure(await call('POST', `${API}/v1`, { form: refusedForm }), 403, 5403);
    assert.deepEqual(elsewhere.requests, []); // never fetched
    assert.equal((await call('DELETE', `${API}/v1/from-url`)).status, 200);
  });

  test('v2 pages with continuation_token; v1 pages by number; page sizes outside 10..10000 are 400', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `paged-${String(i).padStart(2, '0')}`);
    for (const id of ids) {
      const answer = await call('POST', `${API}/v1`, { form: uploadForm({ id }) });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct upload times
    }
    const first = await call('GET', `${API}/v2?per_page=10&sort_order=asc`);
    assert.equal(first.body.success, true);
    assert.deepEqual(first.body.result.images.map((image) => image.id), ids.slice(0, 10));
    assert.equal(typeof first.body.result.continuation_token, 'string');
    const token = encodeURIComponent(first.body.result.continuation_token);
    const rest = await call('GET', `${API}/v2?per_page=10&sort_order=asc&continuation_token=${token}`);
    assert.deepEqual(rest.body.result.images.map((image) => image.id), ids.slice(10));
    assert.equal(rest.body.result.continuation_token, null);

    const page2 = await call('GET', `${API}/v1?page=2&per_page=10`);
    assert.deepEqual(page2.body.result.images.map((image) => image.id), ids.slice(0, 2).reverse());
    assert.deepEqual(page2.body.result_info, { page: 2, per_page: 10, count: 2 });

    // Past KV's 1000 keys a list call: one page still holds them all.
    const large = await call('GET', `${API}/v2?per_page=5000`);
    assert.deepEqual(large.body.result.images.map((image) => image.id), [...ids].reverse());
    assert.equal(large.body.result.continuation_token, null);
    assertFailure(await call('GET', `${API}/v2?per_page=5`), 400, 5400);
    assertFailure(await call('GET', `${API}/v1?page=0`), 400, 5400);
    assertFailure(await call('GET', `${API}/v2?sort_order=sideways`), 400, 5400);
    assert.equal((await call('GET', `${API}/v1/stats`)).body.result.count.current, 12);
  });

  test('variants: options the core refuses are 400 (5400); unknown fields too', async () => {
    const badFit = { id: 'bad', options: { fit: 'stretchy', width: 10 } };
    assertFailure(await call('POST', `${API}/v1/variants`, { json: badFit }), 400, 5400);
    const unknown = { id: 'bad', options: { width: 10, blur: 3 } };
    assertFailure(await call('POST', `${API}/v1/variants`, { json: unknown }), 400, 5400);
    assertFailure(await call('GET', `${API}/v1/variants/bad`), 404, 5404);
    const made = await call('POST', `${API}/v1/variants`, { json: { id: 'ok', options: { width: 10 } } });
    const expected = { id: 'ok', options: { width: 10 }, neverRequireSignedURLs: false };
    assert.deepEqual(made.body.result, { variant: expected });
    const edited = await call('PATCH', `${API}/v1/variants/ok`, { json: { neverRequireSignedURLs: true } });
    assert.deepEqual(edited.body.result.variant, { id: 'ok', options: { width: 10 }, neverRequireSignedURLs: true });
    assert.deepEqual((await call('DELETE', `${API}/v1/variants/ok`)).body.result, {});
  });

  test('the route table answers in the envelope too: 404 for unknown paths, 405 with Allow', async () => {
    assertFailure(await call('GET', '/client/v4/accounts'), 404, 5404);
    assertFailure(await call('GET', `${API}/v3`), 404, 5404);
    const wrongMethod = await call('PUT', `${API}/v1/stats`);
    assertFailure(wrongMethod, 405, 5405);
    assert.equal(wrongMethod.headers.get('Allow'), 'GET, OPTIONS');
  });
});
