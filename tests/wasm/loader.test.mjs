// The npm package's Node entry: API shape, errors, memory behaviour of the shipped module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  counters, createCore, decide, EdgepixError, memoryBytes, plan, probe, transform,
} from '../../wasm/node.js';
import { decodeIndependently } from '../support/decoders.mjs';
import { fixture } from '../support/golden.mjs';

test('transform answers bytes, type, size and the negotiation', async () => {
  const result = await transform(fixture('photo-1200.jpg'), 'width=400,format=auto', { accept: 'image/webp,*/*' });
  assert.equal(result.contentType, 'image/webp');
  assert.equal(result.varyAccept, true);
  assert.match(result.cacheKey, /^v\d+\.\d+\.\d+,w=400,.*f=webp$/);
  const decoded = decodeIndependently(result.bytes, 'webp');
  assert.deepEqual([decoded.width, decoded.height], [400, 300]);
});

test('inputs may be a Uint8Array, an ArrayBuffer or a Node Buffer', async () => {
  const buffer = fixture('pattern.png');
  const copy = new Uint8Array(buffer);
  for (const input of [buffer, copy, copy.buffer]) assert.equal((await probe(input)).width, 64);
  await assert.rejects(probe('not bytes'), TypeError);
});

test('plan normalises without an image and throws EdgepixError on bad options', async () => {
  assert.deepEqual(await plan('w=400,f=auto', { accept: 'image/webp' }), await plan('width=400,format=auto', {
    accept: 'image/avif;q=0,image/webp;q=0.9,*/*' }));
  assert.deepEqual(await plan('width=400,format=auto', { accept: 'image/avif,image/webp,*/*' }),
    await plan('width=400,format=auto', { accept: 'image/avif' }));
  await assert.rejects(plan('width=huge'), (error) => error instanceof EdgepixError && error.status === 400 &&
    error.code === 'bad_option' && /width/.test(error.message));
});

test('decide once, run once: the same bytes as transform, counted once', async () => {
  const input = fixture('photo-1200.jpg');
  const before = await counters();
  const decision = await decide('width=300,format=auto', { accept: 'image/webp' });
  assert.match(decision.cacheKey, /f=webp$/);
  assert.deepEqual(decision.vary, ['Accept']);
  const result = await decision.run(input);
  const after = await counters();
  assert.deepEqual([after.optionsParsed - before.optionsParsed, after.negotiated - before.negotiated,
    after.decoded - before.decoded], [1, 1, 1]);
  assert.equal(result.cacheKey, decision.cacheKey);
  assert.deepEqual(result.bytes, (await transform(input, 'width=300,format=auto', { accept: 'image/webp' })).bytes);
  await assert.rejects(decision.run(input), TypeError);
  decision.release(); // after a run: nothing left to free

  const released = await decide('width=300');
  released.release();
  released.release();
  await assert.rejects(released.run(input), TypeError);
  assert.equal((await counters()).decoded, after.decoded + 1); // the one transform above, nothing more
});

test('options may be the Images binding shapes, with limits from the host', async () => {
  const input = fixture('photo-1200.jpg');
  const binding = await transform(input, { transform: { width: 300, fit: 'cover', height: 300 },
    output: { format: 'image/webp', quality: 70 } });
  const url = await transform(input, 'width=300,height=300,fit=cover,format=webp,quality=70');
  assert.equal(binding.cacheKey, url.cacheKey);
  assert.deepEqual(binding.bytes, url.bytes);
  await assert.rejects(transform(input, 'width=300', { limits: { maxSourcePixels: 1000 } }),
    { code: 'too_large', status: 413 });
  await assert.rejects(transform(input, 'width=300', { limits: { maxSourcePixels: 1e12 } }),
    { code: 'bad_option', status: 400 });
  await assert.rejects(transform(input, { transform: { zoom: 2 } }), /zoom/);
});

