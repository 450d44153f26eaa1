// Nothing bad stored, nothing good lost: the upload gate's refusals (exact status and code, nothing written), the
// streaming size limit, and a failure between an upload's two writes (no half image: not served, not listed, no
// bytes left after the sweep), against real workerd, local R2 and KV.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeIndependently } from '../support/decoders.mjs';
import { TEST_ADMIN_TOKEN, adminCall, drawnJpeg, fetchBytes, startWorker } from './harness.mjs';

const FIXTURES = process.env.EDGEPIX_FIXTURES;
const fixture = (name) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const MAX_UPLOAD_BYTES = 2_000_000;
const PHOTO = drawnJpeg(640, 480, 'darkorange');

/** The files local R2 holds for its objects' bodies (miniflare keeps one blob file per stored body). */
function r2BlobCount(workDir) {
  const root = path.join(workDir, 'state', 'v3', 'r2');
  let count = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (dir.split(path.sep).includes('blobs')) count += 1;
    }
  };
  try {
    walk(root);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  return count;
}

describe('uploads: the gate and the two-phase store', () => {
  let worker;
  before(async () => {
    worker = await startWorker({ seed: false, vars: {
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      SWEEP_MIN_AGE_SECONDS: '0',
    } });
  });
  after(() => worker?.stop());
  const admin = (method, urlPath, body, options) => adminCall(worker.baseUrl, method, urlPath, body, options);

  async function assertNothingKept(id, blobsBefore) {
    assert.equal((await admin('GET', `/admin/images/${id}`)).status, 404);
    assert.equal((await fetchBytes(worker.baseUrl, `/images/${id}/public`)).status, 404);
    assert.equal(r2BlobCount(worker.workDir), blobsBefore, 'R2 holds no bytes of the refused upload');
  }

  test('an upload is stored byte-identical and served', async () => {
    const put = await admin('PUT', '/admin/images/kept', PHOTO);
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.match(put.body.source.key, /^admin\/images\/kept\/[0-9a-f-]{36}$/);
    await admin('PUT', '/admin/variants/public', { options: 'width=200' });
    const served = await fetchBytes(worker.baseUrl, '/images/kept/public');
    assert.equal(served.status, 200);
    const decoded = await decodeIndependently(served.bytes, 'jpeg');
    assert.equal(decoded.width, 200);
    assert.equal(decoded.height, 150);
  });

  for (const [name, bytes, status, code] of [
    ['HTML named .jpg', () => new TextEncoder().encode('<!doctype html><html><body>not a photo</body></html>'),
      415, 'unsupported_format'],
    ['a header bomb (100000×100000 PNG header)', () => fixture('bomb-100000.png'), 413, 'too_large'],
    ['a truncated JPEG', () => PHOTO.subarray(0, Math.floor(PHOTO.length * 0.6)), 422, 'corrupt_image'],
    ['a truncated PNG', () => { const png = fixture('pattern.png'); return png.subarray(0, png.length - 40); },
      422, 'corrupt_image'],
    ['an empty body', () => new Uint8Array(0), 400, 'bad_request'],
  ]) {
    test(`${name}: ${status} ${code}, nothing stored`, async () => {
      const blobs = r2BlobCount(worker.workDir);
      const answer = await admin('PUT', '/admin/images/refused', bytes(), { headers: { 'Content-Type': 'image/jpeg' } });
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, code);
      await assertNothingKept('refused', blobs);
    });
  }

  test('an oversized body streamed without Content-Length: 413 before the rest is read', { timeout: 120_000 }, async () => {
    const blobs = r2BlobCount(worker.workDir);
    const total = 64 * 1024 * 1024;
    // The Worker closes the connection once it has answered; now and then the reset beats the answer to the client
    // (more often on a loaded machine), so a reset is retried: the answer itself must be 413 when it arrives.
    let attempt;
    for (let tries = 0; tries < 20 && !attempt?.status; tries += 1) {
      attempt = await streamUpload(new URL('/admin/images/huge', worker.baseUrl), total);
    }
    const { status, body, sent } = attempt;
    assert.equal(status, 413);
    assert.equal(body.error.code, 'too_large');
    assert.ok(sent < total / 4, `the Worker stopped reading early (${sent} of ${total} bytes were sent)`);
    await assertNothingKept('huge', blobs);
  });

  test('a declared Content-Length over the limit: 413 at once', async () => {
    const answer = await admin('PUT', '/admin/images/declared', new Uint8Array(MAX_UPLOAD_BYTES + 1));
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error.code, 'too_large');
  });

  test('a replace that fails between its writes keeps the previous image whole', async () => {
    // The record write fails (EDGEPIX_DEBUG_STORE_FAULT=record): the client gets 503, the old image stays served.
    await worker.restart({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, EDGEPIX_DEBUG_STORE_FAULT: 'record' });
    const blobs = r2BlobCount(worker.workDir);
    const before = (await admin('GET', '/admin/images/kept')).body;
    const failed = await admin('PUT', '/admin/images/kept', drawnJpeg(300, 300, 'navy'));
    assert.equal(failed.status, 503, JSON.stringify(failed.body));
    assert.equal(failed.body.error.code, 'storage_failed');
    assert.deepEqual((await admin('GET', '/admin/images/kept')).body, before);
    assert.equal(r2BlobCount(worker.workDir), blobs, 'the new bytes were removed');
    const served = await fetchBytes(worker.baseUrl, '/images/kept/public');
    assert.equal((await decodeIndependently(served.bytes, 'jpeg')).height, 150, 'still the 640×480 original');

    const fresh = await admin('PUT', '/admin/images/never', PHOTO);
    assert.equal(fresh.status, 503);
    await assertNothingKept('never', blobs);
  });

  test('a Worker dying between the two writes leaves orphan bytes that the sweep removes', async () => {
    await worker.restart({ ADMIN_TOKEN: TEST_ADMIN_TOKEN, EDGEPIX_DEBUG_STORE_FAULT: 'record-and-cleanup',
      SWEEP_MIN_AGE_SECONDS: '0' });
    const blobs = r2BlobCount(worker.workDir);
    const failed = await admin('PUT', '/admin/images/orphan', PHOTO);
    assert.equal(failed.status, 503);
    assert.equal(r2BlobCount(worker.workDir), blobs + 1, 'the orphan bytes are in R2');
    assert.equal((await admin('GET', '/admin/images/orphan')).status, 404, 'never listed or served');
    assert.equal((await fetchBytes(worker.baseUrl, '/images/orphan/public')).status, 404);

    const swept = await fetchBytes(worker.baseUrl, '/__scheduled?cron=23+*+*+*+*');
    assert.equal(swept.status, 200);
    await waitFor(() => r2BlobCount(worker.workDir) === blobs, 'the sweep removed the orphan');
    const kept = await fetchBytes(worker.baseUrl, '/images/kept/public');
    assert.equal(kept.status, 200, 'the sweep left referenced bytes alone');
  });
});

