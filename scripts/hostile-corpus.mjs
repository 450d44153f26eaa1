#!/usr/bin/env node
// The hostile corpus (issue 18, part 3): inputs an edge image service is fed on a bad day, built in memory from the
// generated fixtures (scripts/fixtures.mjs) and from bytes written here, each with the answer it deserves. Nothing
// is committed: the corpus is this script. tests/worker/hostile.test.mjs sends every case through the Worker.
//   node scripts/hostile-corpus.mjs OUTDIR     writes the image cases and a manifest.json (e.g. to seed a fuzzer)
//
// An expectation is [status, code] from src/core/error_codes.def, or [200] for an input that must be served.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const CORRUPT = [422, 'corrupt_image'];
const UNSUPPORTED = [415, 'unsupported_format'];
const TOO_LARGE = [413, 'too_large'];
const SERVED = [200];
// The claim of every dimension bomb, where the format can state it; JPEG and GIF store 16 bits, so they claim
// 65500 × 65500 (4.3 gigapixels), which is as hostile as they can be.
const BOMB_SIDE = 100_000;
const BOMB_SIDE_16BIT = 65_500;

// ---- byte helpers ----
const ascii = (text) => Buffer.from(text, 'latin1');
const u16be = (value) => { const b = Buffer.alloc(2); b.writeUInt16BE(value); return b; };
const u32be = (value) => { const b = Buffer.alloc(4); b.writeUInt32BE(value >>> 0); return b; };
const u32le = (value) => { const b = Buffer.alloc(4); b.writeUInt32LE(value >>> 0); return b; };
const u24le = (value) => Buffer.from([value & 255, (value >> 8) & 255, (value >> 16) & 255]);
/** Deterministic noise: the same corpus on every run, so a failure reproduces. */
function noise(length, seed = 1) {
  const bytes = Buffer.alloc(length);
  for (let i = 0, x = seed; i < length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return bytes;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
function pngChunk(type, data) {
  const typeAndData = Buffer.concat([ascii(type), data]);
  return Buffer.concat([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
}
/** A PNG from its IHDR fields and the chunks between IHDR and IEND. */
function png({ width, height, bitDepth = 8, colourType = 6 }, ...chunks) {
  const ihdr = Buffer.concat([u32be(width), u32be(height), Buffer.from([bitDepth, colourType, 0, 0, 0])]);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), ...chunks, pngChunk('IEND', Buffer.alloc(0))]);
}
/** A valid IDAT for a width × height 8-bit RGBA image of one colour (filter byte 0 on each row). */
function rgbaIdat(width, height) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 4, 0x80)]);
  return pngChunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row))));
}

/** The chunks of a PNG, as { type, data, at } (at: the chunk's offset). */
function pngChunks(bytes) {
  const chunks = [];
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    chunks.push({ type: bytes.toString('latin1', at + 4, at + 8), data: bytes.subarray(at + 8, at + 8 + length), at });
    at += 12 + length;
  }
  return chunks;
}

