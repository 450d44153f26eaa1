// JPEG, WebP and PNG in and out are bit-exact between the wasm modules and the native build, where each library runs
// different SIMD code.
// JPEG: natively libjpeg-turbo runs its own x86 SIMD; in wasm our SIMD128 hooks (third_party/simd/jsimd_wasm.c:
// colour conversion, chroma upsampling, quantisation, progressive coefficient preparation) stand in for them.
// libjpeg-turbo's SIMD and C agree exactly, so any difference here is a fault in ours. The cases reach every hook:
// 4:2:2 and 4:2:0 sources at full and scaled size (h2v1 and h2v2 upsampling, YCbCr to RGB), JPEG to JPEG (YCbCr
// kept: the planes' interleave), odd widths (the scalar tails), progressive output (first and refinement scans),
// baseline output, grey.
// PNG: natively and in the shipped module libpng runs its SSE2 row filters (in wasm through Emscripten's SSE
// headers, third_party/patches/libpng-wasm-sse2-filters.patch), in the Emscripten module its C ones.
// WebP: libwebp's SSE2/SSE4.1 code reaches wasm through Emscripten's SSE headers, with our wasm-only changes
// (third_party/patches/libwebp-wasm-simd128.patch: the transforms' constant multiplies, the quantiser's products,
// the flatness count). An encoder whose reconstruction drifted from the decoder's would show here too. The cases:
// lossy encodes at low, middle and high quality (every quantiser range; flat and busy blocks), with alpha, and
// decoding lossy WebP (the decoder's inverse transform), with and without alpha.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../wasm/core.js';
import { fixture, fixturesDir, nativeCli, wasmBuilds } from '../support/golden.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'edgepix-parity-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function native(inputPath, options) {
  const out = join(scratch, 'native.out');
  execFileSync(nativeCli, ['transform', inputPath, out, options]);
  return readFileSync(out);
}

// A 4:2:0 JPEG (what our encoder writes) with an odd width and height, made by the native build.
function made420() {
  const path = join(scratch, 'made-420.jpg');
  writeFileSync(path, native(join(fixturesDir(), 'photo-1200.jpg'), 'width=1001,format=jpeg,quality=92'));
  return path;
}

const cases = [
  // 4:2:2 source (photo-1200.jpg): full-size decode to RGB (h2v1 upsampling, YCbCr -> RGB) and a scaled one.
  ['photo-1200.jpg', 'format=png'],
  ['photo-1200.jpg', 'width=450,format=png'],
  // JPEG -> JPEG: YCbCr through resize into the encoder's planes; progressive first and refinement scans.
  ['photo-1200.jpg', 'width=701,format=jpeg'],
  ['photo-1200.jpg', 'width=333,format=jpeg,quality=30'],
  ['photo-1200-progressive.jpg', 'width=1200,format=jpeg,quality=95'],
  ['photo-1200.jpg', 'width=640,format=baseline-jpeg'],
  // RGB into the encoder (a PNG source), and grey.
  ['alpha.png', 'width=257,format=jpeg'],
  ['photo-gray.jpg', 'width=301,format=jpeg'],
  // 4:2:0 source, odd sizes: h2v2 upsampling at full size, and at 1/2.
  [made420, 'format=png'],
  [made420, 'width=501,format=png'],
  [made420, 'width=900,format=jpeg,quality=70'],
  // WebP out: a photo at three qualities (q20 quantises hard: most blocks flat), and RGBA.
  ['photo-1200.jpg', 'width=640,format=webp,quality=20'],
  ['photo-1200.jpg', 'width=801,format=webp,quality=80'],
  ['photo-1200.jpg', 'width=1200,format=webp,quality=97'],
  ['cutout-2mp.png', 'width=401,format=webp,quality=85'],
  // WebP in: lossy decoding, without and with alpha.
  ['lossy.webp', 'format=png'],
  ['alpha.webp', 'format=png'],
  // PNG in: libpng's SSE2 row filters (sub, avg, paeth) on 3- and 4-byte pixels; the rows of these files use
  // all of them.
  ['resize-source.png', 'width=399,format=png'],
  ['cutout-2mp.png', 'width=1599,format=png'],
];

for (const [label, path] of Object.entries(wasmBuilds)) {
  describe(`JPEG, WebP and PNG bit-exact with the native build: ${label}`, () => {
    const core = createCore(async () => WebAssembly.compile(readFileSync(path)));
    for (const [source, options] of cases) {
      const name = typeof source === 'string' ? source : 'a 4:2:0 JPEG, 1001 px';
      test(`${name} ${options}`, async () => {
        const inputPath = typeof source === 'string' ? join(fixturesDir(), source) : source();
        const input = typeof source === 'string' ? fixture(source) : readFileSync(inputPath);
        const expected = native(inputPath, options);
        const { bytes } = await core.transform(input, options);
        const actual = Buffer.from(bytes);
        assert.equal(actual.length, expected.length, 'same size as the native output');
        assert.ok(actual.equals(expected), 'same bytes as the native output');
      });
    }
  });
}
