// Every failure is a JSON error with the right status, never a 500 or an uncaught exception.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { fetchBytes, fetchJson, startWorker } from './harness.mjs';

/** A PNG whose IHDR (valid, with its CRC) claims 100000×100000 RGBA, followed by a few bytes of nothing. */
function pngClaiming(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, adaptive filtering, not interlaced
  const typeAndData = Buffer.concat([Buffer.from('IHDR'), ihdr]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(ihdr.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, length, typeAndData, crc, Buffer.alloc(16)]));
}

const photo = readFileSync('/usr/share/backgrounds/Fossa_by_Jasper_Roks.jpg');
const OBJECTS = [
  { key: 'errors/not-an-image.txt', bytes: new TextEncoder().encode('hello, I am text\n'), contentType: 'text/plain' },
  // Cut in the middle of the entropy-coded data: headers intact, half the scan missing.
  { key: 'errors/truncated.jpg', bytes: new Uint8Array(photo.subarray(0, photo.length >> 1)), contentType: 'image/jpeg' },
  { key: 'errors/huge.png', bytes: pngClaiming(100_000, 100_000), contentType: 'image/png' },
];
// Small enough that photos/kleiber.jpg (4.4 MB) is refused by the Worker before it is read.
const MAX_ORIGINAL_BYTES = 1_000_000;

describe('errors', () => {
  let worker;
  before(async () => {
    worker = await startWorker({ objects: OBJECTS, vars: { MAX_ORIGINAL_BYTES } });
  });
  after(() => worker?.stop());

  async function expectError(urlPath, status, code, init) {
    const { status: actual, headers, body } = await fetchJson(worker.baseUrl, urlPath, init);
    assert.equal(actual, status, `${urlPath}: ${JSON.stringify(body)}`);
    assert.match(headers.get('Content-Type'), /^application\/json/);
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, 'string');
    assert.ok(body.error.message.length > 0);
    return { headers, body };
  }

  test('bad options are 400 bad_option, decided before the key is looked up', async () => {
    await expectError('/cdn-cgi/image/width=banana/photos/fossa.jpg', 400, 'bad_option');
    await expectError('/cdn-cgi/image/frobnicate=1/photos/fossa.jpg', 400, 'bad_option');
    await expectError('/cdn-cgi/image/width=banana/photos/no-such-object.jpg', 400, 'bad_option');
  });

  test('onerror=redirect answers a failed transform with a redirect to the original, never a bad option', async () => {
    const { status, headers } = await fetchBytes(worker.baseUrl,
      '/cdn-cgi/image/width=100,onerror=redirect/errors/truncated.jpg', { redirect: 'manual' });
    assert.equal(status, 302);
    assert.equal(headers.get('Location'), '/errors/truncated.jpg');
    assert.equal(headers.get('Cache-Control'), 'no-store');
    await expectError('/cdn-cgi/image/width=100/errors/truncated.jpg', 422, 'corrupt_image');
    await expectError('/cdn-cgi/image/width=oops,onerror=redirect/errors/truncated.jpg', 400, 'bad_option');
  });

  test('malformed URLs are 400 bad_request', async () => {
    await expectError('/cdn-cgi/image/width=100', 400, 'bad_request');
    await expectError('/photos/%E0%A4%A', 400, 'bad_request');
  });

  test('an unknown key is 404 not_found', async () => {
    await expectError('/cdn-cgi/image/width=100/photos/no-such-object.jpg', 404, 'not_found');
  });

  test('a text file is 415 unsupported_format', async () => {
    await expectError('/cdn-cgi/image/width=100/errors/not-an-image.txt', 415, 'unsupported_format');
  });

  test('a truncated JPEG is 422 corrupt_image', async () => {
    await expectError('/cdn-cgi/image/width=100/errors/truncated.jpg', 422, 'corrupt_image');
  });

  test('a PNG claiming 100000×100000 is 413 too_large', async () => {
    await expectError('/cdn-cgi/image/width=100/errors/huge.png', 413, 'too_large');
  });

  test('an original over MAX_ORIGINAL_BYTES is 413 too_large', async () => {
    const { body } = await expectError('/cdn-cgi/image/width=100/photos/kleiber.jpg', 413, 'too_large');
    assert.match(body.error.message, /limit for transforms is 1000000/); // the Worker's check, not the core's
  });

  test('a wrong method on a transform URL is 405 with Allow', async () => {
    const { headers } = await expectError('/cdn-cgi/image/width=100/photos/fossa.jpg', 405, 'method_not_allowed', {
      method: 'POST',
    });
    assert.equal(headers.get('Allow'), 'GET, HEAD, OPTIONS');
  });

  test('HEAD of an error keeps the status and sends no body', async () => {
    const { status, bytes } = await fetchBytes(worker.baseUrl, '/cdn-cgi/image/width=100/errors/truncated.jpg', {
      method: 'HEAD',
    });
    assert.equal(status, 422);
    assert.equal(bytes.length, 0);
  });

  test('after all of that, a valid transform still works', async () => {
    const { status, headers } = await fetchBytes(worker.baseUrl, '/cdn-cgi/image/width=64,format=webp/photos/fossa.jpg');
    assert.equal(status, 200);
    assert.equal(headers.get('Content-Type'), 'image/webp');
  });
});
