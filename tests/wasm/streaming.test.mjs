// The JS side's copies taken out: an input of known size streams chunk by chunk straight into the module's memory
// ({ body, size }), and toBody gets the output as a view into it, so neither is ever whole in the JS heap. Answers
// are byte for byte those of plain Uint8Array calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createCore } from '../../wasm/node.js';
import { fixture } from '../support/golden.mjs';

const compiled = WebAssembly.compile(await readFile(new URL('../../wasm/edgepix.wasm', import.meta.url)));
const core = createCore(() => compiled);
const input = fixture('photo-1200.jpg');
const OPTIONS = 'width=400,format=webp';
const reference = (await core.transform(input, OPTIONS)).bytes;

function chunked(bytes, chunkSize = 16 * 1024) {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

test('a streamed input gives the same bytes as the whole buffer, through transform and decide/run', async () => {
  assert.deepEqual((await core.transform({ body: chunked(input), size: input.length }, OPTIONS)).bytes, reference);
  const decision = await core.decide(OPTIONS);
  assert.deepEqual((await decision.run({ body: chunked(input, 1000), size: input.length })).bytes, reference);
});

test('a stream longer or shorter than its size is corrupt_image (422), and the stream is cancelled', async () => {
  let cancelled = false;
  const longer = new ReadableStream({
    pull: (controller) => controller.enqueue(new Uint8Array(64 * 1024)),
    cancel: () => { cancelled = true; },
  });
  await assert.rejects(core.transform({ body: longer, size: 1000 }, OPTIONS), { code: 'corrupt_image', status: 422 });
  assert.ok(cancelled);
  await assert.rejects(core.transform({ body: chunked(input), size: input.length + 1 }, OPTIONS),
    { code: 'corrupt_image', status: 422, message: /ended after/ });
  assert.deepEqual((await core.transform(input, OPTIONS)).bytes, reference, 'the instance still answers');
});

test('a stream that fails is internal (500) and leaves the instance serving', async () => {
  const before = await core.counters();
  const failing = new ReadableStream({ pull: (controller) => controller.error(new Error('R2 went away')) });
  await assert.rejects(core.transform({ body: failing, size: 10 }, OPTIONS),
    { code: 'internal', status: 500, message: /R2 went away/ });
  assert.deepEqual(await core.counters(), before,
    'the same instance, untouched (a trap would have dropped it: its counters would start again)');
  assert.deepEqual((await core.transform(input, OPTIONS)).bytes, reference);
});

test('toBody gets the output as a view into wasm memory, once; what it returns is the answer\'s body', async () => {
  let calls = 0;
  const result = await core.transform(input, OPTIONS, {
    toBody: (view) => {
      calls += 1;
      assert.ok(view.buffer instanceof ArrayBuffer && view.byteOffset > 0, 'a view into linear memory');
      return new Response(view); // the Fetch spec copies a BufferSource body
    },
  });
  assert.equal(calls, 1);
  assert.equal(result.bytes, undefined);
  assert.equal(result.contentType, 'image/webp');
  assert.deepEqual(new Uint8Array(await result.body.arrayBuffer()), reference);
  const decision = await core.decide(OPTIONS);
  const run = await decision.run(input, { toBody: (view) => view.slice() });
  assert.deepEqual(run.body, reference);
});
