// The storage pieces outside workerd, as the import CLI and the app will use them: store.js over plain settings and
// in-memory bindings (R2-, KV- and Cache-like objects), meta.js over a KV-like object. Failures are CodedErrors
// with a code from the list; what does not exist is null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodedError } from '../../worker/coded-error.js';
import * as meta from '../../worker/meta.js';
import { checkSource, headOriginal, readOriginal, SOURCE_KINDS, sourceFromPath } from '../../worker/store.js';
import { startUrlOrigin } from './url-origin.mjs';

const settingsFor = (origin) => ({
  originKind: 'r2', s3: null, allowedOrigins: new Set([origin]), edgeTtl: 3600, kvTtl: 86400,
  kvMaxBytes: 1024 * 1024, maxOriginalBytes: 1024 * 1024, allowLoopbackHttp: true,
});

/** A KV namespace in memory: get / getWithMetadata / put / delete / list, as the Workers binding answers them. */
function memoryKv() {
  const entries = new Map();
  const decode = (value, type) =>
    (type === 'json' ? JSON.parse(value) : type === 'arrayBuffer' ? value.buffer : value);
  return {
    entries,
    async get(key, type) {
      return entries.has(key) ? decode(entries.get(key).value, type) : null;
    },
    async getWithMetadata(key, { type }) {
      const entry = entries.get(key);
      if (!entry) return { value: null, metadata: null };
      return { value: decode(entry.value, type), metadata: entry.metadata ?? null };
    },
    async put(key, value, { metadata } = {}) {
      entries.set(key, { value: typeof value === 'string' ? value : new Uint8Array(value).slice(), metadata });
    },
    async delete(key) {
      entries.delete(key);
    },
    async list({ prefix }) {
      const keys = [...entries].filter(([key]) => key.startsWith(prefix))
        .map(([name, { metadata }]) => ({ name, metadata }));
      return { keys, list_complete: true };
    },
  };
}

/** A Cache API in memory, keyed by URL (no Range support: whole responses only). */
function memoryCache() {
  const entries = new Map();
  return {
    async match(request) {
      const stored = entries.get(new URL(request.url).href);
      return stored === undefined ? undefined : new Response(stored.bytes, { headers: stored.headers });
    },
    async put(request, response) {
      entries.set(request.url, { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers });
    },
  };
}

function background() {
  const pending = [];
  return { waitUntil: (promise) => pending.push(promise), settle: () => Promise.all(pending.splice(0)) };
}

test('a path names a key of the configured kind or an allow-listed URL; anything else is a coded error', () => {
  const settings = settingsFor('https://images.example.com');
  assert.deepEqual(sourceFromPath(settings, 'photos/a.jpg'), { kind: 'r2', key: 'photos/a.jpg' });
  assert.deepEqual(sourceFromPath({ ...settings, originKind: 's3' }, 'a.jpg'), { kind: 's3', key: 'a.jpg' });
  assert.deepEqual(sourceFromPath(settings, 'https://images.example.com/a.jpg'),
    { kind: 'url', url: 'https://images.example.com/a.jpg' });
  assert.throws(() => sourceFromPath(settings, 'https://elsewhere.example.com/a.jpg'),
    (error) => error instanceof CodedError && error.code === 'origin_not_allowed');
  for (const originKind of ['url', 'gcs', 'constructor']) {
    assert.throws(() => sourceFromPath({ ...settings, originKind }, 'a.jpg'), { code: 'misconfigured' });
  }
});

test('registered sources are checked by their kind\'s row and kept in canonical form', () => {
  assert.deepEqual(checkSource({ kind: 's3', key: 'a.jpg', extra: 1 }), { kind: 's3', key: 'a.jpg' });
  const url = 'https://x.example/a.jpg';
  assert.deepEqual(checkSource({ kind: 'url', url, extra: 1 }), { kind: 'url', url });
  for (const bad of [null, 'a.jpg', {}, { kind: 'r2' }, { kind: 'r2', key: '' }, { kind: 'url', url: 'http://x/a' },
    { kind: 'toString', key: 'a' }, { kind: 'r2', key: 'admin/images/x' }]) {
    assert.throws(() => checkSource(bad), { code: 'bad_request' }, JSON.stringify(bad));
  }
  assert.deepEqual(Object.entries(SOURCE_KINDS).map(([kind, row]) => [kind, row.layer, row.tiered]),
    [['r2', 'r2', false], ['s3', 's3', true], ['url', 'origin', true]]);
});

test('a URL original is read from its origin, then from the KV tier; a missing one is null', async () => {
  const bytes = new TextEncoder().encode('not really a photo');
  const headers = { 'Content-Type': 'image/jpeg', ETag: '"v1"' };
  const origin = await startUrlOrigin({ '/a.jpg': { bytes, headers } });
  try {
    const ctx = background();
    const bindings = { r2: null, originCache: memoryKv(), cache: memoryCache() };
    const store = { settings: settingsFor(origin.origin), bindings, ctx };
    const source = sourceFromPath(store.settings, `${origin.origin}/a.jpg`);
    const first = await readOriginal(store, source);
    assert.deepEqual([first.layer, first.etag, first.contentType, [...first.bytes]],
      ['origin', '"v1"', 'image/jpeg', [...bytes]]);
    await ctx.settle();
    const again = await headOriginal(store, source);
    assert.deepEqual([again.layer, again.etag, again.size], ['kv', '"v1"', bytes.length]);
    const ranged = await readOriginal(store, source, { rangeHeaders: new Headers({ Range: 'bytes=4-9' }) });
    assert.deepEqual([ranged.range, new TextDecoder().decode(ranged.bytes)], [{ offset: 4, length: 6 }, 'really']);
    assert.equal(origin.requests.length, 1);
    assert.equal(await headOriginal(store, sourceFromPath(store.settings, `${origin.origin}/gone.jpg`)), null);
  } finally {
    await origin.stop();
  }
});

test('an S3 source without a configured bucket is a misconfiguration, not a crash', async () => {
  const bindings = { cache: memoryCache(), originCache: null };
  const store = { settings: settingsFor('https://x.example'), bindings, ctx: background() };
  await assert.rejects(headOriginal(store, { kind: 's3', key: 'a.jpg' }), { code: 'misconfigured' });
});

test('the metadata store works over any KV-like object', async () => {
  const kv = memoryKv();
  await meta.putVariant(kv, 'thumb', { options: 'width=100', neverRequireSignedURLs: false });
  assert.deepEqual(await meta.listVariants(kv), [{ name: 'thumb', options: 'width=100', neverRequireSignedURLs: false }]);
  await meta.putImageWithTags(kv, 'cat', { source: { kind: 'r2', key: 'c.jpg' }, tags: ['pets'], version: 1 });
  assert.deepEqual(await meta.imageIdsWithTag(kv, 'pets'), ['cat']);
  assert.equal(await meta.getImage(kv, 'dog'), null);
  assert.throws(() => meta.checkTags(['no spaces']),
    (error) => error instanceof CodedError && error.code === 'bad_request');
});
