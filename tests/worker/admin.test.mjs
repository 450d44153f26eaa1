// /admin/…: bearer-token auth, variants CRUD (validated by the core, at most 100), images (upload, register,
// patch, delete) and purge input checks, against real local KV and R2.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeIndependently } from '../support/decoders.mjs';
import { TEST_ADMIN_TOKEN, adminCall, drawnJpeg, fetchBytes, fetchJson, startWorker } from './harness.mjs';

const PHOTO = drawnJpeg(320, 240);

describe('admin API', () => {
  let worker;
  // FLEXIBLE_VARIANTS stays at wrangler.toml's default (off).
  before(async () => {
    worker = await startWorker({ vars: { ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  });
  after(() => worker?.stop());
  const admin = (method, urlPath, body, options) => adminCall(worker.baseUrl, method, urlPath, body, options);

  function assertError({ status, headers, body }, expectedStatus, code) {
    assert.equal(status, expectedStatus, JSON.stringify(body));
    assert.match(headers.get('Content-Type'), /^application\/json/);
    assert.equal(body.error.code, code);
  }

  test('no token, a wrong token or another scheme is 401 JSON with WWW-Authenticate', async () => {
    for (const [token, headers] of [
      [null, {}],
      ['not-the-token', {}],
      [`${TEST_ADMIN_TOKEN}x`, {}],
      [TEST_ADMIN_TOKEN.slice(0, -1), {}],
      [null, { Authorization: `Basic ${btoa(`admin:${TEST_ADMIN_TOKEN}`)}` }],
    ]) {
      for (const [method, urlPath, body] of [
        ['GET', '/admin/variants'],
        ['PUT', '/admin/variants/x', { options: 'width=1' }],
        ['POST', '/admin/purge', { images: ['a'] }],
        ['DELETE', '/admin/images/a'],
      ]) {
        const answer = await admin(method, urlPath, body, { token, headers });
        assertError(answer, 401, 'unauthorized');
        assert.match(answer.headers.get('WWW-Authenticate'), /^Bearer/);
        assert.equal(answer.headers.get('Cache-Control'), 'no-store');
      }
    }
  });

  test('variants: create, read, list, update, delete', async () => {
    const created = await admin('PUT', '/admin/variants/card', { options: 'width=300,height=200,fit=cover' });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body,
      { name: 'card', options: 'width=300,height=200,fit=cover', neverRequireSignedURLs: false });
    assert.equal(created.headers.get('Cache-Control'), 'no-store');

    const read = await admin('GET', '/admin/variants/card');
    assert.deepEqual(read.body, created.body);

    const updated = await admin('PUT', '/admin/variants/card', { options: 'width=310', neverRequireSignedURLs: true });
    assert.equal(updated.status, 200);
    assert.deepEqual((await admin('GET', '/admin/variants')).body.variants.find((v) => v.name === 'card'),
      { name: 'card', options: 'width=310', neverRequireSignedURLs: true });

    assert.equal((await admin('DELETE', '/admin/variants/card')).status, 200);
    assertError(await admin('GET', '/admin/variants/card'), 404, 'not_found');
    assertError(await admin('DELETE', '/admin/variants/card'), 404, 'not_found');
  });

  test('variants: invalid options are the core\'s 400, invalid names and bodies 400', async () => {
    const badOption = await admin('PUT', '/admin/variants/bad', { options: 'width=banana' });
    assertError(badOption, 400, 'bad_option');
    assert.match(badOption.body.error.message, /width/);
    assertError(await admin('PUT', '/admin/variants/bad', { options: 'frobnicate=1' }), 400, 'bad_option');
    assertError(await admin('PUT', '/admin/variants/bad', { options: '' }), 400, 'bad_request');
    assertError(await admin('PUT', '/admin/variants/bad', { options: 'width=10', colour: 'red' }), 400, 'bad_request');
    const notBoolean = { options: 'width=10', neverRequireSignedURLs: 'yes' };
    assertError(await admin('PUT', '/admin/variants/bad', notBoolean), 400, 'bad_request');
    assertError(await admin('PUT', '/admin/variants/has.dot', { options: 'width=10' }), 400, 'bad_request');
    const notJson = await fetchJson(worker.baseUrl, '/admin/variants/bad', {
      method: 'PUT', headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: 'width=10',
    });
    assertError(notJson, 400, 'bad_request');
    assertError(await admin('GET', '/admin/variants/bad'), 404, 'not_found'); // nothing was stored
  });

  test('images: upload bytes with settings in the query, read, patch, delete', async () => {
    const uploaded = await admin('PUT', '/admin/images/sunset?requireSignedURLs=true&tags=holiday,beach', PHOTO);
    assert.equal(uploaded.status, 201);
    // The same record as the Images API's (one upload path, worker/image-writes.js): a fresh R2 key per upload.
    const { source, uploaded: uploadedAt, features, moderation, ...settings } = uploaded.body;
    assert.equal(source.kind, 'r2');
    // The same gate too: the features measured and the (default) policy's verdict are stored with the record.
    assert.deepEqual([features.width, features.height, features.format], [320, 240, 'jpeg']);
    assert.equal(moderation.verdict, 'allow');
    assert.match(source.key, /^admin\/images\/sunset\/[^/]+$/);
    assert.ok(Math.abs(Date.parse(uploadedAt) - Date.now()) < 60_000, uploadedAt);
    assert.deepEqual(settings, {
      id: 'sunset', requireSignedURLs: true, tags: ['holiday', 'beach'], version: 1, filename: 'sunset', meta: {},
    });
    assert.deepEqual((await admin('GET', '/admin/images/sunset')).body, uploaded.body);

    const patched = await admin('PATCH', '/admin/images/sunset', { requireSignedURLs: false, tags: ['beach'] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body, { ...uploaded.body, requireSignedURLs: false, tags: ['beach'] });
    // Tag memberships follow: purging "holiday" no longer reaches it, "beach" does.
    assert.deepEqual((await admin('POST', '/admin/purge', { tags: ['holiday'] })).body, { purged: [], missing: [] });
    const beach = await admin('POST', '/admin/purge', { tags: ['beach'] });
    assert.deepEqual(beach.body, { purged: ['sunset'], missing: [] });
    assert.equal((await admin('GET', '/admin/images/sunset')).body.version, 2);

    // Public now: delivered without a signature (flexible variants are off here, so through a named variant).
    assert.equal((await admin('PUT', '/admin/variants/small', { options: 'width=64,format=png' })).status, 201);
    const delivered = await fetchBytes(worker.baseUrl, '/images/sunset/small');
    assert.equal(delivered.status, 200);
    const { width, height } = decodeIndependently(delivered.bytes, 'png');
    assert.deepEqual({ width, height }, { width: 64, height: 48 });

    assert.equal((await admin('DELETE', '/admin/images/sunset')).status, 200);
    assertError(await admin('GET', '/admin/images/sunset'), 404, 'not_found');
    assertError(await fetchJson(worker.baseUrl, '/images/sunset/small'), 404, 'not_found');
    assert.deepEqual((await admin('POST', '/admin/purge', { tags: ['beach'] })).body, { purged: [], missing: [] });
  });

  test('images: an original already in R2 can be registered by source', async () => {
    const registration = { source: { kind: 'r2', key: 'photos/fossa.jpg' }, tags: ['photo'] };
    const registered = await admin('PUT', '/admin/images/fossa', registration);
    assert.equal(registered.status, 201);
    assert.equal((await admin('PUT', '/admin/variants/tiny', { options: 'width=48,format=jpeg' })).status, 201);
    const delivered = await fetchBytes(worker.baseUrl, '/images/fossa/tiny');
    assert.equal(delivered.status, 200);
    assert.deepEqual(decodeIndependently(delivered.bytes, 'jpeg').width, 48);
    // The original stays where it was: deleting the image does not delete someone else's object.
    assert.equal((await admin('DELETE', '/admin/images/fossa')).status, 200);
    assert.equal((await fetchBytes(worker.baseUrl, '/photos/fossa.jpg', { method: 'HEAD' })).status, 200);
  });

  test('images: what the core cannot read, bad ids, sources and settings are refused', async () => {
    const text = new TextEncoder().encode('not an image');
    assertError(await admin('PUT', '/admin/images/text', text), 415, 'unsupported_format');
    assertError(await admin('PUT', '/admin/images/empty', new Uint8Array()), 400, 'bad_request');
    assertError(await admin('PUT', '/admin/images/bad%20id', PHOTO), 400, 'bad_request');
    assertError(await admin('PUT', '/admin/images/x?requireSignedURLs=maybe', PHOTO), 400, 'bad_request');
    assertError(await admin('PUT', '/admin/images/x?tags=a/b', PHOTO), 400, 'bad_request');
    for (const source of [
      { kind: 'url', url: 'http://insecure.example/a.jpg' },
      { kind: 'r2', key: 'admin/images/other' },
      { kind: 'ftp', key: 'a' },
      { kind: 'r2' },
    ]) {
      assertError(await admin('PUT', '/admin/images/x', { source }), 400, 'bad_request');
    }
    assertError(await admin('PATCH', '/admin/images/no-such-image', { tags: [] }), 404, 'not_found');
    assertError(await admin('GET', '/admin/images/x'), 404, 'not_found'); // none of the above stored anything
    assert.equal((await admin('PUT', '/admin/images/x', PHOTO)).status, 201);
    assertError(await admin('PATCH', '/admin/images/x', { version: 7 }), 400, 'bad_request');
    assertError(await admin('PATCH', '/admin/images/x', { requireSignedURLs: 'true' }), 400, 'bad_request');
  });

  test('purge: the body must name images or tags', async () => {
    assertError(await admin('POST', '/admin/purge', {}), 400, 'bad_request');
    assertError(await admin('POST', '/admin/purge', { images: 'one' }), 400, 'bad_request');
    assertError(await admin('POST', '/admin/purge', { everything: true }), 400, 'bad_request');
  });

  test('routes: unknown admin paths are 404, wrong methods 405 with Allow, flexible variants off here', async () => {
    assertError(await admin('GET', '/admin/nothing-here'), 404, 'not_found');
    assertError(await admin('GET', '/admin'), 404, 'not_found');
    const wrongMethod = await admin('POST', '/admin/variants/x', { options: 'width=1' });
    assertError(wrongMethod, 405, 'method_not_allowed');
    assert.equal(wrongMethod.headers.get('Allow'), 'GET, PUT, DELETE, OPTIONS');
    const options = await fetchBytes(worker.baseUrl, '/admin/images/x', { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('Allow'), 'GET, PUT, PATCH, DELETE, OPTIONS');
    assertError(await fetchJson(worker.baseUrl, '/images/x/width=100'), 403, 'flexible_variants_disabled');
  });

  // Last: it fills the account's 100 variants.
  test('at most 100 variants: the 101st is refused, replacing one still works', async () => {
    const existing = (await admin('GET', '/admin/variants')).body.variants.length;
    const names = Array.from({ length: 100 - existing }, (_, i) => `v${i}`);
    for (let i = 0; i < names.length; i += 10) {
      const batch = await Promise.all(names.slice(i, i + 10).map((name) =>
        admin('PUT', `/admin/variants/${name}`, { options: `width=${100 + i}` })));
      for (const answer of batch) assert.equal(answer.status, 201, JSON.stringify(answer.body));
    }
    assert.equal((await admin('GET', '/admin/variants')).body.variants.length, 100);
    const refused = await admin('PUT', '/admin/variants/one-too-many', { options: 'width=10' });
    assertError(refused, 400, 'too_many_variants');
    assert.equal((await admin('PUT', '/admin/variants/v0', { options: 'width=11' })).status, 200);
    assert.equal((await admin('DELETE', '/admin/variants/v0')).status, 200);
    assert.equal((await admin('PUT', '/admin/variants/one-more', { options: 'width=12' })).status, 201);
  });
});
