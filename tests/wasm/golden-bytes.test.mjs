// Every golden case's output bytes, wasm and native, against the digests recorded in tests/golden/sha256.tsv:
// refactors must not change a byte. A change meant to change outputs re-records the table (see the script).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goldenCases } from '../support/golden.mjs';
import { goldenDigests, readDigestTable } from '../support/golden-digests.mjs';

test('golden outputs are byte-identical to the recorded digests', async () => {
  const recorded = readDigestTable();
  const current = await goldenDigests();
  assert.equal(current.length, goldenCases().filter((c) => c.status === 200).length);
  assert.ok(current.length > 40, 'the table covers the golden cases');
  const changed = current.filter((row) => {
    const want = recorded.get(row.name);
    return !want || want.wasm !== row.wasm || want.native !== row.native;
  }).map((row) => row.name);
  assert.deepEqual(changed, [], `outputs differ from tests/golden/sha256.tsv for: ${changed.join(', ')}`);
  assert.equal(recorded.size, current.length, 'every recorded case is still a golden case');
});
