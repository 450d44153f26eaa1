// Every fit mode through the shipped wasm module (the package's Node entry) against ImageMagick's Lanczos resize
// of the same photograph with the same geometry: the "SSIM ≥ 0.98" bar. The rows live in
// bench/fit-ssim.mjs, which also prints them as the Markdown table for the issue note.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitCases, markdownTable, measureFits } from '../../bench/fit-ssim.mjs';

describe('fit modes against ImageMagick Lanczos (SSIM on luma)', () => {
  let rows;
  before(async () => {
    rows = await measureFits();
    console.log(markdownTable(rows));
  });

  test('every fit mode is measured', () => {
    const modes = new Set(fitCases.map((c) => c.fit));
    assert.deepEqual([...modes].sort(), ['contain', 'cover', 'crop', 'pad', 'scale-down', 'squeeze']);
  });

  for (const [index, c] of fitCases.entries()) {
    test(`fit=${c.fit},${c.options}: ${c.size.join('×')}, SSIM ≥ 0.98`, () => {
      const row = rows[index];
      assert.deepEqual(row.size, c.size, 'output size');
      assert.deepEqual(row.referenceSize, c.size, 'reference size');
      assert.ok(row.ssim >= 0.98, `SSIM ${row.ssim.toFixed(4)}`);
    });
  }
});
