// GPS on delivery through the npm package: a JPEG whose EXIF carries Model and a GPS IFD (built byte by byte in
// tests/support/exif.mjs) loses its GPS with metadata=keep, keeps Model, and keeps GPS too when the request says
// keepGps. Checked by ImageMagick's reader, independent of the core's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plan, transform } from '../../wasm/node.js';
import { exifTiff, jpegWithGps } from '../support/exif.mjs';
import { fixture } from '../support/golden.mjs';

// ImageMagick's reading of the file's EXIF: { latitude, model } ('' when absent).
function exifOf(bytes, dir, name) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const [latitude, model] = execFileSync('/usr/bin/identify', ['-format', '%[EXIF:GPSLatitude]|%[EXIF:Model]', path],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('|');  // an absent tag warns on stderr
  return { latitude, model };
}

test('metadata=keep strips GPS and keeps Model; keepGps keeps GPS; JPEG, PNG and WebP outputs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgepix-gps-'));
  try {
    const base = (await transform(fixture('photo-1200.jpg'), 'width=200,format=jpeg')).bytes;
    for (const littleEndian of [false, true]) {
      const source = jpegWithGps(base, { model: 'EdgepixCam 1', littleEndian });
      assert.deepEqual(exifOf(source, dir, 'source.jpg'), { latitude: '48/1, 51/1, 30/1', model: 'EdgepixCam 1' },
        'the builder writes EXIF that ImageMagick reads');
      for (const format of ['jpeg', 'png', 'webp']) {
        const options = `width=100,metadata=keep,format=${format}`;
        const stripped = await transform(source, options);
        const kept = await transform(source, { options, keepGps: true });
        // ImageMagick 6 reads EXIF from JPEG only; for PNG (eXIf) and WebP the bytes themselves are checked below.
        if (format === 'jpeg') {
          assert.deepEqual(exifOf(stripped.bytes, dir, `stripped.${format}`), { latitude: '', model: 'EdgepixCam 1' }, format);
          assert.deepEqual(exifOf(kept.bytes, dir, `kept.${format}`), { latitude: '48/1, 51/1, 30/1', model: 'EdgepixCam 1' },
            format);
        }
        const tiff = Buffer.from(exifTiff({ model: 'EdgepixCam 1', littleEndian }));
        assert.ok(Buffer.from(kept.bytes).includes(tiff), `${format}: keepGps delivers the EXIF as it was`);
        assert.ok(!Buffer.from(stripped.bytes).includes(tiff), `${format}: the EXIF changed without keepGps`);
        assert.ok(Buffer.from(stripped.bytes).includes('EdgepixCam 1'), `${format}: Model stays`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cache key gains ,gps=keep only with metadata=keep and keepGps', async () => {
  const key = async (options) => (await plan(options)).cacheKey;
  const keep = await key('width=100,metadata=keep');
  assert.doesNotMatch(keep, /gps/);
  assert.equal(await key({ options: 'width=100,metadata=keep', keepGps: false }), keep);
  assert.match(await key({ options: 'width=100,metadata=keep', keepGps: true }), /,gps=keep/);
  assert.equal(await key({ options: 'width=100', keepGps: true }), await key('width=100'));
});
