// /<key>: originals streamed from local R2 with validators, conditional requests and byte ranges.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fetchBytes, fetchJson, startWorker } from './harness.mjs';

const PHOTO_KEY = 'photos/fossa.jpg';
const PHOTO = new Uint8Array(readFileSync('/usr/share/backgrounds/Fossa_by_Jasper_Roks.jpg'));
const SIZE = PHOTO.length;
const UNTYPED = { key: 'misc/untyped.bin', bytes: new Uint8Array([1, 2, 3, 4, 5]) };

describe('originals route', () => {
  let worker;
  let validators;
  before(async () => {
    worker = await startWorker({ objects: [UNTYPED] });
    const { headers } = await fetchBytes(worker.baseUrl, `/${PHOTO_KEY}`, { method: 'HEAD' });
    validators = { etag: headers.get('ETag'), lastModified: headers.get('Last-Modified') };
  });
  after(() => worker?.stop());
  const get = (headers = {}, method = 'GET') => fetchBytes(worker.baseUrl, `/${PHOTO_KEY}`, { method, headers });

  test('GET streams the object with its headers', async () => {
    const { status, headers, bytes } = await get();
    assert.equal(status, 200);
    assert.deepEqual(bytes, PHOTO);
    assert.equal(headers.get('Content-Type'), 'image/jpeg');
    assert.equal(headers.get('Content-Length'), String(SIZE));
    assert.equal(headers.get('Accept-Ranges'), 'bytes');
    assert.equal(headers.get('Cache-Control'), 'public, max-age=3600');
    assert.match(headers.get('ETag'), /^"[0-9a-f]+"$/);
    assert.ok(!Number.isNaN(Date.parse(headers.get('Last-Modified'))));
  });

  test('HEAD answers the same headers and no body', async () => {
    const { status, headers, bytes } = await get({}, 'HEAD');
    assert.equal(status, 200);
    assert.equal(bytes.length, 0);
    assert.equal(headers.get('Content-Length'), String(SIZE));
    assert.equal(headers.get('ETag'), validators.etag);
  });

  test('an object stored without a content type is served as application/octet-stream', async () => {
    const { status, headers, bytes } = await fetchBytes(worker.baseUrl, `/${UNTYPED.key}`);
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'application/octet-stream');
    assert.deepEqual(bytes, UNTYPED.bytes);
  });

  for (const [range, offset, end] of [
    ['bytes=0-99', 0, 99],
    ['bytes=1000-', 1000, SIZE - 1],
    ['bytes=-500', SIZE - 500, SIZE - 1],
    ['bytes=100-99999999', 100, SIZE - 1],
    [`bytes=-${SIZE + 10}`, 0, SIZE - 1],
  ]) {
    test(`Range ${range} answers 206 with bytes ${offset}-${end}`, async () => {
      const { status, headers, bytes } = await get({ Range: range });
      assert.equal(status, 206);
      assert.equal(headers.get('Content-Range'), `bytes ${offset}-${end}/${SIZE}`);
      assert.equal(headers.get('Content-Length'), String(end - offset + 1));
      assert.deepEqual(bytes, PHOTO.subarray(offset, end + 1));
    });
  }

  for (const range of [`bytes=${SIZE}-`, 'bytes=-0', `bytes=${SIZE + 5}-${SIZE + 9}`]) {
    test(`Range ${range} is unsatisfiable: 416 with the size`, async () => {
      const { status, headers, body } = await fetchJson(worker.baseUrl, `/${PHOTO_KEY}`, { headers: { Range: range } });
      assert.equal(status, 416);
      assert.equal(headers.get('Content-Range'), `bytes */${SIZE}`);
      assert.equal(body.error.code, 'range_not_satisfiable');
    });
  }

  for (const range of ['bytes=0-1,5-6', 'bytes=abc', 'items=0-5', 'bytes=9-3']) {
    test(`Range ${range} (multi-range or unusable) is answered with the whole object`, async () => {
      const { status, bytes } = await get({ Range: range });
      assert.equal(status, 200);
      assert.equal(bytes.length, SIZE);
    });
  }

  test('If-Range honours the range only while the validator matches', async () => {
    const matching = await get({ Range: 'bytes=0-9', 'If-Range': validators.etag });
    assert.equal(matching.status, 206);
    assert.deepEqual(matching.bytes, PHOTO.subarray(0, 10));
    const stale = await get({ Range: 'bytes=0-9', 'If-Range': '"an-old-version"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.bytes.length, SIZE);
  });

  test('If-None-Match / If-Modified-Since revalidate to 304 with no body', async () => {
    for (const headers of [
      { 'If-None-Match': validators.etag },
      { 'If-None-Match': `"other", ${validators.etag}` },
      { 'If-None-Match': '*' },
      { 'If-Modified-Since': validators.lastModified },
    ]) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await get(headers, method);
        assert.equal(answer.status, 304, `${method} ${JSON.stringify(headers)}`);
        assert.equal(answer.bytes.length, 0);
        assert.equal(answer.headers.get('ETag'), validators.etag);
      }
    }
  });

  test('a stale validator gets the full object', async () => {
    const earlier = new Date(Date.parse(validators.lastModified) - 60_000).toUTCString();
    for (const headers of [{ 'If-None-Match': '"other"' }, { 'If-Modified-Since': earlier }]) {
      const { status, bytes } = await get(headers);
      assert.equal(status, 200, JSON.stringify(headers));
      assert.equal(bytes.length, SIZE);
    }
  });

  test('If-Match / If-Unmodified-Since failures answer 412, successes the object', async () => {
    const earlier = new Date(Date.parse(validators.lastModified) - 60_000).toUTCString();
    for (const headers of [{ 'If-Match': '"other"' }, { 'If-Unmodified-Since': earlier }]) {
      const { status, body } = await fetchJson(worker.baseUrl, `/${PHOTO_KEY}`, { headers });
      assert.equal(status, 412, JSON.stringify(headers));
      assert.equal(body.error.code, 'precondition_failed');
    }
    for (const headers of [{ 'If-Match': validators.etag }, { 'If-Unmodified-Since': validators.lastModified }]) {
      const { status, bytes } = await get(headers);
      assert.equal(status, 200, JSON.stringify(headers));
      assert.equal(bytes.length, SIZE);
    }
  });

  test('an unknown key is a JSON 404', async () => {
    for (const urlPath of ['/photos/missing.jpg', '/']) {
      const { status, headers, body } = await fetchJson(worker.baseUrl, urlPath);
      assert.equal(status, 404, urlPath);
      assert.match(headers.get('Content-Type'), /^application\/json/);
      assert.equal(body.error.code, 'not_found');
    }
  });

  test('other methods get 405 with Allow; OPTIONS lists the methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const { status, headers, body } = await fetchJson(worker.baseUrl, `/${PHOTO_KEY}`, { method });
      assert.equal(status, 405, method);
      assert.equal(headers.get('Allow'), 'GET, HEAD, OPTIONS');
      assert.equal(body.error.code, 'method_not_allowed');
    }
    const options = await get({}, 'OPTIONS');
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('Allow'), 'GET, HEAD, OPTIONS');
  });
});
