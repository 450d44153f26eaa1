// Private images behind signed URLs (Cloudflare Images' scheme), verified by the Worker with the keys of the
// SIGNING_KEYS secret — including a key rotation across restarts of the same Worker state.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { signUrl } from '../../wasm/node.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { TEST_ADMIN_TOKEN, adminCall, drawnJpeg, fetchBytes, fetchJson, startWorker } from './harness.mjs';

// Test-only keys, passed to wrangler dev as --var.
const OLD_KEY = 'test-only-signing-key-old';
const NEW_KEY = 'test-only-signing-key-new';
const SIGNED_IMAGE_CACHE_CONTROL = 'private, max-age=60';
const PHOTO = drawnJpeg(400, 300);
const now = () => Math.floor(Date.now() / 1000);

describe('signed URLs', () => {
  let worker;
  const varsWithKeys = (keys) => ({
    ADMIN_TOKEN: TEST_ADMIN_TOKEN, SIGNING_KEYS: keys, FLEXIBLE_VARIANTS: 'true', SIGNED_IMAGE_CACHE_CONTROL,
  });
  const get = (urlPath, headers = {}) => fetchBytes(worker.baseUrl, urlPath, { headers });
  const getJson = (urlPath) => fetchJson(worker.baseUrl, urlPath);

  before(async () => {
    worker = await startWorker({ seed: false, vars: varsWithKeys(OLD_KEY) }); // uploads through the admin API
    const admin = (method, urlPath, body) => adminCall(worker.baseUrl, method, urlPath, body);
    for (const [id, requireSignedURLs] of [['secret-a', true], ['secret-b', true], ['open', false]]) {
      const uploaded = await admin('PUT', `/admin/images/${id}?requireSignedURLs=${requireSignedURLs}`, PHOTO);
      assert.equal(uploaded.status, 201, id);
    }
    assert.equal((await admin('PUT', '/admin/variants/thumb', { options: 'width=80,format=jpeg' })).status, 201);
    assert.equal((await admin('PUT', '/admin/variants/preview',
      { options: 'width=40,format=jpeg', neverRequireSignedURLs: true })).status, 201);
  });
  after(() => worker?.stop());

  async function expectDelivered(urlPath, width) {
    const { status, headers, bytes } = await get(urlPath);
    assert.equal(status, 200, `${urlPath}: ${new TextDecoder().decode(bytes.subarray(0, 200))}`);
    assert.equal(headers.get('Content-Type'), 'image/jpeg');
    assert.equal(decodeIndependently(bytes, 'jpeg').width, width);
    return headers;
  }

  async function expectRefused(urlPath, status, code) {
    const answer = await getJson(urlPath);
    assert.equal(answer.status, status, `${urlPath}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.error.code, code, urlPath);
    assert.equal(answer.headers.get('Cache-Control'), 'no-store');
    return answer.body.error;
  }

  test('a URL signed with signUrl is served, privately cached', async () => {
    const headers = await expectDelivered(await signUrl('/images/secret-a/thumb', OLD_KEY), 80);
    assert.equal(headers.get('Cache-Control'), SIGNED_IMAGE_CACHE_CONTROL);
    const absolute = `${worker.baseUrl}/images/secret-a/thumb`;
    await expectDelivered(await signUrl(absolute, OLD_KEY, { expiresAt: now() + 600 }), 80);
    await expectDelivered(await signUrl('/images/secret-a/width=64,format=jpeg', OLD_KEY), 64);
  });

  test('the signature is Cloudflare\'s: hex HMAC-SHA256 of path and query, as Node computes it', async () => {
    const signed = `/images/secret-a/thumb?exp=${now() + 600}`;
    const sig = createHmac('sha256', OLD_KEY).update(signed).digest('hex');
    await expectDelivered(`${signed}&sig=${sig}`, 80);
    assert.equal(await signUrl(signed, OLD_KEY), `${signed}&sig=${sig}`);
  });

  test('without a signature a private image is 403; public images and exempt variants need none', async () => {
    await expectRefused('/images/secret-a/thumb', 403, 'signature_missing');
    await expectRefused('/images/secret-a/width=64,format=jpeg', 403, 'signature_missing');
    await expectDelivered('/images/secret-a/preview', 40); // neverRequireSignedURLs
    const open = await expectDelivered('/images/open/thumb', 80);
    assert.equal(open.get('Cache-Control'), 'public, max-age=3600'); // wrangler.toml's IMAGE_CACHE_CONTROL
  });

  test('one byte of the path changed, an expired exp, a moved exp or another key: 403', async () => {
    const sigOf = (signedUrl) => new URL(signedUrl, 'http://x').searchParams.get('sig');
    const forA = sigOf(await signUrl('/images/secret-a/thumb', OLD_KEY));
    await expectRefused(`/images/secret-b/thumb?sig=${forA}`, 403, 'signature_invalid');
    const forWidth80 = sigOf(await signUrl('/images/secret-a/width=80', OLD_KEY));
    await expectRefused(`/images/secret-a/width=81?sig=${forWidth80}`, 403, 'signature_invalid');

    const expired = await signUrl('/images/secret-a/thumb', OLD_KEY, { expiresAt: now() - 60 });
    const error = await expectRefused(expired, 403, 'signature_expired');
    assert.match(error.message, /expired/);
    const extended = expired.replace(/exp=\d+/, `exp=${now() + 3600}`);
    await expectRefused(extended, 403, 'signature_invalid');

    await expectRefused(await signUrl('/images/secret-a/thumb', 'some-other-key'), 403, 'signature_invalid');
  });

  test('a malformed sig or exp is 400', async () => {
    const valid = await signUrl('/images/secret-a/thumb', OLD_KEY, { expiresAt: now() + 600 });
    await expectRefused(valid.replace(/sig=[0-9a-f]+/, 'sig=not-hex'), 400, 'bad_signature');
    await expectRefused(valid.replace(/exp=\d+/, 'exp=soon'), 400, 'bad_signature');
  });

  test('the cache and conditional requests never bypass the signature', async () => {
    const signed = await signUrl('/images/secret-a/thumb', OLD_KEY);
    const first = await get(signed);
    assert.equal((await get(signed)).headers.get('X-Edgepix-Cache'), 'HIT');
    await expectRefused('/images/secret-a/thumb', 403, 'signature_missing');
    const revalidated = await fetchJson(worker.baseUrl, '/images/secret-a/thumb', {
      headers: { 'If-None-Match': first.headers.get('ETag') },
    });
    assert.equal(revalidated.status, 403);
    assert.equal((await get(signed, { 'If-None-Match': first.headers.get('ETag') })).status, 304);
  });

  test('key rotation: both keys verify while both are listed; the old one stops when removed', async () => {
    const byOld = await signUrl('/images/secret-b/thumb', OLD_KEY);
    const byNew = await signUrl('/images/secret-b/thumb', NEW_KEY);
    await expectDelivered(byOld, 80);
    await expectRefused(byNew, 403, 'signature_invalid');

    await worker.restart(varsWithKeys(`${NEW_KEY},${OLD_KEY}`));
    await expectDelivered(byOld, 80);
    await expectDelivered(byNew, 80);

    await worker.restart(varsWithKeys(NEW_KEY));
    await expectDelivered(byNew, 80);
    await expectRefused(byOld, 403, 'signature_invalid');
  });
});
