// Independent decoders from Debian (libwebp's dwebp, libjpeg-turbo's djpeg, libavif's avifdec, pngcheck,
// ImageMagick) used to
// check what the core encoded: they parse the bytes with code that is not ours.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'edgepix-decode-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const run = (cmd, args) => execFileSync(cmd, args, { maxBuffer: 1 << 28 });
const toFile = (bytes, extension) => {
  const path = join(scratch, `${counter++}.${extension}`);
  writeFileSync(path, bytes);
  return path;
};

// Parses a binary PPM (P6) or PAM (P7) header into { width, height, channels, pixels }.
function parseNetpbm(buffer) {
  const text = buffer.subarray(0, 200).toString('latin1');
  if (text.startsWith('P6')) {
    const match = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text);
    return { width: +match[1], height: +match[2], channels: 3, pixels: buffer.subarray(match[0].length) };
  }
  const header = /^P7\n([\s\S]*?)ENDHDR\n/.exec(text);
  const field = (name) => Number(new RegExp(`${name} (\\d+)`).exec(header[1])[1]);
  return { width: field('WIDTH'), height: field('HEIGHT'), channels: field('DEPTH'),
    pixels: buffer.subarray(header[0].length) };
}

// An animated WebP (an ANIM chunk) is checked by libwebp's webpmux: canvas size and frame count, no pixels.
const isAnimatedWebp = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('ANIM');
function describeAnimation(path) {
  const info = run('webpmux', ['-info', path]).toString();
  const canvas = /Canvas size: (\d+) x (\d+)/.exec(info);
  const frames = /Number of frames: (\d+)/.exec(info);
  return { width: +canvas[1], height: +canvas[2], frames: +frames[1] };
}

/**
 * Decodes with the format's reference tool; throws when the tool rejects the bytes. Animated WebP gives
 * { width, height, frames } and no pixels.
 */
export function decodeIndependently(bytes, format) {
  if (format === 'webp' && isAnimatedWebp(bytes)) return describeAnimation(toFile(bytes, 'webp'));
  if (format === 'webp') return parseNetpbm(run('dwebp', ['-quiet', '-pam', toFile(bytes, 'webp'), '-o', '-']));
  if (format === 'jpeg') return parseNetpbm(run('djpeg', ['-ppm', toFile(bytes, 'jpg')]));
  if (format === 'avif') {
    // avifdec (libavif, over dav1d) parses the container with its own code and writes an 8-bit PNG.
    const png = toFile(new Uint8Array(0), 'png');
    run('avifdec', ['--depth', '8', toFile(bytes, 'avif'), png]);
    return parseNetpbm(run('/usr/bin/convert', [png, '-depth', '8', 'pam:-']));
  }
  if (format === 'png') {
    const path = toFile(bytes, 'png');
    run('pngcheck', ['-q', path]); // exits non-zero on any structural or CRC error
    return parseNetpbm(run('/usr/bin/convert', [path, '-depth', '8', 'pam:-']));
  }
  throw new Error(`no independent decoder for ${format}`);
}

/** Mean absolute difference of the RGB samples of two decoded images of the same size. */
export function meanRgbDifference(a, b) {
  if (a.width !== b.width || a.height !== b.height) throw new Error('size mismatch');
  let total = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) total += Math.abs(a.pixels[i * a.channels + c] - b.pixels[i * b.channels + c]);
  return total / (n * 3);
}
