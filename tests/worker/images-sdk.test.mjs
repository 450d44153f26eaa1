// The Images API driven by Cloudflare's official SDK (npm `cloudflare`, pinned in package.json) with its base URL
// pointed at `wrangler dev`: every call is the SDK's own request, and every result is checked field by field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Cloudflare, { toFile } from 'cloudflare';
import { signUrl } from '../../wasm/node.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { fixture } from '../support/golden.mjs';
import { fetchBytes, startWorker } from './harness.mjs';

// Dev-only credentials, passed as --var (never read from .dev.vars).
const ACCOUNT_ID = 'test0000000000000000000000000acc';
const API_TOKEN = 'test-only-api-token';
const PHOTO = new Uint8Array(fixture('photo-1200.jpg')); // 1200×900
const account = { account_id: ACCOUNT_ID };

describe('the Images API through the official cloudflare SDK', () => {
  let worker;
  let client;
  before(async () => {
    worker = await startWorker({
      seed: false,
      vars: { ACCOUNT_ID, API_TOKENS: `another-test-token,${API_TOKEN}`, SIGNING_KEYS: 'test-only-signing-key' },
    });
    client = new Cloudflare({ apiToken: API_TOKEN, baseURL: `${worker.baseUrl}/client/v4`, maxRetries: 0 });
  });
  after(() => worker?.stop());

  const deliveryUrl = (id, variant) => `${worker.baseUrl}/images/${id}/${variant}`;
  let uploaded;
  let second;

  test('variants: create and list in Cloudflare\'s shape', async () => {
    const thumb = { id: 'thumb', options: { fit: 'scale-down', width: 120, height: 120, metadata: 'none' },
      neverRequireSignedURLs: false };
    const created = await client.images.v1.variants.create({ ...account, ...thumb });
    assert.deepEqual(created, { variant: thumb });
    const listed = await client.images.v1.variants.list(account);
    assert.deepEqual(listed, { variants: { thumb } });
    assert.deepEqual(await client.images.v1.variants.get('thumb', account), { variant: thumb });
  });

  test('upload a file with metadata: the result names it, and its variant URL serves it', async () => {
    const before = Date.now();
    uploaded = await client.images.v1.create({
      ...account,
      id: 'sdk-photo',
      file: await toFile(PHOTO, 'photo-1200.jpg', { type: 'image/jpeg' }),
      metadata: JSON.stringify({ owner: 'sdk', shot: { iso: 200 } }),
      requireSignedURLs: false,
    });
    assert.equal(uploaded.id, 'sdk-photo');
    assert.equal(uploaded.filename, 'photo-1200.jpg');
    assert.deepEqual(uploaded.meta, { owner: 'sdk', shot: { iso: 200 } });
    assert.equal(uploaded.requireSignedURLs, false);
    const uploadedAt = Date.parse(uploaded.uploaded);
    assert.ok(uploadedAt >= before - 1000 && uploadedAt <= Date.now() + 1000, uploaded.uploaded);
    assert.equal(new Date(uploadedAt).toISOString(), uploaded.uploaded);
    assert.deepEqual(uploaded.variants, [deliveryUrl('sdk-photo', 'thumb')]);

    const delivered = await fetchBytes(worker.baseUrl, new URL(uploaded.variants[0]).pathname);
    assert.equal(delivered.status, 200);
    const { width, height } = decodeIndependently(delivered.bytes, 'jpeg');
    assert.deepEqual({ width, height }, { width: 120, height: 90 }); // scale-down into 120×120 keeps 4:3
  });

  test('upload without an id, metadata as an object (the SDK\'s nested form fields), private', async () => {
    second = await client.images.v1.create({
      ...account,
      file: await toFile(PHOTO, 'second.jpg', { type: 'image/jpeg' }),
      metadata: { album: 'holiday' },
      requireSignedURLs: true,
    });
    assert.match(second.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(second.meta, { album: 'holiday' });
    assert.equal(second.requireSignedURLs, true);
    // Private: its variant URL needs a signature under the secret's key.
    assert.equal((await fetchBytes(worker.baseUrl, `/images/${second.id}/thumb`)).status, 403);
    const signed = await signUrl(`/images/${second.id}/thumb`, 'test-only-signing-key');
    assert.equal((await fetchBytes(worker.baseUrl, signed)).status, 200);
  });

  test('list v1 (pages, newest first) and v2 (both orders)', async () => {
    const page = await client.images.v1.list({ ...account, page: 1, per_page: 10 });
    assert.deepEqual(page.result.images.map((image) => image.id), [second.id, 'sdk-photo']);
    assert.deepEqual(page.result.images[1], uploaded);
    const empty = await client.images.v1.list({ ...account, page: 2, per_page: 10 });
    assert.deepEqual(empty.result.images, []);

    const ascending = await client.images.v2.list({ ...account, per_page: 10, sort_order: 'asc' });
    assert.deepEqual(ascending.images.map((image) => image.id), ['sdk-photo', second.id]);
    assert.equal(ascending.continuation_token, null);
    const descending = await client.images.v2.list({ ...account, sort_order: 'desc' });
    assert.deepEqual(descending.images.map((image) => image.id), [second.id, 'sdk-photo']);
  });

  test('get, then edit metadata and requireSignedURLs', async () => {
    assert.deepEqual(await client.images.v1.get('sdk-photo', account), uploaded);
    const edited = await client.images.v1.edit('sdk-photo',
      { ...account, metadata: { owner: 'edited' }, requireSignedURLs: true });
    assert.deepEqual(edited, { ...uploaded, meta: { owner: 'edited' }, requireSignedURLs: true });
    assert.deepEqual(await client.images.v1.get('sdk-photo', account), edited);
    assert.equal((await fetchBytes(worker.baseUrl, '/images/sdk-photo/thumb')).status, 403);
  });

  test('blob: the bytes as uploaded', async () => {
    const response = await client.images.v1.blobs.get('sdk-photo', account);
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PHOTO);
  });

  test('stats count the images', async () => {
    const stats = await client.images.v1.stats.get(account);
    assert.equal(stats.count.current, 2);
    assert.ok(Number.isInteger(stats.count.allowed) && stats.count.allowed >= 2);
  });

  test('keys: made keys sign like SIGNING_KEYS, and rotate', async () => {
    assert.deepEqual(await client.images.v1.keys.list(account), { keys: [] });
    const { keys: [first] } = await client.images.v1.keys.update('first', account);
    assert.equal(first.name, 'first');
    assert.match(first.value, /^[0-9a-f]{64}$/);
    const byFirst = await signUrl('/images/sdk-photo/thumb', first.value);
    assert.equal((await fetchBytes(worker.baseUrl, byFirst)).status, 200);

    const made = await client.images.v1.keys.update('second', account);
    assert.deepEqual(made.keys.map((key) => key.name).sort(), ['first', 'second']);
    const newer = made.keys.find((key) => key.name === 'second');
    const afterDelete = await client.images.v1.keys.delete('first', account);
    assert.deepEqual(afterDelete, { keys: [newer] });
    assert.deepEqual(await client.images.v1.keys.list(account), { keys: [newer] });
    assert.equal((await fetchBytes(worker.baseUrl, byFirst)).status, 403); // the retired key no longer verifies
    const byNewer = await signUrl('/images/sdk-photo/thumb', newer.value);
    const delivered = await fetchBytes(worker.baseUrl, byNewer);
    assert.equal(delivered.status, 200);
    assert.equal(decodeIndependently(delivered.bytes, 'jpeg').width, 120);
  });

  // POST v2/direct_upload → api-direct-upload.js → uploads.js's createDirectUpload; the file then goes to uploadURL.
  test('direct upload: a draft listed with draft: true, filled by one post to uploadURL', async () => {
    const draft = await client.images.v2.directUploads.create({
      ...account, id: 'sdk-direct', metadata: JSON.stringify({ via: 'direct' }), requireSignedURLs: false,
    });
    assert.equal(draft.id, 'sdk-direct');
    assert.ok(draft.uploadURL.startsWith(`${worker.baseUrl}/`), draft.uploadURL);
    const listed = await client.images.v1.get('sdk-direct', account);
    assert.equal(listed.draft, true);
    assert.deepEqual(listed.meta, { via: 'direct' });
    const inList = (await client.images.v2.list({ ...account, per_page: 100 })).images
      .find((image) => image.id === 'sdk-direct');
    assert.equal(inList?.draft, true);

    const form = new FormData();
    form.append('file', new Blob([PHOTO], { type: 'image/jpeg' }), 'direct.jpg');
    const posted = await fetch(draft.uploadURL, { method: 'POST', body: form });
    assert.equal(posted.status, 200);
    await posted.arrayBuffer();
    const done = await client.images.v1.get('sdk-direct', account);
    assert.equal(done.draft, undefined);
    const delivered = await fetchBytes(worker.baseUrl, new URL(done.variants[0]).pathname);
    assert.equal(delivered.status, 200);
    assert.equal(decodeIndependently(delivered.bytes, 'jpeg').width, 120);
    assert.deepEqual(await client.images.v1.delete('sdk-direct', account), {});
  });

  test('delete: the image, its bytes and its delivery are gone', async () => {
    assert.deepEqual(await client.images.v1.delete('sdk-photo', account), {});
    await assert.rejects(client.images.v1.get('sdk-photo', account), (err) => {
      assert.equal(err.status, 404);
      assert.equal(err.errors[0].code, 5404);
      return true;
    });
    assert.equal((await fetchBytes(worker.baseUrl, '/images/sdk-photo/thumb')).status, 404);
    assert.equal((await client.images.v1.stats.get(account)).count.current, 1);
    const listed = await client.images.v2.list(account);
    assert.deepEqual(listed.images.map((image) => image.id), [second.id]);
  });
});