test('a decision outlives an instance rebuilt after a trap: its run decides again on the new one', async () => {
  const { readFile } = await import('node:fs/promises');
  const core = createCore(async () => WebAssembly.compile(await readFile(new URL('../../wasm/edgepix.wasm', import.meta.url))));
  const decision = await core.decide('width=40');
  // A failure the glue cannot classify drops the instance, as a trap does.
  class Unreadable extends Uint8Array {
    get length() { throw new Error('unreadable'); }
  }
  await assert.rejects(core.probe(new Unreadable(4)), { code: 'internal' });
  const result = await decision.run(fixture('photo-1200.jpg'));
  assert.equal(result.width, 40);
  assert.deepEqual(await core.counters(), { optionsParsed: 1, negotiated: 1, decoded: 1 }); // the new instance's
});

test('a 108 MP JPEG resizes to 1000 px with under 128 MB of wasm memory', async () => {
  const result = await transform(fixture('photo-108mp.jpg'), 'width=1000');
  assert.deepEqual([result.width, result.height], [1000, 750]);
  const peak = await memoryBytes();
  assert.ok(peak < 128 * 1024 * 1024, `wasm memory ${peak} bytes`);
});

test('repeated calls do not grow memory past the high-water mark', async () => {
  const input = fixture('photo-12mp.jpg');
  await transform(input, 'width=1000,format=webp');
  const afterFirst = await memoryBytes();
  for (let i = 0; i < 4; i++) await transform(input, 'width=1000,format=webp');
  for (let i = 0; i < 4; i++) await assert.rejects(transform(fixture('truncated-photo-1200.jpg'), 'width=100'));
  assert.equal(await memoryBytes(), afterFirst);
});

test('AVIF in and out in wasm: decodes with avifdec, memory stays at its high-water mark', async () => {
  const input = fixture('photo-12mp.jpg');
  const first = await transform(input, 'width=1000,format=avif');
  assert.equal(first.contentType, 'image/avif');
  const decoded = decodeIndependently(first.bytes, 'avif');
  assert.deepEqual([decoded.width, decoded.height], [1000, 750]);
  const afterFirst = await memoryBytes();
  assert.ok(afterFirst < 48 * 1024 * 1024, `wasm memory ${afterFirst} bytes`);
  for (let i = 0; i < 3; i++) await transform(input, 'width=1000,format=avif');
  for (const name of ['truncated-photo-1200.avif', 'corrupt-photo-1200.avif'])
    await assert.rejects(transform(fixture(name), 'width=100'), { code: 'corrupt_image', status: 422 });
  const back = await transform(first.bytes, 'width=500,format=png');
  assert.deepEqual([back.width, back.height], [500, 375]);
  assert.equal(await memoryBytes(), afterFirst);
});

test('errors leave the instance usable: sjlj recovery inside libjpeg and libpng', async () => {
  for (const name of ['truncated-photo-1200.jpg', 'corrupt-scan.jpg', 'corrupt.png', 'truncated-alpha.png']) {
    await assert.rejects(transform(fixture(name), 'width=100'), { code: 'corrupt_image', status: 422 });
    const ok = await transform(fixture('alpha.png'), 'width=50');
    assert.equal(ok.width, 50);
  }
});

test('a module that fails to load is an EdgepixError, and the next call loads it again', async () => {
  const { readFile } = await import('node:fs/promises');
  let attempts = 0;
  const core = createCore(async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('network down');
    return WebAssembly.compile(await readFile(new URL('../../wasm/edgepix.wasm', import.meta.url)));
  });
  await assert.rejects(core.probe(fixture('pattern.png')), { code: 'internal', status: 500 });
  assert.equal((await core.probe(fixture('pattern.png'))).width, 64);
  assert.equal(attempts, 2);
});

