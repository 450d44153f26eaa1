// /cdn-cgi/image/<options>/<key> through the real Worker, wasm core, local R2 and Cache API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { transform } from '../../wasm/node.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { fetchBytes, startWorker } from './harness.mjs';

const PHOTO = 'photos/fossa.jpg'; // 4096×2304 JPEG
const PHOTO_FILE = 'Fossa_by_Jasper_Roks.jpg'; // its source (scripts/seed.mjs)
const TRANSFORM_CACHE_CONTROL = 'public, max-age=600';
const size = ({ width, height }) => ({ width, height });

describe('transform route', () => {
  let worker;
  before(async () => {
    // An AVIF original, made by the package's own Node entry from a seeded photograph.
    const avif = await transform(readFileSync(`/usr/share/backgrounds/${PHOTO_FILE}`), 'width=400,format=avif');
    const objects = [{ key: 'uploads/photo.avif', bytes: avif.bytes, contentType: 'image/avif' }];
    worker = await startWorker({ vars: { TRANSFORM_CACHE_CONTROL }, objects });
  });
  after(() => worker?.stop());
  const get = (urlPath, init) => fetchBytes(worker.baseUrl, urlPath, init);

  test('a miss is transformed, stored, then answered from the cache with the same bytes', async () => {
    const url = `/cdn-cgi/image/width=400,format=webp/${PHOTO}`;
    const miss = await get(url);
    assert.equal(miss.status, 200);
    assert.equal(miss.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.equal(miss.headers.get('Content-Type'), 'image/webp');
    assert.equal(miss.headers.get('Content-Length'), String(miss.bytes.length));
    assert.equal(miss.headers.get('Cache-Control'), TRANSFORM_CACHE_CONTROL);
    assert.match(miss.headers.get('ETag'), /^"[0-9a-f]{32}"$/);
    assert.equal(miss.headers.get('Vary'), null);
    assert.deepEqual(size(decodeIndependently(miss.bytes, 'webp')), { width: 400, height: 225 });

    const hit = await get(url);
    assert.equal(hit.status, 200);
    assert.equal(hit.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal(hit.headers.get('ETag'), miss.headers.get('ETag'));
    assert.equal(hit.headers.get('Content-Type'), 'image/webp');
    assert.equal(hit.headers.get('Content-Length'), String(miss.bytes.length));
    assert.deepEqual(hit.bytes, miss.bytes);
  });

  test('the options may come as query parameters, with the same cache entry as the path form', async () => {
    const query = await get(`/cdn-cgi/image/${PHOTO}?width=200&format=webp&rotate=90`);
    assert.equal(query.status, 200, new TextDecoder().decode(query.bytes));
    assert.equal(query.headers.get('Content-Type'), 'image/webp');
    assert.deepEqual(size(decodeIndependently(query.bytes, 'webp')), { width: 200, height: 356 });
    const path = await get(`/cdn-cgi/image/format=webp,rotate=90,width=200/${PHOTO}`);
    assert.equal(path.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal(path.headers.get('ETag'), query.headers.get('ETag'));
  });

  test('format=json describes the output without an image', async () => {
    const { status, headers, bytes } = await get(`/cdn-cgi/image/width=300,format=json/${PHOTO}`);
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'application/json');
    const body = JSON.parse(new TextDecoder().decode(bytes));
    assert.deepEqual([body.width, body.height], [300, 169]);
    assert.deepEqual([body.original.width, body.original.height], [4096, 2304]);
  });

  test('width and format are honoured for JPEG output', async () => {
    const { status, headers, bytes } = await get(`/cdn-cgi/image/width=300,format=jpeg/${PHOTO}`);
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'image/jpeg');
    assert.equal(headers.get('Content-Length'), String(bytes.length));
    assert.equal(decodeIndependently(bytes, 'jpeg').width, 300);
  });

  test('a PNG with alpha stays a PNG with alpha', async () => {
    const { status, headers, bytes } = await get('/cdn-cgi/image/width=160,format=png/graphics/shapes-alpha.png');
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'image/png');
    const decoded = decodeIndependently(bytes, 'png');
    assert.deepEqual(size(decoded), { width: 160, height: 120 });
    assert.equal(decoded.channels, 4); // RGBA: the alpha channel survived
  });

  test('a GIF is accepted as input', async () => {
    const { status, headers, bytes } = await get('/cdn-cgi/image/width=120,format=webp/graphics/gradient.gif');
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'image/webp');
    assert.deepEqual(size(decodeIndependently(bytes, 'webp')), { width: 120, height: 80 });
  });

  test('format=auto negotiates on Accept: AVIF > WebP > JPEG, says Vary: Accept, caches each apart', async () => {
    const url = `/cdn-cgi/image/width=200,format=auto/${PHOTO}`;
    const avif = await get(url, { headers: { Accept: 'image/avif,image/webp,*/*' } });
    const webp = await get(url, { headers: { Accept: 'image/webp' } });
    const jpeg = await get(url, { headers: { Accept: '*/*' } });
    assert.equal(avif.headers.get('Content-Type'), 'image/avif');
    assert.equal(webp.headers.get('Content-Type'), 'image/webp');
    assert.equal(jpeg.headers.get('Content-Type'), 'image/jpeg');
    for (const answer of [avif, webp, jpeg]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('Vary'), 'Accept');
      assert.equal(answer.headers.get('X-Edgepix-Cache'), 'MISS');
    }
    assert.equal(new Set([avif, webp, jpeg].map((answer) => answer.headers.get('ETag'))).size, 3);
    // Each decoded by its format's own reference decoder (avifdec, dwebp, djpeg).
    assert.deepEqual(size(decodeIndependently(avif.bytes, 'avif')), { width: 200, height: 113 });
    assert.deepEqual(size(decodeIndependently(webp.bytes, 'webp')), { width: 200, height: 113 });
    assert.deepEqual(size(decodeIndependently(jpeg.bytes, 'jpeg')), { width: 200, height: 113 });

    const avifAgain = await get(url, { headers: { Accept: 'image/avif' } });
    assert.equal(avifAgain.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal(avifAgain.headers.get('Content-Type'), 'image/avif');
    assert.equal(avifAgain.headers.get('Vary'), 'Accept');
    assert.deepEqual(avifAgain.bytes, avif.bytes);
  });

  test('compression=fast answers format=auto with the quick JPEG rather than AVIF', async () => {
    const answer = await get(`/cdn-cgi/image/width=200,format=auto,compression=fast/${PHOTO}`,
      { headers: { Accept: 'image/avif,image/webp,*/*' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('Content-Type'), 'image/jpeg');
    assert.equal(decodeIndependently(answer.bytes, 'jpeg').width, 200);
  });

  test('an AVIF original is transformed like any other', async () => {
    const png = await get('/cdn-cgi/image/width=100,format=png/uploads/photo.avif');
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('Content-Type'), 'image/png');
    assert.deepEqual(size(decodeIndependently(png.bytes, 'png')), { width: 100, height: 56 });
  });

  test('an animated GIF becomes an animated WebP with every frame', async () => {
    const answer = await get('/cdn-cgi/image/width=200,format=webp/graphics/moving.gif');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('Content-Type'), 'image/webp');
    assert.deepEqual(decodeIndependently(answer.bytes, 'webp'), { width: 200, height: 100, frames: 4 });
    // format=auto for an AVIF client: still animated WebP (our AVIF is a still image).
    const auto = await get('/cdn-cgi/image/width=200,format=auto/graphics/moving.gif',
      { headers: { Accept: 'image/avif,image/webp,*/*' } });
    assert.equal(auto.headers.get('Content-Type'), 'image/webp');
    assert.equal(decodeIndependently(auto.bytes, 'webp').frames, 4);
    const first = await get('/cdn-cgi/image/width=200,format=webp,anim=false/graphics/moving.gif');
    assert.equal(decodeIndependently(first.bytes, 'webp').frames, undefined); // a still image: pixels, no frames
  });

  test('If-None-Match with the ETag answers 304 without a body, before and after the cache has the entry', async () => {
    const url = `/cdn-cgi/image/width=240,format=webp/${PHOTO}`;
    const first = await get(url);
    const etag = first.headers.get('ETag');
    for (let round = 0; round < 2; round += 1) {
      const revalidated = await get(url, { headers: { 'If-None-Match': etag } });
      assert.equal(revalidated.status, 304);
      assert.equal(revalidated.headers.get('ETag'), etag);
      assert.equal(revalidated.bytes.length, 0);
    }
    const otherTag = await get(url, { headers: { 'If-None-Match': '"someone-else"' } });
    assert.equal(otherTag.status, 200);
    assert.equal(otherTag.headers.get('X-Edgepix-Cache'), 'HIT');
  });

  test('HEAD answers the headers of GET and no body', async () => {
    const url = `/cdn-cgi/image/width=100,format=webp/${PHOTO}`;
    const head = await get(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.bytes.length, 0);
    assert.equal(head.headers.get('Content-Type'), 'image/webp');
    const body = await get(url);
    assert.equal(head.headers.get('Content-Length'), String(body.bytes.length));
    assert.equal(head.headers.get('ETag'), body.headers.get('ETag'));
  });
});
