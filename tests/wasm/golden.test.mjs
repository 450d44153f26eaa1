// The golden cases against both wasm builds (clang wasm32-wasi: the shipped module; Emscripten: kept portable),
// checked with independent decoders and against the native build's output for the same case.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore, EdgepixError } from '../../wasm/node.js';
import { decodeIndependently, meanRgbDifference } from '../support/decoders.mjs';
import { fixture, fixturesDir, goldenCases, nativeCli, wasmBuilds } from '../support/golden.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'edgepix-golden-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// The native build's answer for a case, decoded, as the reference the wasm output must match closely.
function nativeReference(c) {
  const out = join(scratch, `${c.name}.${c.format}`);
  execFileSync(nativeCli, ['transform', join(fixturesDir(), c.fixture), out, c.options, c.accept]);
  return decodeIndependently(readFileSync(out), c.format);
}

for (const [label, path] of Object.entries(wasmBuilds)) {
  describe(`golden cases: ${label}`, () => {
    const core = createCore(async () => WebAssembly.compile(readFileSync(path)));
    test('the module exists', () => assert.ok(existsSync(path), `${path} is built by scripts/build`));

    for (const c of goldenCases()) {
      test(`${c.name}: ${c.fixture} ${c.options}`, async () => {
        const input = fixture(c.fixture);
        if (c.status !== 200) {
          await assert.rejects(core.transform(input, c.options, { accept: c.accept }), (error) => {
            assert.ok(error instanceof EdgepixError);
            assert.equal(error.code, c.format);
            assert.equal(error.status, c.status);
            assert.ok(error.message.length > 10);
            return true;
          });
          return;
        }
        const result = await core.transform(input, c.options, { accept: c.accept });
        assert.equal(result.format, c.format);
        assert.equal(result.width, c.width);
        assert.equal(result.height, c.height);
        if (c.format === 'json') {
          assert.equal(result.contentType, 'application/json');
          const described = JSON.parse(new TextDecoder().decode(result.bytes));
          assert.deepEqual([described.width, described.height], [c.width, c.height]);
          assert.equal(described.original.fileSize, input.length);
          return;
        }
        assert.equal(result.contentType, `image/${c.format}`);
        const decoded = decodeIndependently(result.bytes, c.format);
        assert.equal(decoded.width, c.width);
        assert.equal(decoded.height, c.height);
        if (c.fixture === 'photo-108mp.jpg') return; // checked for memory in loader.test.mjs
        if (decoded.frames) {
          assert.equal(decoded.frames, result.frames);
          return; // frames are checked pixel by pixel in the core's animation tests
        }
        const difference = meanRgbDifference(decoded, nativeReference(c));
        assert.ok(difference < 1.5, `mean difference to the native build ${difference.toFixed(3)}`);
      });
    }
  });
}