test('request headers: client hints resolve width=auto, vary names what changed the answer', async () => {
  const headers = new Headers({ Accept: 'image/webp,*/*', 'Sec-CH-Width': '500', 'User-Agent': 'test' });
  const result = await transform(fixture('photo-1200.jpg'), 'width=auto,format=auto', { headers });
  assert.equal(result.width, 640); // 500 rounded up to a width bucket
  assert.equal(result.format, 'webp');
  assert.deepEqual(result.vary, ['Accept', 'Sec-CH-Width', 'Sec-CH-Viewport-Width', 'Sec-CH-DPR']);
  assert.match(result.acceptCH, /Sec-CH-Width/);
  // `accept` overrides the Accept header; a plain object works as headers.
  const jpeg = await plan('width=400,format=auto', { headers: { accept: 'image/webp' }, accept: '*/*' });
  assert.match(jpeg.cacheKey, /f=source-negotiated$/);
  assert.deepEqual((await plan('width=400', { headers })).vary, []);
});

test('an animated GIF through width=200,format=webp is an animated WebP with the same frames (webpmux says)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const result = await transform(fixture('animated-disposal.gif'), 'width=200,format=webp');
  assert.equal(result.frames, 3);
  const dir = mkdtempSync(`${tmpdir()}/edgepix-anim-`);
  try {
    writeFileSync(`${dir}/out.webp`, result.bytes);
    const info = execFileSync('webpmux', ['-info', `${dir}/out.webp`], { encoding: 'utf8' });
    assert.match(info, /Features present: animation/);
    assert.match(info, /Number of frames: 3/);
    assert.match(info, /Canvas size: 60 x 40/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('metadata: copyright by default, everything with keep, checked by ImageMagick, webpmux and pngcheck', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/edgepix-meta-`);
  const save = async (options, name) => {
    writeFileSync(`${dir}/${name}`, (await transform(fixture('metadata.jpg'), options)).bytes);
    return `${dir}/${name}`;
  };
  try {
    const jpeg = await save('width=100', 'default.jpg');
    assert.equal(execFileSync('/usr/bin/identify', ['-format', '%[EXIF:Copyright]', jpeg], { encoding: 'utf8' }),
      '(c) edgepix test images');
    const webp = await save('width=100,metadata=keep,format=webp', 'keep.webp');
    assert.match(execFileSync('webpmux', ['-info', webp], { encoding: 'utf8' }),
      /Features present: ICC profile EXIF metadata XMP metadata/);
    const png = await save('width=100,metadata=keep,format=png', 'keep.png');
    const chunks = execFileSync('pngcheck', ['-v', png], { encoding: 'utf8' });
    for (const chunk of ['iCCP', 'eXIf', 'iTXt']) assert.match(chunks, new RegExp(`chunk ${chunk}`));
    const none = await save('width=100,metadata=none,format=webp', 'none.webp');
    assert.match(execFileSync('webpmux', ['-info', none], { encoding: 'utf8' }), /No features present/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the package types list every format and content type the module answers', async () => {
  const types = readFileSync(new URL('../../wasm/index.d.ts', import.meta.url), 'utf8');
  const union = (field, from) => types.slice(types.indexOf(from)).match(new RegExp(`${field}: ([^;]+);`))[1];
  const transformFormats = union('format', 'interface TransformResult');
  const contentTypes = union('contentType', 'interface TransformResult');
  const probeFormats = union('format', 'interface ProbeResult');
  for (const format of ['jpeg', 'png', 'webp', 'avif', 'json']) {
    const result = await transform(fixture('photo-1200.jpg'), `width=40,format=${format}`);
    assert.ok(transformFormats.includes(`'${result.format}'`), `${result.format} in TransformResult.format`);
    assert.ok(contentTypes.includes(`'${result.contentType}'`), `${result.contentType} in TransformResult.contentType`);
  }
  for (const name of ['photo-1200.jpg', 'pattern.png', 'lossy.webp', 'animated.gif', 'avif-8bit.avif']) {
    const info = await probe(fixture(name));
    assert.ok(probeFormats.includes(`'${info.format}'`), `${info.format} in ProbeResult.format`);
  }
});