function jpegSegment(marker, payload) {
  return Buffer.concat([Buffer.from([0xff, marker]), u16be(payload.length + 2), payload]);
}
/** `segments` inserted right after the JPEG's SOI. */
const jpegWith = (jpeg, ...segments) => Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
/** The offset of the first frame header (SOF0/1/2), found by walking the segments. */
function jpegFrameHeader(jpeg) {
  for (let at = 2; at + 4 <= jpeg.length;) {
    const marker = jpeg[at + 1];
    if (marker >= 0xc0 && marker <= 0xc2) return at;
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('no SOF in the JPEG');
}
function jpegClaiming(jpeg, width, height) {
  const copy = Buffer.from(jpeg);
  const sof = jpegFrameHeader(copy);
  copy.writeUInt16BE(height, sof + 5);
  copy.writeUInt16BE(width, sof + 7);
  return copy;
}

/** A RIFF chunk, padded to an even length as RIFF requires. */
const riffChunk = (fourcc, data) => Buffer.concat([ascii(fourcc), u32le(data.length), data, Buffer.alloc(data.length & 1)]);
/** A RIFF WebP from its chunks ([fourcc, data]). */
function webp(...chunks) {
  const body = Buffer.concat(chunks.map(([fourcc, data]) => riffChunk(fourcc, data)));
  return Buffer.concat([ascii('RIFF'), u32le(4 + body.length), ascii('WEBP'), body]);
}
/** An animated WebP: a width × height canvas holding one frame, a VP8L bitstream, at its top left corner. */
function animatedWebp(width, height, vp8l) {
  const bits = vp8l.readUInt32LE(1); // after the 0x2f signature: 14 bits of width - 1, 14 of height - 1
  const frame = Buffer.concat([u24le(0), u24le(0), u24le(bits & 0x3fff), u24le((bits >> 14) & 0x3fff), u24le(100),
    Buffer.from([0]), riffChunk('VP8L', vp8l)]);
  return webp(vp8x(0x02, width, height), ['ANIM', Buffer.from([0, 0, 0, 0, 0, 0])], ['ANMF', frame]);
}
function webpChunks(bytes) {
  const chunks = [];
  for (let at = 12; at + 8 <= bytes.length;) {
    const length = bytes.readUInt32LE(at + 4);
    chunks.push([bytes.toString('latin1', at, at + 4), bytes.subarray(at + 8, at + 8 + length)]);
    at += 8 + length + (length & 1);
  }
  return chunks;
}
/** VP8X flags: ICC 0x20, alpha 0x10, EXIF 0x08, XMP 0x04; the canvas is stored minus one, 24 bits a side. */
const vp8x = (flags, width, height) => ['VP8X', Buffer.concat([Buffer.from([flags, 0, 0, 0]), u24le(width - 1),
  u24le(height - 1)])];
/** A VP8 (lossy) bitstream with its frame header's 14-bit width and height replaced. */
function vp8Claiming(vp8, width, height) {
  const copy = Buffer.from(vp8);
  const start = copy.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  copy.writeUInt16LE(width & 0x3fff, start + 3);
  copy.writeUInt16LE(height & 0x3fff, start + 5);
  return copy;
}

/**
 * A GIF of `frames` width × height frames of one colour; every frame's LZW data is clear, 0, 0, ..., end: only
 * what the sizes need, so 10 000 frames stay small. `screen` overrides the logical screen.
 */
function gif({ width = 2, height = 2, frames = 1, screen = { width, height } }) {
  // Code size 2: clear 4, end 5, 3-bit codes. Every pixel is a literal 0, and a clear precedes every two so the
  // dictionary never grows to 8 entries, where the codes would widen to 4 bits.
  const pixels = width * height;
  const codes = [];
  for (let i = 0; i < pixels; i++) {
    if (i % 2 === 0) codes.push(4);
    codes.push(0);
  }
  codes.push(5);
  const packed = [];
  let bits = 0, bitCount = 0;
  for (const code of codes) {
    bits |= code << bitCount;
    bitCount += 3;
    while (bitCount >= 8) { packed.push(bits & 255); bits >>= 8; bitCount -= 8; }
  }
  if (bitCount > 0) packed.push(bits & 255);
  const blocks = [];
  for (let at = 0; at < packed.length; at += 255) {
    const block = packed.slice(at, at + 255);
    blocks.push(block.length, ...block);
  }
  const frame = Buffer.from([
    0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, // graphic control: 100 ms
    0x2c, 0, 0, 0, 0, width & 255, width >> 8, height & 255, height >> 8, 0x00,
    0x02, ...blocks, 0x00,
  ]);
  return Buffer.concat([
    ascii('GIF89a'),
    Buffer.from([screen.width & 255, screen.width >> 8, screen.height & 255, screen.height >> 8, 0x80, 0, 0]),
    Buffer.from([0xff, 0, 0, 0, 0, 0]), // global colour table: red, black
    Buffer.from([0x21, 0xff, 0x0b, ...ascii('NETSCAPE2.0'), 0x03, 0x01, 0, 0, 0x00]), // loop forever
    ...Array(frames).fill(frame),
    Buffer.from([0x3b]),
  ]);
}

/** Every `ispe` (image spatial extent) of a HEIF/AVIF file set to width × height: the header's claim. */
function heifClaiming(bytes, width, height) {
  const copy = Buffer.from(bytes);
  let found = 0;
  for (let at = copy.indexOf('ispe'); at !== -1; at = copy.indexOf('ispe', at + 4), found++) {
    copy.writeUInt32BE(width, at + 8); // after the type and the full box's version and flags
    copy.writeUInt32BE(height, at + 12);
  }
  if (found === 0) throw new Error('no ispe box');
  return copy;
}

// ---- metadata blocks ----
/** A TIFF (EXIF) block whose one IFD lists `entries` entries, each claiming 2^32-1 values at offsets past its end. */
function hostileExif(entries) {
  const ifd = [u16le(entries)];
  for (let i = 0; i < entries; i++) {
    ifd.push(u16le(0x0100 + (i % 0x8000)), u16le(1 + (i % 12)), u32le(0xffffffff), u32le(0xfffffff0 - i));
  }
  ifd.push(u32le(8)); // the next IFD is this one again: a loop
  return Buffer.concat([ascii('Exif\0\0II'), u16le(42), u32le(8), ...ifd]);
}
function u16le(value) { const b = Buffer.alloc(2); b.writeUInt16LE(value); return b; }

/** An ICC profile with a header that passes (RGB, 'acsp') and a tag table that does not. */
function badTagsIcc(kind) {
  const tags = {
    // 2^32-1 tags in a 256-byte profile.
    countOverflow: [u32be(0xffffffff)],
    // Tags whose data lies past the end of the profile, or whose size wraps the offset.
    outOfBounds: [u32be(3), ascii('rXYZ'), u32be(0x7ffffff0), u32be(20), ascii('gXYZ'), u32be(200), u32be(0xffffff00),
      ascii('rTRC'), u32be(0xffffffff), u32be(0xffffffff)],
    // A curve that claims 2^32-1 points, and an XYZ tag whose data is the wrong type.
    badTypes: [u32be(2), ascii('rTRC'), u32be(160), u32be(12), ascii('rXYZ'), u32be(172), u32be(20)],
  }[kind];
  const body = Buffer.concat([...tags, kind === 'badTypes'
    ? Buffer.concat([ascii('curv'), u32be(0), u32be(0xffffffff), ascii('text'), u32be(0), ascii('not an XYZ')])
    : Buffer.alloc(0)]);
  const size = 128 + body.length + 64;
  const header = Buffer.alloc(128);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(0x04300000, 8); // version 4.3
  header.write('mntrRGB XYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  return Buffer.concat([header, body, Buffer.alloc(64)]);
}
/** An ICC profile in APP2 ICC_PROFILE segments of at most 65519 bytes each, as JPEG carries them. */
function iccSegments(icc) {
  const pieces = [];
  for (let at = 0; at < icc.length; at += 65519) pieces.push(icc.subarray(at, at + 65519));
  return pieces.map((piece, i) => jpegSegment(0xe2,
    Buffer.concat([ascii('ICC_PROFILE\0'), Buffer.from([i + 1, pieces.length]), piece])));
}
function hugeXmp(bytes) {
  const open = ascii('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x="adobe:ns:meta/">');
  const close = ascii('</x:xmpmeta>');
  const nested = '<rdf:li>'.repeat(Math.floor((bytes - open.length - close.length) / 8));
  return Buffer.concat([open, ascii(nested).subarray(0, bytes - open.length - close.length), close]);
}

// ---- the cases ----
// One file of each input format, from the fixtures; the small ones keep the corpus quick to send.
const SOURCES = {
  jpeg: 'photo-1200.jpg', png: 'alpha.png', webp: 'lossy.webp', gif: 'still.gif', avif: 'avif-8bit.avif',
  heic: 'heic-single.heic',
};
// Where to cut: inside the first header, just past it, and through the data; never within the magic number
// itself (that is the wrong-magic group's).
const CUT_FRACTIONS = [0.02, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 0.97];
const CUT_BYTES = [16, 40, 100];

/** Image cases: { group, name, bytes, contentType, expect }. `read(name)` gives a fixture's bytes. */
export function imageCases(read) {
  const source = Object.fromEntries(Object.entries(SOURCES).map(([format, name]) => [format, read(name)]));
  const cases = [];
  // `extra`: options (the transform asked for, if not the default) and uploadExpect (the gate's answer, if not
  // the transform's).
  const add = (group, name, bytes, expect, contentType = 'application/octet-stream', extra = {}) =>
    cases.push({ group, name, bytes: new Uint8Array(bytes), contentType, expect, ...extra });

  for (const [format, bytes] of Object.entries(source)) {
    const cuts = new Set([...CUT_BYTES, ...CUT_FRACTIONS.map((fraction) => Math.floor(bytes.length * fraction))]);
    for (const cut of [...cuts].sort((a, b) => a - b)) add('truncated', `${format}-at-${cut}`, bytes.subarray(0, cut), CORRUPT);
  }

  // Wrong magic: the first bytes damaged, or one format's signature over another's body.
  const damaged = (bytes, at, value) => { const copy = Buffer.from(bytes); copy[at] = value; return copy; };
  add('wrong-magic', 'jpeg-soi-ffd9', damaged(source.jpeg, 1, 0xd9), UNSUPPORTED);
  add('wrong-magic', 'png-signature-cr-lf-swapped', damaged(damaged(source.png, 4, 0x0a), 5, 0x0d), UNSUPPORTED);
  add('wrong-magic', 'gif88a', damaged(source.gif, 4, 0x38), UNSUPPORTED);
  add('wrong-magic', 'webp-riff-webq', damaged(source.webp, 11, 0x51), UNSUPPORTED);
  const wrongBrand = (bytes) => {
    const copy = Buffer.from(bytes);
    const ftypSize = copy.readUInt32BE(0);
    for (let at = 8; at < ftypSize; at += 4) if (at !== 12) copy.write('mp42', at, 'latin1'); // brands, not version
    return copy;
  };
  add('wrong-magic', 'avif-brands-mp42', wrongBrand(source.avif), UNSUPPORTED);
  add('wrong-magic', 'heic-brands-mp42', wrongBrand(source.heic), UNSUPPORTED);
  // Empty: no format at all; an upload of nothing is a malformed request rather than an unknown format.
  add('wrong-magic', 'empty-file', Buffer.alloc(0), UNSUPPORTED, undefined, { uploadExpect: [400, 'bad_request'] });
  add('wrong-magic', 'text', ascii('<svg onload=alert(1)>'), UNSUPPORTED, 'image/svg+xml');
  add('wrong-magic', 'noise', noise(4096), UNSUPPORTED, 'image/jpeg');
  add('wrong-magic', 'png-signature-then-jpeg', Buffer.concat([PNG_SIGNATURE, source.jpeg.subarray(8)]), CORRUPT);
  // The name and Content-Type lie, the bytes do not: served as what they are.
  add('wrong-magic', 'png-bytes-named-jpeg', source.png, SERVED, 'image/jpeg');

  // Dimension bombs: a header claiming 10^5 × 10^5 (or what 16 bits hold) over a small body.
  add('bomb', 'png-100000', png({ width: BOMB_SIDE, height: BOMB_SIDE }, rgbaIdat(2, 2)), TOO_LARGE);
  add('bomb', 'png-100000x1', png({ width: BOMB_SIDE * 1000, height: 1 }, rgbaIdat(2, 2)), TOO_LARGE);
  add('bomb', 'jpeg-65500', jpegClaiming(source.jpeg, BOMB_SIDE_16BIT, BOMB_SIDE_16BIT), TOO_LARGE);
  add('bomb', 'gif-65500', gif({ width: 2, height: 2, screen: { width: BOMB_SIDE_16BIT, height: BOMB_SIDE_16BIT } }),
    TOO_LARGE);
  const lossyVp8 = webpChunks(source.webp).find(([fourcc]) => fourcc === 'VP8 ')[1];
  // WebP's bitstreams hold at most 16384 a side: only an animation's canvas (VP8X, 24 bits) can claim more, and
  // the container allows a canvas of under 2^32 pixels: 10^5 × 10^5 is not WebP at all (corrupt), 60000 × 60000
  // is valid and over every limit. A still whose VP8X canvas disagrees with its one bitstream contradicts itself,
  // so it is corrupt; and a VP8 header's 16383 × 16383 is under the pixel limit, so it fails on its data.
  const losslessVp8l = webpChunks(read('lossless.webp')).find(([fourcc]) => fourcc === 'VP8L')[1];
  add('bomb', 'webp-animation-canvas-60000', animatedWebp(60_000, 60_000, losslessVp8l), TOO_LARGE);
  add('bomb', 'webp-animation-canvas-100000', animatedWebp(BOMB_SIDE, BOMB_SIDE, losslessVp8l), CORRUPT);
  add('bomb', 'webp-still-canvas-100000', webp(vp8x(0, BOMB_SIDE, BOMB_SIDE), ['VP8 ', lossyVp8]), CORRUPT);
  add('bomb', 'webp-vp8-16383', webp(['VP8 ', vp8Claiming(lossyVp8, 16383, 16383)]), CORRUPT);
  add('bomb', 'avif-100000', heifClaiming(source.avif, BOMB_SIDE, BOMB_SIDE), TOO_LARGE);
  add('bomb', 'heic-100000', heifClaiming(source.heic, BOMB_SIDE, BOMB_SIDE), TOO_LARGE);
  // A zlib bomb: a 64 × 64 header over an IDAT that inflates to 64 MiB (about 64 KiB of file). The decoder must
  // inflate only the rows the header declares and stop, as browsers do: served, quickly, not 64 MiB later.
  add('bomb', 'png-zlib-64mib', png({ width: 64, height: 64 }, pngChunk('IDAT', deflateSync(Buffer.alloc(64 << 20),
    { level: 9 }))), SERVED);
  // Within the pixel limit, over the memory one: 15000 × 15000 RGBA whose IDAT is only the first rows.
  add('bomb', 'png-15000-short-idat', png({ width: 15000, height: 15000 }, rgbaIdat(15000, 1)), TOO_LARGE);
  // 10 000 frames: over the frame limit for an animated answer (WebP); a still one (PNG, the default for a GIF)
  // needs only the first frame.
  const tenThousandFrames = gif({ frames: 10_000 });
  add('bomb', 'gif-10000-frames', tenThousandFrames, TOO_LARGE, 'image/gif', { options: 'width=64,format=webp' });
  add('bomb', 'gif-10000-frames-as-still', tenThousandFrames, SERVED, 'image/gif', { uploadExpect: TOO_LARGE });

  // Metadata blocks: huge or hostile, on an image that is otherwise fine, so it must still be served.
  const smallJpeg = read('orient-1.jpg');
  add('metadata', 'jpeg-exif-5000-entries', jpegWith(smallJpeg, jpegSegment(0xe1, hostileExif(5000))), SERVED);
  add('metadata', 'jpeg-exif-64-segments', jpegWith(smallJpeg,
    ...Array(64).fill(jpegSegment(0xe1, Buffer.concat([ascii('Exif\0\0'), noise(65000, 7)])))), SERVED);
  add('metadata', 'jpeg-xmp-65k', jpegWith(smallJpeg, jpegSegment(0xe1, hugeXmp(65500))), SERVED);
  add('metadata', 'jpeg-icc-4mib', jpegWith(smallJpeg, ...iccSegments(Buffer.concat([badTagsIcc('outOfBounds'),
    noise(4 << 20, 3)]))), SERVED);
  for (const kind of ['countOverflow', 'outOfBounds', 'badTypes']) {
    add('metadata', `jpeg-icc-${kind}`, jpegWith(smallJpeg, ...iccSegments(badTagsIcc(kind))), SERVED);
  }
  // ICC chunks numbered 3 of 2, and 1 of 1 twice.
  const [iccChunk] = iccSegments(badTagsIcc('badTypes'));
  const misnumbered = Buffer.from(iccChunk);
  misnumbered[4 + 12] = 3;
  add('metadata', 'jpeg-icc-misnumbered', jpegWith(smallJpeg, misnumbered, iccChunk, iccChunk), SERVED);
  const smallPng = png({ width: 16, height: 16 }, rgbaIdat(16, 16));
  const [pngHead, pngTail] = [smallPng.subarray(0, 33), smallPng.subarray(33)];
  const pngWith = (...chunks) => Buffer.concat([pngHead, ...chunks, pngTail]);
  // An iCCP profile that inflates to 64 MiB, and one with bad tags.
  add('metadata', 'png-iccp-zlib-bomb', pngWith(pngChunk('iCCP', Buffer.concat([ascii('bomb\0\0'),
    deflateSync(Buffer.alloc(64 << 20))]))), SERVED);
  add('metadata', 'png-iccp-bad-tags', pngWith(pngChunk('iCCP', Buffer.concat([ascii('bad\0\0'),
    deflateSync(badTagsIcc('outOfBounds'))]))), SERVED);
  add('metadata', 'png-exif-1mib', pngWith(pngChunk('eXIf', Buffer.concat([hostileExif(5000).subarray(6),
    noise(1 << 20, 5)]))), SERVED);
  add('metadata', 'png-xmp-1mib', pngWith(pngChunk('iTXt', Buffer.concat([ascii('XML:com.adobe.xmp\0\0\0\0\0'),
    hugeXmp(1 << 20)]))), SERVED);
  const lossyChunks = webpChunks(source.webp);
  const frameStart = lossyVp8.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  const [width, height] = [lossyVp8.readUInt16LE(frameStart + 3) & 0x3fff, lossyVp8.readUInt16LE(frameStart + 5) & 0x3fff];
  add('metadata', 'webp-iccp-exif-xmp-1mib', webp(vp8x(0x2c, width, height),
    ['ICCP', Buffer.concat([badTagsIcc('countOverflow'), noise(1 << 20, 9)])], ...lossyChunks,
    ['EXIF', hostileExif(5000).subarray(6)], ['XMP ', hugeXmp(1 << 20)]), SERVED);

  // Oddities: colour models and depths that are valid but rarer, and images of no size at all.
  for (const name of ['photo-cmyk.jpg', 'icc-cmyk.jpg', 'rgb16.png', 'heic-10bit.heic', 'avif-12bit-444.avif',
    'avif-alpha-10bit.avif', 'gray-alpha.png']) {
    add('oddity', name, read(name), SERVED);
  }
  add('oddity', 'png-16bit-gray', png({ width: 8, height: 8, bitDepth: 16, colourType: 0 }, pngChunk('IDAT',
    deflateSync(Buffer.concat(Array(8).fill(Buffer.concat([Buffer.from([0]), noise(16, 11)])))))), SERVED);
  add('oddity', 'png-0x16', png({ width: 0, height: 16 }, rgbaIdat(1, 16)), CORRUPT);
  add('oddity', 'png-16x0', png({ width: 16, height: 0 }, rgbaIdat(16, 1)), CORRUPT);
  add('oddity', 'jpeg-height-0', jpegClaiming(source.jpeg, 1200, 0), CORRUPT);
  add('oddity', 'jpeg-width-0', jpegClaiming(source.jpeg, 0, 900), CORRUPT);
  add('oddity', 'gif-0x0', gif({ width: 0, height: 0 }), CORRUPT);
  add('oddity', 'webp-vp8-0x0', webp(['VP8 ', vp8Claiming(lossyVp8, 0, 0)]), CORRUPT);
  add('oddity', 'avif-0x0', heifClaiming(source.avif, 0, 0), CORRUPT);
  add('oddity', 'heic-0x0', heifClaiming(source.heic, 0, 0), CORRUPT);
  return cases;
}

/** Option strings for /cdn-cgi/image/<options>/<key>: { group, name, options, expect }. */
export function optionCases() {
  const bad = [400, 'bad_option'];
  const cases = [];
  const add = (group, name, options, expect) => cases.push({ group, name, options, expect });
  // 100 KB, as the issue asks, and 60 KB: what still fits in the 64 KiB request line a server like workerd reads.
  for (const size of [60_000, 100_000]) {
    const label = `${size / 1000}k`;
    add('options', `${label}-of-widths`, 'width=64,'.repeat(size / 9 + 1).slice(0, size), bad);
    add('options', `${label}-one-value`, `width=${'9'.repeat(size - 6)}`, bad);
    add('options', `${label}-unknown-names`, 'zzzzzzzzzz=1,'.repeat(size / 13 + 1).slice(0, size), bad);
    add('options', `${label}-of-commas`, `width=64${','.repeat(size - 8)}`, bad);
  }
  // Repeats and alias conflicts: the last value wins (URL builders append overrides to a preset), so they succeed.
  const ok = [200, null];
  add('options', 'width-twice-same', 'width=64,width=64', ok);
  add('options', 'width-twice', 'width=64,width=128', ok);
  add('options', 'width-and-alias-w', 'width=64,w=128', ok);
  add('options', 'format-twice', 'width=64,format=webp,format=avif', ok);
  add('options', 'format-and-alias-f', 'width=64,format=webp,f=png', ok);
  add('options', 'fit-twice', 'width=64,fit=cover,fit=contain', ok);
  add('options', 'quality-twice', 'width=64,quality=10,quality=90', ok);
  add('options', 'empty-value', 'width=', bad);
  add('options', 'no-name', '=64', bad);
  add('options', 'nul-in-value', 'width=64\0', bad);
  add('options', 'negative', 'width=-64', bad);
  add('options', 'huge-number', 'width=1e308', bad);
  add('options', 'nan', 'width=NaN', bad);
  add('options', 'hex', 'width=0x40', bad);
  return cases;
}

/**
 * Paths whose keys try to escape, confuse or break the key space, sent as written (no client normalisation).
 * `privateId` names an image uploaded through the Images API, whose bytes must stay behind its own route;
 * `imageObjectPrefix` is where those bytes live in R2. { group, name, path, expect }.
 */
export function keyCases({ privateId, imageObjectPrefix }) {
  const notFound = [404, 'not_found'];
  const badRequest = [400, 'bad_request'];
  const target = `${imageObjectPrefix}${privateId}`;
  const encodedTarget = target.split('/').map(encodeURIComponent).join('%2F');
  const cases = [];
  const add = (name, path, expect) => cases.push({ group: 'keys', name, path, expect });
  for (const [route, prefix] of [['transform', '/cdn-cgi/image/width=32/'], ['original', '/']]) {
    // The URL parser resolves dot segments (%2e%2e and backslashes too) before the Worker sees the path: through
    // the transform route they land on a key under the images API's prefix, which it never serves; through the
    // originals route on /admin/images/<id>, which wants the admin token.
    const resolved = route === 'original' ? [401, 'unauthorized'] : notFound;
    add(`${route}-dotdot-to-uploaded`, `${prefix}photos/../${target}`, resolved);
    // Encoded slashes are not segments to the parser: the key is literally "photos/../admin/…", which no object has.
    add(`${route}-encoded-dotdot-to-uploaded`, `${prefix}photos%2F..%2F${encodedTarget}`, notFound);
    add(`${route}-dot-segments-encoded`, `${prefix}photos/%2e%2e/${target}`, resolved);
    add(`${route}-slash-then-uploaded`, `${prefix}/${target}`, notFound);
    add(`${route}-encoded-uploaded`, `${prefix}${encodedTarget}`, notFound);
    add(`${route}-double-slash`, `${prefix}photos//fossa.jpg`, notFound);
    add(`${route}-nul`, `${prefix}photos/fossa.jpg%00.png`, notFound);
    add(`${route}-raw-nul-escape`, `${prefix}photos%00/fossa.jpg`, notFound);
    add(`${route}-double-encoded-slash`, `${prefix}photos%252Ffossa.jpg`, notFound);
    add(`${route}-overlong-utf8-dots`, `${prefix}photos/%C0%AE%C0%AE/fossa.jpg`, badRequest);
    add(`${route}-lone-surrogate`, `${prefix}photos/%ED%A0%80.jpg`, badRequest);
    add(`${route}-truncated-escape`, `${prefix}photos/fossa.jpg%E0%A4`, badRequest);
    add(`${route}-key-over-1024-bytes`, `${prefix}${'k'.repeat(2000)}.jpg`, notFound); // R2's and S3's limit
    add(`${route}-backslashes`, `${prefix}photos\\..\\${target.replaceAll('/', '\\')}`, resolved);
  }
  // The same object by another spelling is the same object.
  add('transform-encoded-slash-is-a-slash', '/cdn-cgi/image/width=32/photos%2Ffossa.jpg', SERVED);
  // Ids that no image can have: no such image.
  add('images-dotdot-id', `/images/..%2F${privateId}/public`, notFound);
  add('images-nul-id', `/images/${privateId}%00/public`, notFound);
  return cases;
}

/**
 * Signed-URL tricks on a private image's delivery path `path` (no query), given `sign(path, { expiresAt })` that
 * signs as the Worker's key does and `now` in unix seconds. Resolves { group, name, path, expect }.
 */
export async function signatureCases({ path, otherPath, sign, now }) {
  const sigOf = (url) => new URL(url, 'http://x').searchParams.get('sig');
  const valid = await sign(path, { expiresAt: now + 600 });
  const validSig = sigOf(valid);
  const exp = now + 600;
  const invalid = [403, 'signature_invalid'];
  const malformed = [400, 'bad_signature'];
  const cases = [];
  const add = (name, url, expect) => cases.push({ group: 'signatures', name, path: url, expect });
  add('valid', valid, SERVED);
  add('replayed', valid, SERVED); // not one-time in Cloudflare's scheme: the same URL serves until exp
  add('expired', await sign(path, { expiresAt: now - 1 }), [403, 'signature_expired']);
  add('expired-at-epoch', await sign(path, { expiresAt: 0 }), [403, 'signature_expired']);
  add('expired-exp-moved-forward', (await sign(path, { expiresAt: now - 60 })).replace(/exp=\d+/, `exp=${exp}`),
    invalid);
  add('other-path', `${otherPath}?exp=${exp}&sig=${validSig}`, invalid);
  add('other-variant', `${path.replace(/[^/]+$/, 'other')}?exp=${exp}&sig=${validSig}`, invalid);
  add('path-case-changed', `${path.toUpperCase()}?exp=${exp}&sig=${validSig}`, [404, 'not_found']);
  add('extra-query', `${valid}&width=10`, invalid);
  add('exp-dropped', `${path}?sig=${validSig}`, invalid);
  add('sig-uppercase', valid.replace(validSig, validSig.toUpperCase()), malformed);
  add('sig-truncated', valid.replace(validSig, validSig.slice(0, 63)), malformed);
  add('sig-too-long', valid.replace(validSig, `${validSig}00`), malformed);
  add('sig-empty', valid.replace(validSig, ''), malformed);
  add('sig-twice', `${valid}&sig=${validSig}`, malformed);
  add('sig-percent-encoded', valid.replace(validSig, [...validSig].map((c) => `%${c.charCodeAt(0).toString(16)}`)
    .join('')), malformed);
  add('sig-nul', valid.replace(validSig, `${validSig.slice(0, 63)}%00`), malformed);
  add('exp-twice', `${path}?exp=${exp}&exp=${exp}&sig=${validSig}`, malformed);
  add('exp-negative', `${path}?exp=-1&sig=${validSig}`, malformed);
  add('exp-float', `${path}?exp=${exp}.5&sig=${validSig}`, malformed);
  add('exp-huge', `${path}?exp=${'9'.repeat(40)}&sig=${validSig}`, malformed);
  add('exp-plus', `${path}?exp=+${exp}&sig=${validSig}`, malformed);
  add('sig-of-100k', `${path}?exp=${exp}&sig=${'a'.repeat(100_000)}`, malformed);
  return cases;
}

/**
 * Upload bodies that are too big or not the multipart they claim to be, for the Images API upload and the direct
 * upload URL alike: { group, name, contentType, body, expect }. `body` is bytes, sent with their Content-Length,
 * or (answered) => ReadableStream, sent chunked, where `answered` is a promise of the Worker's answer. `image` is a small valid image, `maxBytes` the Worker's MAX_UPLOAD_BYTES.
 */
export function uploadBodyCases({ image, maxBytes }) {
  const encoder = new TextEncoder();
  const boundary = 'hostileBoundary42';
  const part = (name, bytes, filename) => Buffer.concat([
    ascii(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"`
      + `${filename ? `; filename="${filename}"` : ''}\r\nContent-Type: image/jpeg\r\n\r\n`),
    bytes, ascii('\r\n')]);
  const form = (...parts) => Buffer.concat([...parts, ascii(`--${boundary}--\r\n`)]);
  const multipart = `multipart/form-data; boundary=${boundary}`;
  const tooLarge = [413, 'too_large'];
  const badRequest = [400, 'bad_request'];
  const cases = [];
  const add = (name, contentType, body, expect) => cases.push({ group: 'uploads', name, contentType, body, expect });

  add('file-one-byte-over', multipart, form(part('file', Buffer.concat([image, Buffer.alloc(maxBytes + 1 -
    image.length)]), 'big.jpg')), tooLarge);
  // Its Content-Length says so: refused without reading it.
  add('declared-over-the-limit', multipart, form(part('file', Buffer.alloc(maxBytes + 128 * 1024), 'big.jpg')),
    tooLarge);
  // No Content-Length: the limit must hold while the body streams. The client sends 64 KiB chunks until it is
  // past the limit (with the form's allowance), then waits: only a Worker that counts as it reads answers then.
  add('streamed-over', multipart, (answered) => {
    let sent = 0;
    return new ReadableStream({
      async pull(controller) {
        if (sent === 0) controller.enqueue(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; `
          + 'name="file"; filename="s.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'));
        if (sent > maxBytes + 128 * 1024) {
          await answered;
          return controller.close();
        }
        controller.enqueue(new Uint8Array(64 * 1024));
        sent += 64 * 1024;
      },
    });
  }, tooLarge);
  add('many-small-parts-over', multipart, form(...Array(Math.ceil(maxBytes / 1000) + 100).fill(0)
    .map((_, i) => part(`f${i}`, Buffer.alloc(1000, 0x61)))), tooLarge);
  add('no-boundary', 'multipart/form-data', form(part('file', image, 'a.jpg')), badRequest);
  add('empty-boundary', 'multipart/form-data; boundary=', form(part('file', image, 'a.jpg')), badRequest);
  add('other-boundary', 'multipart/form-data; boundary=notTheOneUsed', form(part('file', image, 'a.jpg')),
    badRequest);
  add('no-closing-boundary', multipart, part('file', image, 'a.jpg'), badRequest);
  add('garbage-body', multipart, noise(10_000, 13), badRequest);
  add('empty-body', multipart, new Uint8Array(0), badRequest);
  add('not-multipart', 'image/jpeg', image, badRequest);
  add('urlencoded', 'application/x-www-form-urlencoded', encoder.encode('file=abc'), badRequest);
  add('two-files', multipart, form(part('file', image, 'a.jpg'), part('file', image, 'b.jpg')), badRequest);
  add('file-as-text-field', multipart, form(part('file', image)), badRequest);
  add('part-without-headers', multipart, Buffer.concat([ascii(`--${boundary}\r\n\r\n`), image,
    ascii(`\r\n--${boundary}--\r\n`)]), badRequest);
  add('empty-file', multipart, form(part('file', Buffer.alloc(0), 'empty.jpg')), badRequest);
  return cases;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [outDir] = process.argv.slice(2);
  if (!outDir) throw new Error('usage: node scripts/hostile-corpus.mjs OUTDIR (EDGEPIX_FIXTURES set, or generated)');
  const { fixture } = await import('../tests/support/golden.mjs');
  const cases = imageCases(fixture);
  mkdirSync(outDir, { recursive: true });
  for (const { group, name, bytes } of cases) writeFileSync(join(outDir, `${group}-${name}`), bytes);
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(cases.map(({ group, name, contentType, expect }) =>
    ({ file: `${group}-${name}`, contentType, expect })), null, 1));
  console.log(`${cases.length} cases in ${outDir}`);
}
