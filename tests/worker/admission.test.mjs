// Admission per isolate (worker/isolate-memory.js), through the real Worker: with a budget of 1 byte only one miss
// is in memory at a time; a few more wait their turn and succeed; past the queue (or its wait) a miss gets 503 with
// Retry-After and the JSON error. Hits and 304s are never held, the isolate keeps serving, and every answer is the
// byte-for-byte output of the package in Node (the original streamed into wasm memory, the output copied once).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { transform } from '../../wasm/node.js';
import { fixture } from '../support/golden.mjs';
import { fetchBytes, startWorker } from './harness.mjs';

const BIG = 'big/photo-12mp.jpg';
const QUEUE_LENGTH = 2;
const VARS = {
  TRANSFORM_MEMORY_BUDGET_BYTES: '1',
  TRANSFORM_QUEUE_LENGTH: String(QUEUE_LENGTH),
  TRANSFORM_QUEUE_WAIT_MS: '60000',
  // A 12 MP miss takes the wasm memory to about 13 MB: every one also recycles the instance.
  WASM_MEMORY_RECYCLE_BYTES: String(8 * 1024 * 1024),
};
const optionsFor = (width) => `width=${width},format=webp`;

describe('admission of transform misses per isolate', () => {
  const input = fixture('photo-12mp.jpg');
  const expected = new Map();
  const expectedFor = async (width) => {
    if (!expected.has(width)) expected.set(width, (await transform(input, optionsFor(width))).bytes);
    return expected.get(width);
  };
  let worker;
  before(async () => {
    worker = await startWorker({ objects: [{ key: BIG, bytes: input, contentType: 'image/jpeg' }], vars: VARS });
  });
  after(() => worker?.stop());
  const get = (width, init) => fetchBytes(worker.baseUrl, `/cdn-cgi/image/${optionsFor(width)}/${BIG}`, init);

  async function assertServed(response, width) {
    assert.equal(response.status, 200, new TextDecoder().decode(response.bytes.slice(0, 300)));
    assert.deepEqual(response.bytes, await expectedFor(width), `width ${width}: not the package's bytes`);
  }
  function assertRefused(response) {
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('Retry-After'), '1');
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    const { error } = JSON.parse(new TextDecoder().decode(response.bytes));
    assert.equal(error.code, 'overloaded');
    assert.match(error.message, /retry/);
  }

  test('concurrent big misses past the budget: some wait and succeed, the rest get 503; hits are never held',
    async () => {
      // A stored variant, for hits during the burst (the cache write runs after the answer: wait for it).
      const cached = 640;
      await assertServed(await get(cached), cached);
      let hit;
      for (let i = 0; i < 50 && hit?.headers.get('X-Edgepix-Cache') !== 'HIT'; i++) hit = await get(cached);
      assert.equal(hit.headers.get('X-Edgepix-Cache'), 'HIT');

      const widths = Array.from({ length: 8 }, (_, i) => 1000 + i);
      const misses = widths.map((width) => get(width));
      const hits = Array.from({ length: 3 }, () => get(cached));
      const notModified = get(cached, { headers: { 'If-None-Match': hit.headers.get('ETag') } });
      const answers = await Promise.all(misses);

      for (const response of await Promise.all(hits)) {
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('X-Edgepix-Cache'), 'HIT');
      }
      assert.equal((await notModified).status, 304);
      const served = answers.filter(({ status }) => status === 200).length;
      const refused = answers.filter(({ status }) => status === 503).length;
      assert.equal(served + refused, widths.length, `statuses ${answers.map(({ status }) => status)}`);
      assert.ok(served >= 1 + QUEUE_LENGTH, `only ${served} served: the queue's misses must wait, then succeed`);
      assert.ok(refused >= 1, 'none refused: the burst never passed the queue');
      for (const [i, response] of answers.entries()) {
        if (response.status === 200) await assertServed(response, widths[i]);
        else assertRefused(response);
      }
      // The isolate lived through it: the next miss is served.
      await assertServed(await get(900), 900);
    });

  test('the wait is bounded: past TRANSFORM_QUEUE_WAIT_MS a waiting miss gets 503 too', async () => {
    await worker.restart({ ...VARS, TRANSFORM_QUEUE_LENGTH: '8', TRANSFORM_QUEUE_WAIT_MS: '1' });
    const widths = Array.from({ length: 4 }, (_, i) => 1100 + i);
    const answers = await Promise.all(widths.map((width) => get(width)));
    const refused = answers.filter(({ status }) => status === 503);
    assert.ok(refused.length >= 1, `statuses ${answers.map(({ status }) => status)}`);
    for (const [i, response] of answers.entries()) {
      if (response.status === 200) await assertServed(response, widths[i]);
      else assertRefused(response);
    }
    await assertServed(await get(901), 901);
  });
});