/**
 * PUTs `total` bytes in chunks with no Content-Length, writing only as fast as the server reads, and stops writing
 * once the answer arrives. Resolves { status, body, sent }. (fetch would fail the whole call when the server stops
 * reading a body early, even though its answer has arrived.)
 */
function streamUpload(url, total) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x42);
    let sent = 0;
    let answered = false;
    const request = http.request(url, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'image/jpeg' },
    }, (response) => {
      answered = true;
      let text = '';
      // A reset can also cut the answer short: then it is retried like a reset before it (status 0), never left
      // pending. A whole answer that is not JSON is kept as text, for the assertions to show.
      response.on('aborted', () => resolve({ status: 0, body: null, sent }));
      response.on('error', () => resolve({ status: 0, body: null, sent }));
      response.setEncoding('utf8').on('data', (part) => { text += part; }).on('end', () => {
        request.destroy();
        let body = text;
        try { body = JSON.parse(text); } catch { /* kept as text */ }
        // wrangler dev's proxy, not the Worker, sometimes answers such a cut request with a plain-text 503 ("restarted
        // mid-request"): retried like a reset. The Worker's own answers are JSON.
        const fromDevProxy = response.statusCode === 503 && typeof body === 'string';
        resolve({ status: fromDevProxy ? 0 : response.statusCode, body, sent });
      });
    });
    request.on('error', (err) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || answered) resolve({ status: 0, body: null, sent });
      else reject(err);
    });
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return request.once('drain', write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

async function waitFor(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
