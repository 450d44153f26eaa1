// /images/<id>/<variant> and /images/<id>/<options>: images and variants from KV, originals from R2, results in
// the Cache API — negotiation, client hints, conditional requests, replacement and purge, in real workerd.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeIndependently } from '../support/decoders.mjs';
import { TEST_ADMIN_TOKEN, adminCall, drawnJpeg, fetchBytes, fetchJson, startWorker } from './harness.mjs';

const IMAGE_CACHE_CONTROL = 'public, max-age=120';
const LANDSCAPE = drawnJpeg(640, 480, 'steelblue');
const PORTRAIT = drawnJpeg(480, 640, 'darkorange');
const size = ({ width, height }) => ({ width, height });

describe('image delivery', () => {
  let worker;
  const admin = (method, urlPath, body) => adminCall(worker.baseUrl, method, urlPath, body);
  const get = (urlPath, headers = {}, method = 'GET') => fetchBytes(worker.baseUrl, urlPath, { method, headers });

  before(async () => {
    worker = await startWorker({
      seed: false, // everything is uploaded through the admin API
      vars: { ADMIN_TOKEN: TEST_ADMIN_TOKEN, FLEXIBLE_VARIANTS: 'true', IMAGE_CACHE_CONTROL },
    });
    for (const [name, options] of [['thumb', 'width=100,format=jpeg'], ['auto', 'width=200,format=auto'],
      ['fitted', 'width=auto,format=jpeg']]) {
      assert.equal((await admin('PUT', `/admin/variants/${name}`, { options })).status, 201, name);
    }
    for (const [id, bytes, tags] of [['landscape', LANDSCAPE, 'scenery'], ['replaced', LANDSCAPE, ''],
      ['purged', LANDSCAPE, 'scenery,2024']]) {
      const { status, body } = await admin('PUT', `/admin/images/${id}?tags=${tags}`, bytes);
      assert.equal(status, 201, JSON.stringify(body));
    }
  });
  after(() => worker?.stop());

  test('a named variant is transformed once, then answered from the cache with the same bytes', async () => {
    const miss = await get('/images/landscape/thumb');
    assert.equal(miss.status, 200);
    assert.equal(miss.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.equal(miss.headers.get('X-Edgepix-Origin-Layer'), 'r2');
    assert.equal(miss.headers.get('Content-Type'), 'image/jpeg');
    assert.equal(miss.headers.get('Content-Length'), String(miss.bytes.length));
    assert.equal(miss.headers.get('Cache-Control'), IMAGE_CACHE_CONTROL);
    assert.match(miss.headers.get('ETag'), /^"[0-9a-f]{32}"$/);
    assert.equal(miss.headers.get('Vary'), null); // format and width are fixed: no request header mattered
    assert.deepEqual(size(decodeIndependently(miss.bytes, 'jpeg')), { width: 100, height: 75 });

    const hit = await get('/images/landscape/thumb');
    assert.equal(hit.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal(hit.headers.get('ETag'), miss.headers.get('ETag'));
    assert.equal(hit.headers.get('Cache-Control'), IMAGE_CACHE_CONTROL);
    assert.equal(hit.headers.get('X-Edgepix-Origin-Layer'), 'r2'); // where the validators were looked up
    assert.deepEqual(hit.bytes, miss.bytes);
  });

  test('a flexible variant takes its options from the URL', async () => {
    const { status, headers, bytes } = await get('/images/landscape/width=120,format=webp');
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'image/webp');
    assert.deepEqual(size(decodeIndependently(bytes, 'webp')), { width: 120, height: 90 });
  });

  test('Accept spelled many ways makes one cache entry per negotiated format, no more', async () => {
    const spellings = {
      avif: ['image/avif', 'image/avif,image/jpeg;q=0.9', ' image/avif ; q=0.8 , text/html',
        'image/avif,image/webp,*/*;q=0.8', 'IMAGE/AVIF;Q=0.5,image/webp'],
      webp: ['image/webp', 'IMAGE/WEBP;Q=0.5, image/jpeg;q=0.4', 'text/html,image/webp;q=1.0,*/*',
        'image/webp;q=0.9,image/avif;q=0'],
      any: ['*/*', 'text/html, */*;q=0.1', '', 'image/webp;q=0, */*'],
    };
    const etagsByGroup = {};
    const misses = [];
    const typeByGroup = {};
    for (const [group, accepts] of Object.entries(spellings)) {
      for (const accept of accepts) {
        const answer = await get('/images/landscape/auto', accept === '' ? {} : { Accept: accept });
        assert.equal(answer.status, 200, accept);
        assert.equal(answer.headers.get('Vary'), 'Accept', accept);
        typeByGroup[group] ??= answer.headers.get('Content-Type');
        assert.equal(answer.headers.get('Content-Type'), typeByGroup[group], `${group}: ${JSON.stringify(accept)}`);
        (etagsByGroup[group] ??= new Set()).add(answer.headers.get('ETag'));
        if (answer.headers.get('X-Edgepix-Cache') === 'MISS') misses.push(answer.headers.get('ETag'));
        const format = answer.headers.get('Content-Type').slice('image/'.length);
        assert.equal(decodeIndependently(answer.bytes, format).width, 200);
      }
    }
    for (const [group, etags] of Object.entries(etagsByGroup)) assert.equal(etags.size, 1, `${group}: ${[...etags]}`);
    assert.equal(typeByGroup.avif, 'image/avif');
    assert.equal(typeByGroup.webp, 'image/webp');
    assert.equal(typeByGroup.any, 'image/jpeg');
    const allEtags = new Set(Object.values(etagsByGroup).flatMap((etags) => [...etags]));
    assert.equal(allEtags.size, 3);
    assert.deepEqual(new Set(misses), allEtags);
    assert.equal(misses.length, 3);
  });

  test('width=auto reads client hints, buckets the width, and says so in Vary and Accept-CH', async () => {
    const hinted = await get('/images/landscape/fitted', { 'Sec-CH-Width': '300' });
    assert.equal(hinted.status, 200);
    assert.equal(decodeIndependently(hinted.bytes, 'jpeg').width, 320); // 300 rounded up to the 320 bucket
    const vary = hinted.headers.get('Vary').split(',').map((name) => name.trim().toLowerCase());
    assert.ok(vary.includes('sec-ch-width'), hinted.headers.get('Vary'));
    assert.ok(!vary.includes('accept'), 'format=jpeg does not depend on Accept');
    assert.match(hinted.headers.get('Accept-CH'), /Sec-CH-Width/);

    // Viewport 160 CSS px at DPR 2 = 320 physical px: the same bucket, the same entry.
    const sameBucket = await get('/images/landscape/fitted', { 'Sec-CH-Viewport-Width': '160', 'Sec-CH-DPR': '2' });
    assert.equal(sameBucket.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal(sameBucket.headers.get('ETag'), hinted.headers.get('ETag'));

    const wider = await get('/images/landscape/fitted', { 'Sec-CH-Width': '500' });
    assert.equal(decodeIndependently(wider.bytes, 'jpeg').width, 640);
    assert.notEqual(wider.headers.get('ETag'), hinted.headers.get('ETag'));
  });

  test('If-None-Match revalidates to 304; HEAD answers the headers of GET', async () => {
    const first = await get('/images/landscape/width=90,format=jpeg');
    const etag = first.headers.get('ETag');
    for (const method of ['GET', 'HEAD']) {
      const revalidated = await get('/images/landscape/width=90,format=jpeg', { 'If-None-Match': etag }, method);
      assert.equal(revalidated.status, 304, method);
      assert.equal(revalidated.bytes.length, 0);
      assert.equal(revalidated.headers.get('ETag'), etag);
      assert.equal(revalidated.headers.get('Cache-Control'), IMAGE_CACHE_CONTROL);
    }
    const head = await get('/images/landscape/width=90,format=jpeg', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.bytes.length, 0);
    assert.equal(head.headers.get('Content-Length'), String(first.bytes.length));
    assert.equal(head.headers.get('ETag'), etag);
  });

  test('replacing the bytes never serves the old variant', async () => {
    const before = await get('/images/replaced/thumb');
    assert.deepEqual(size(decodeIndependently(before.bytes, 'jpeg')), { width: 100, height: 75 });
    const { status, body } = await admin('PUT', '/admin/images/replaced', PORTRAIT);
    assert.equal(status, 200);
    assert.equal(body.version, 2);

    const after = await get('/images/replaced/thumb');
    assert.equal(after.status, 200);
    assert.equal(after.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.notEqual(after.headers.get('ETag'), before.headers.get('ETag'));
    assert.deepEqual(size(decodeIndependently(after.bytes, 'jpeg')), { width: 100, height: 133 });
    // A browser revalidating its old copy gets the new one, not a 304.
    const revalidated = await get('/images/replaced/thumb', { 'If-None-Match': before.headers.get('ETag') });
    assert.equal(revalidated.status, 200);
    assert.deepEqual(revalidated.bytes, after.bytes);
  });

  test('purge by id and by tag orphans every cached variant of the image', async () => {
    const cached = await get('/images/purged/thumb');
    assert.equal((await get('/images/purged/thumb')).headers.get('X-Edgepix-Cache'), 'HIT');

    const byId = await admin('POST', '/admin/purge', { images: ['purged', 'no-such-image'] });
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.body, { purged: ['purged'], missing: ['no-such-image'] });
    const afterId = await get('/images/purged/thumb');
    assert.equal(afterId.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.notEqual(afterId.headers.get('ETag'), cached.headers.get('ETag'));
    assert.deepEqual(afterId.bytes, cached.bytes); // same bytes, freshly made

    const byTag = await admin('POST', '/admin/purge', { tags: ['2024'] });
    assert.deepEqual(byTag.body, { purged: ['purged'], missing: [] });
    assert.equal((await get('/images/purged/thumb')).headers.get('X-Edgepix-Cache'), 'MISS');

    // Tag "scenery" holds both images: a purge by tag reaches each of them.
    const scenery = await admin('POST', '/admin/purge', { tags: ['scenery'] });
    assert.deepEqual(scenery.body.purged.sort(), ['landscape', 'purged']);
  });

  test('unknown images and variants are 404; a bad flexible option is 400', async () => {
    for (const [urlPath, status, code] of [
      ['/images/no-such-image/thumb', 404, 'not_found'],
      ['/images/landscape/no-such-variant', 404, 'not_found'],
      ['/images/landscape/width=banana', 400, 'bad_option'],
      ['/images/landscape', 400, 'bad_request'],
      ['/images/landscape/thumb/extra', 400, 'bad_request'],
    ]) {
      const answer = await fetchJson(worker.baseUrl, urlPath);
      assert.equal(answer.status, status, urlPath);
      assert.equal(answer.body.error.code, code, urlPath);
    }
  });

  test('uploaded bytes are reachable only through delivery', async () => {
    // The R2 object behind /images/landscape is admin/images/landscape: neither originals nor /cdn-cgi/image/.
    for (const [urlPath, status] of [
      ['/admin/images/landscape', 401],
      ['/cdn-cgi/image/width=50/admin/images/landscape', 404],
    ]) {
      const { status: actual, headers } = await fetchBytes(worker.baseUrl, urlPath);
      assert.equal(actual, status, urlPath);
      assert.match(headers.get('Content-Type'), /^application\/json/);
    }
  });

  test('other methods on a delivery URL get 405 with Allow', async () => {
    const { status, headers } = await fetchJson(worker.baseUrl, '/images/landscape/thumb', { method: 'POST' });
    assert.equal(status, 405);
    assert.equal(headers.get('Allow'), 'GET, HEAD, OPTIONS');
  });
});
