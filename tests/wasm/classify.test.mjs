// classify() and placeholder() through the shipped module: the placeholder hashes decode with their own public
// packages (thumbhash, blurhash) to the image's mean colour within 6 levels (the mean measured independently, by
// ImageMagick's box average); the placeholder PNG is what /usr/bin/identify says; the gate's errors; format=json's
// features.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thumbHashToRGBA } from 'thumbhash';
import { decode as decodeBlurhash } from 'blurhash';
import { classify, placeholder, transform } from '../../wasm/node.js';
import { fixture, fixturesDir } from '../support/golden.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'edgepix-classify-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// ImageMagick's mean colour of the file: every pixel averaged into one. -scale is a box average; -resize 1x1!
// weights the centre (its filter), 7 to 11 levels off the mean on an off-centre subject (Picture_0B).
function imageMean(path) {
  const ppm = execFileSync('/usr/bin/convert', [path, '-scale', '1x1!', '-depth', '8', 'ppm:-']);
  return [...ppm.subarray(ppm.length - 3)];
}

function meanOf(rgba) {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgba.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += rgba[i + c];
  return sum.map((s) => s / (rgba.length / 4));
}

const furthest = (a, b) => Math.max(...a.map((v, c) => Math.abs(v - b[c])));

// Real photos: the fixtures' photograph (and its 64-colour palette version) and Debian's wallpapers, but for the one
// that is over the transform memory limit (a progressive 33 MP JPEG: too_large, as its transforms are).
const BACKGROUNDS = '/usr/share/backgrounds';
const OVER_LIMITS = 'Infinite-Sea_by_Aury88.jpg';
const photos = [`${fixturesDir()}/photo-1200.jpg`, `${fixturesDir()}/palette.png`,
  ...readdirSync(BACKGROUNDS).filter((name) => name.endsWith('.jpg') && name !== OVER_LIMITS).sort()
    .map((name) => `${BACKGROUNDS}/${name}`)];

test('ThumbHash and BlurHash decode (npm thumbhash, blurhash) to the image mean within 6 levels', async () => {
  for (const path of photos) {
    const features = await classify(readFileSync(path));
    const expected = imageMean(path);
    const thumb = thumbHashToRGBA(Uint8Array.from(Buffer.from(features.thumbhash, 'base64')));
    const thumbMean = meanOf(thumb.rgba);
    const blur = meanOf(decodeBlurhash(features.blurhash, 32, 32));
    console.log(`${path.split('/').pop()}: image ${expected} thumbhash ${thumbMean.map(Math.round)} ` +
      `blurhash ${blur.map(Math.round)}`);
    assert.ok(furthest(thumbMean, expected) <= 6, `${path}: thumbhash mean ${thumbMean} vs ${expected}`);
    assert.ok(furthest(blur, expected) <= 6, `${path}: blurhash mean ${blur} vs ${expected}`);
  }
});

test('the features of a photo, an alpha PNG and an animated GIF', async () => {
  const photo = await classify(fixture('photo-1200.jpg'));
  assert.deepEqual(Object.keys(photo), ['format', 'width', 'height', 'animated', 'frames', 'alpha', 'dominantColors',
    'thumbhash', 'blurhash', 'phash', 'sharpness', 'exposure', 'photo', 'exif']);
  assert.deepEqual([photo.format, photo.width, photo.height, photo.animated, photo.frames, photo.alpha],
    ['jpeg', 1200, 900, false, 1, false]);
  assert.match(photo.phash, /^[0-9a-f]{16}$/);
  assert.match(photo.thumbhash, /^[A-Za-z0-9+/]+=*$/);
  assert.ok(photo.dominantColors.length >= 1 && photo.dominantColors.length <= 5);
  assert.ok(photo.dominantColors.reduce((sum, { share }) => sum + share, 0) <= 1.0001);
  for (const { hex } of photo.dominantColors) assert.match(hex, /^#[0-9a-f]{6}$/);
  assert.ok(photo.photo > 0.7, `photo score ${photo.photo}`);
  assert.deepEqual(photo.exif, { gps: false, cameraModel: null, captureDate: null });
  const alpha = await classify(fixture('alpha.png'));
  assert.equal(alpha.alpha, true);
  const gif = await classify(fixture('animated.gif'));
  assert.equal(gif.animated, true);
  assert.ok(gif.frames > 1);
  for (const [name, features] of [['photo-1200.jpg', photo], ['alpha.png', alpha], ['animated.gif', gif]])
    console.log(`${name}: ${JSON.stringify(features)}`);
});

test('placeholder(): a PNG of at most 32 px in the hash aspect, as identify reads it; a bad hash is bad_option',
  async () => {
    const { thumbhash } = await classify(fixture('photo-1200.jpg'));
    const png = await placeholder(thumbhash);
    assert.deepEqual([png.width, png.height], [32, 23]);
    const path = join(scratch, 'placeholder.png');
    writeFileSync(path, png.bytes);
    assert.equal(execFileSync('/usr/bin/identify', ['-format', '%m %w %h', path], { encoding: 'utf8' }), 'PNG 32 23');
    const decoded = thumbHashToRGBA(Uint8Array.from(Buffer.from(thumbhash, 'base64')));
    assert.deepEqual([decoded.w, decoded.h], [png.width, png.height]);
    await assert.rejects(placeholder('not a hash!'), { code: 'bad_option', status: 400 });
    await assert.rejects(placeholder('AAE='), { code: 'bad_option', status: 400 });
  });

test('the gate: truncated data is corrupt_image, a non-image unsupported_format, a header bomb too_large', async () => {
  await assert.rejects(classify(fixture('truncated-photo-1200.jpg')), { code: 'corrupt_image', status: 422 });
  await assert.rejects(classify(fixture('truncated-photo-1200-progressive.jpg')), { code: 'corrupt_image' });
  await assert.rejects(classify(fixture('not-an-image.txt')), { code: 'unsupported_format', status: 415 });
  await assert.rejects(classify(fixture('bomb-100000.png')), { code: 'too_large', status: 413 });
});

test('format=json carries the source features, beside the fields it had', async () => {
  const input = fixture('photo-1200.jpg');
  const out = await transform(input, 'width=300,format=json');
  const body = JSON.parse(new TextDecoder().decode(out.bytes));
  assert.deepEqual([body.width, body.height, body.original.width, body.original.format], [300, 225, 1200, 'image/jpeg']);
  assert.deepEqual(body.features, await classify(input));
});
