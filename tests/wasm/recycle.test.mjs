// Memory given back: an instance whose linear memory grew past memoryRecycleBytes is dropped once no call uses it,
// and the next call runs on a fresh one from the same compiled module — or, while the engine has not collected the
// dropped one yet, takes it back rather than holding two. Answers stay byte for byte those of an instance that is
// never recycled, including for calls in flight at once while it happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createCore } from '../../wasm/node.js';
import { fixture } from '../support/golden.mjs';

const compiled = WebAssembly.compile(await readFile(new URL('../../wasm/edgepix.wasm', import.meta.url)));
const loadModule = () => compiled;
const MB = 1024 * 1024;
// A 12 MP JPEG to 1000 px WebP takes the memory to about 13 MB; a 1 MP one to 400 px stays near 4 MB.
const THRESHOLD = 8 * MB;
const big = { input: fixture('photo-12mp.jpg'), options: 'width=1000,format=webp' };
const small = { input: fixture('photo-1200.jpg'), options: 'width=400,format=jpeg' };

const never = createCore(loadModule, { memoryRecycleBytes: 0 });
const reference = {
  big: (await never.transform(big.input, big.options)).bytes,
  small: (await never.transform(small.input, small.options)).bytes,
};

// The bytes as a stream of `chunkSize` pieces, each a macrotask later: calls in flight interleave between them.
function slowStream(bytes, chunkSize = 64 * 1024) {
  let offset = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}
const streamed = (bytes, size = bytes.length) => ({ body: slowStream(bytes), size });

// A full collection, as the engine would make under memory pressure. A WeakRef's target outlives the task that
// last read it, hence the turn of the event loop first.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
async function collect() {
  await new Promise((resolve) => setTimeout(resolve, 0));
  collectGarbage();
}

test('a big transform past the threshold: the next call runs on a fresh instance, with the same bytes', async () => {
  const core = createCore(loadModule, { memoryRecycleBytes: THRESHOLD });
  const baseline = await core.memoryBytes();
  assert.deepEqual((await core.transform(small.input, small.options)).bytes, reference.small);
  assert.equal(core.memoryStats().recycles, 0, 'a small transform stays under the threshold');

  assert.deepEqual((await core.transform(big.input, big.options)).bytes, reference.big);
  const afterBig = core.memoryStats();
  assert.equal(afterBig.recycles, 1);
  assert.equal(afterBig.bytes, 0, 'no instance is in use after the recycle');
  assert.ok(afterBig.peakBytes > THRESHOLD, `peak ${afterBig.peakBytes}`);
  await collect();
  assert.equal(await core.memoryBytes(), baseline, 'the new instance starts at the baseline');
  assert.equal(core.memoryStats().reused, 0);

  assert.deepEqual((await core.transform(small.input, small.options)).bytes, reference.small);
  assert.deepEqual(await core.counters(), { optionsParsed: 1, negotiated: 1, decoded: 1 }, 'the fresh instance\'s');
  assert.deepEqual((await core.transform(big.input, big.options)).bytes, reference.big);
  assert.equal(core.memoryStats().recycles, 2);
});

test('a dropped instance the engine has not collected yet is taken back, not doubled', async () => {
  const core = createCore(loadModule, { memoryRecycleBytes: THRESHOLD });
  const decision = await core.decide(small.options); // holds the instance: it cannot be collected
  assert.deepEqual((await core.transform(big.input, big.options)).bytes, reference.big);
  assert.equal(core.memoryStats().recycles, 1);
  assert.deepEqual((await decision.run(small.input)).bytes, reference.small);
  assert.equal(core.memoryStats().reused, 1);
  // The same instance, which still had the decision (no second decide on a new one): one parse for the decision,
  // one for big. (Still past the threshold: dropped again after each call, and taken back again while held.)
  assert.equal((await core.counters()).optionsParsed, 2);
  assert.equal(core.memoryStats().recycles, 3);
});

test('concurrent calls while instances are recycled all answer right', async () => {
  const core = createCore(loadModule, { memoryRecycleBytes: THRESHOLD });
  // Streamed inputs keep calls in flight across awaits, so each recycle happens with others waiting to run.
  const jobs = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 'big' : 'small'));
  const decisions = await Promise.all(jobs.map((kind) => core.decide(kind === 'big' ? big.options : small.options)));
  const results = await Promise.all(jobs.map((kind, i) => {
    const { input } = kind === 'big' ? big : small;
    return i % 2 ? decisions[i].run(streamed(input)) : decisions[i].run(input);
  }));
  results.forEach(({ bytes }, i) => assert.deepEqual(bytes, reference[jobs[i]], `job ${i} (${jobs[i]})`));
  assert.ok(core.memoryStats().recycles >= 1, JSON.stringify(core.memoryStats()));
  // Decisions made on a recycled instance still run: they decide again on the new one.
  const early = await core.decide(small.options);
  await core.transform(big.input, big.options);
  assert.deepEqual((await early.run(small.input)).bytes, reference.small);
  early.release();
});

test('an instance is not dropped while a call is still streaming its input in', async () => {
  const core = createCore(loadModule, { memoryRecycleBytes: THRESHOLD });
  const slow = core.transform(streamed(small.input), small.options); // leases the instance for many macrotasks
  await new Promise((resolve) => setTimeout(resolve, 0));
  const bigResult = await core.transform(big.input, big.options);
  assert.equal(core.memoryStats().recycles, 0, 'the big call ended while the streaming one still held the instance');
  assert.deepEqual(bigResult.bytes, reference.big);
  assert.deepEqual((await slow).bytes, reference.small);
  assert.equal(core.memoryStats().recycles, 1, 'dropped when the last call left it');
});

test('configure() changes the threshold; 0 never recycles', async () => {
  const core = createCore(loadModule, { memoryRecycleBytes: 0 });
  await core.transform(big.input, big.options);
  assert.equal(core.memoryStats().recycles, 0);
  core.configure({ memoryRecycleBytes: THRESHOLD });
  await core.transform(small.input, small.options); // the instance is still past it from before: dropped now
  assert.equal(core.memoryStats().recycles, 1);
  assert.throws(() => core.configure({ memoryRecycleBytes: -1 }), TypeError);
});
