// The work budget in the shipped module: a request over its budget fails with over_budget (422) and the same
// instance then answers the next request, byte for byte as an instance that never ran out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createCore } from '../../wasm/node.js';
import { fixture } from '../support/golden.mjs';

const loadModule = async () =>
  WebAssembly.compile(await readFile(new URL('../../wasm/edgepix.wasm', import.meta.url)));

test('a tiny budget answers over_budget, 422; the next call on the same instance succeeds unchanged', async () => {
  const core = createCore(loadModule);
  const input = fixture('photo-1200.jpg');
  const reference = await createCore(loadModule).transform(input, 'width=400,format=webp');
  await assert.rejects(core.transform(input, 'width=400,format=webp', { limits: { budget: 1000 } }),
    (error) => error.code === 'over_budget' && error.status === 422 && /'decode'/.test(error.message));
  const next = await core.transform(input, 'width=400,format=webp');
  assert.deepEqual(next.bytes, reference.bytes);
  // A budget that runs out midway, inside a step's loop: nothing is left behind, the instance answers again.
  const highWaterMark = await core.memoryBytes();
  await assert.rejects(core.transform(input, 'width=400,format=webp', { limits: { budget: 3_000_000 } }),
    (error) => error.code === 'over_budget' && error.status === 422 && !/'decode'/.test(error.message));
  assert.deepEqual((await core.transform(input, 'width=400,format=webp')).bytes, reference.bytes);
  assert.equal(await core.memoryBytes(), highWaterMark);
});
