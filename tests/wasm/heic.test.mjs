// HEIC through the shipped module, as the Worker runs it: a phone-like grid HEIC (3x2 HEVC tiles from heif-enc,
// irot a quarter turn clockwise, and an EXIF orientation 6 that must then be ignored) comes out upright as a
// 400 px WebP, within 2 levels of libheif's heif-convert decode resized by ImageMagick. A HEIC that heif-enc made
// from a JPEG with EXIF orientation 6 (no irot: the tag is kept, the pixels stored sideways) comes out upright too.
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probe, transform } from '../../wasm/node.js';
import { decodeIndependently, meanRgbDifference } from '../support/decoders.mjs';
import { fixture, fixturesDir } from '../support/golden.mjs';

test('a grid HEIC with irot (and EXIF orientation 6) → upright 400 px WebP, as heif-convert shows it', async () => {
  const input = fixture('heic-grid-irot.heic');
  const info = await probe(input);
  assert.equal(info.format, 'heic');
  assert.deepEqual([info.width, info.height], [750, 1000]);  // upright: irot applied once, EXIF not again

  const out = await transform(input, 'width=400,format=webp');
  assert.equal(out.contentType, 'image/webp');
  assert.deepEqual([out.width, out.height], [400, 533]);
  const ours = decodeIndependently(out.bytes, 'webp');
  assert.deepEqual([ours.width, ours.height], [400, 533]);

  // heif-convert's decode (fixtures.mjs wrote it), resized by ImageMagick to our output's size.
  const reference = execFileSync('/usr/bin/convert', [`${fixturesDir()}/heic-grid-irot.ref.png`, '-resize', '400x533!',
    '-depth', '8', 'ppm:-'], { maxBuffer: 1 << 26 });
  const match = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(reference.subarray(0, 40).toString('latin1'));
  const expected = { width: +match[1], height: +match[2], channels: 3, pixels: reference.subarray(match[0].length) };
  const difference = meanRgbDifference(ours, expected);
  assert.ok(difference <= 2, `mean absolute difference ${difference.toFixed(2)} levels`);
});

// ImageMagick's reading of a file, after its extra arguments, as 8-bit RGB.
function magickRgb(path, ...args) {
  const ppm = execFileSync('/usr/bin/convert', [path, ...args, '-depth', '8', 'ppm:-'], { maxBuffer: 1 << 26 });
  const match = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'));
  return { width: +match[1], height: +match[2], channels: 3, pixels: ppm.subarray(match[0].length) };
}

test('a heif-enc HEIC with EXIF orientation 6 and no irot → upright, as the tag says', async () => {
  const input = fixture('heic-exif-6.heic');
  const info = await probe(input);
  assert.deepEqual([info.width, info.height, info.orientation], [64, 48, 6]);  // upright size, as for a JPEG
  const out = await transform(input, 'format=png');
  const ours = decodeIndependently(out.bytes, 'png');
  // heif-convert writes the stored pixels (48x64) and keeps the tag; ImageMagick turns them as the tag says.
  const expected = magickRgb(`${fixturesDir()}/heic-exif-6.ref.png`, '-rotate', '90');
  assert.deepEqual([ours.width, ours.height], [expected.width, expected.height]);
  const difference = meanRgbDifference(ours, expected);
  // Four flat quadrants with hard edges at 4:2:0: the edges differ between chroma filters (as in heic_test.cpp).
  assert.ok(difference < 4, `mean absolute difference ${difference.toFixed(2)} levels`);
  const kept = await transform(input, 'format=jpeg,metadata=keep');
  assert.equal((await probe(kept.bytes)).orientation, 1);  // the kept EXIF no longer turns the upright pixels
});

test('HEIC is never an output: format=auto answers WebP/JPEG, format=heic is a bad option', async () => {
  const input = fixture('heic-single.heic');
  const auto = await transform(input, 'width=100,format=auto', { accept: 'image/heic,image/webp,*/*' });
  assert.equal(auto.contentType, 'image/webp');
  const plain = await transform(input, 'width=100');
  assert.equal(plain.contentType, 'image/jpeg');
  await assert.rejects(transform(input, 'width=100,format=heic'), (error) => error.code === 'bad_option' && error.status === 400);
  await assert.rejects(transform(fixture('truncated-heic-single.heic'), 'width=100'),
    (error) => error.code === 'corrupt_image' && error.status === 422);
});
