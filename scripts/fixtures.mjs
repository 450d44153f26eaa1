#!/usr/bin/env node
// Generates every test and benchmark input from local sources (ImageMagick, libwebp's tools, and the photos in
// Debian's lomiri-wallpapers-20.04), into a cache folder outside the clone keyed by this script's hash, and
// prints that folder. Nothing here is downloaded and no image is committed.
//   node scripts/fixtures.mjs [--quick]     (--quick skips the 108 MP photo)
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const convert = '/usr/bin/convert'; // a `convert` earlier on PATH may be a stand-in
const photoSource = '/usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg'; // a photograph (6028x3391)
const quick = process.argv.includes('--quick');

const self = readFileSync(fileURLToPath(import.meta.url));
const cacheRoot = process.env.EDGEPIX_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'edgepix');
const dir = join(cacheRoot, `fixtures-${createHash('sha256').update(self).digest('hex').slice(0, 12)}`);

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30 });
const out = (name) => join(dir, name);
const magick = (...args) => run(convert, args);

// ---- byte-level helpers (for files no tool writes on purpose: bombs, EXIF orientations, damage) ----
const crc32 = (() => {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  return (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
})();

function pngChunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

// A PNG whose header claims width x height, with a tiny (wrong-sized) IDAT: only the header matters.
function pngBomb(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// An animated GIF of `frames` 2x2 red frames, written byte by byte (ImageMagick took minutes of CPU to write 1201).
// Each frame's LZW data is clear, 0, 0, clear, 0, 0, end in 3-bit codes: the clears keep the code size at 3.
function gifFrames(frames) {
  const frame = Buffer.from([
    0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, // graphic control: 100 ms
    0x2c, 0, 0, 0, 0, 2, 0, 2, 0, 0x00, // image descriptor: 2x2 at 0,0, no local colour table
    0x02, 0x03, 0x04, 0x08, 0x14, 0x00, // LZW minimum code size 2, one 3-byte sub-block, terminator
  ]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'ascii'),
    Buffer.from([2, 0, 2, 0, 0x80, 0, 0, 0xff, 0, 0, 0, 0, 0]), // 2x2, a 2-colour global table: red, black
    Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'ascii'), 0x03, 0x01, 0, 0, 0x00]), // loop forever
    ...Array(frames).fill(frame),
    Buffer.from([0x3b]),
  ]);
}

// Inserts an APP1 Exif segment holding only the orientation tag right after the JPEG's SOI.
function withOrientation(jpeg, orientation) {
  const tiff = Buffer.alloc(26);
  tiff.write('II', 0, 'ascii');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4); // IFD0 offset
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14); // count
  tiff.writeUInt16LE(orientation, 18);
  tiff.writeUInt32LE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

// A JPEG carrying EXIF (Orientation 6 and Copyright), XMP and a minimal ICC profile, for metadata=keep|copyright|none.
function withMetadata(jpeg) {
  const copyright = Buffer.from('(c) edgepix test images\0', 'latin1');
  const tiff = Buffer.alloc(8 + 2 + 24 + 4);
  tiff.write('II', 0, 'ascii');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(2, 8);
  tiff.writeUInt16LE(0x0112, 10); // Orientation SHORT 6
  tiff.writeUInt16LE(3, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(6, 18);
  tiff.writeUInt16LE(0x8298, 22); // Copyright ASCII, stored after the IFD
  tiff.writeUInt16LE(2, 24);
  tiff.writeUInt32LE(copyright.length, 26);
  tiff.writeUInt32LE(tiff.length, 30);
  const exif = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff, copyright]);
  const xmp = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
    Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>', 'utf8')]);
  const icc = Buffer.alloc(132); // header + an empty tag table: structurally valid
  icc.writeUInt32BE(132, 0);
  icc.writeUInt32BE(0x02100000, 8); // version 2.1
  icc.write('mntrRGB XYZ ', 12, 'ascii');
  icc.write('acsp', 36, 'ascii');
  icc.writeInt32BE(0x0000f6d6, 68); // D50 illuminant
  icc.writeInt32BE(0x00010000, 72);
  icc.writeInt32BE(0x0000d32d, 76);
  const iccSegment = Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), icc]);
  const segment = (marker, payload) => {
    const header = Buffer.from([0xff, marker, 0, 0]);
    header.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([header, payload]);
  };
  return Buffer.concat([jpeg.subarray(0, 2), segment(0xe1, exif), segment(0xe1, xmp), segment(0xe2, iccSegment),
    jpeg.subarray(2)]);
}

function findMarker(jpeg, marker) {
  for (let i = 2; i + 1 < jpeg.length; i++) if (jpeg[i] === 0xff && jpeg[i + 1] === marker) return i;
  throw new Error(`marker ${marker.toString(16)} not found`);
}

// Offset of the first image descriptor (0x2C): after the header, global colour table and extensions.
function gifImageDescriptor(gif) {
  let at = 13 + (gif[10] & 0x80 ? 3 * (2 << (gif[10] & 7)) : 0);
  while (gif[at] === 0x21) {
    at += 2;
    while (gif[at] !== 0) at += gif[at] + 1;
    at += 1;
  }
  if (gif[at] !== 0x2c) throw new Error('no GIF image descriptor found');
  return at;
}

// Stored pixels that display as the upright pattern once EXIF orientation N is applied.
const inverseOrientation = { 1: [], 2: ['-flop'], 3: ['-rotate', '180'], 4: ['-flip'], 5: ['-transpose'],
  6: ['-rotate', '-90'], 7: ['-transverse'], 8: ['-rotate', '90'] };

// 12000x9000 is past ImageMagick's Debian policy (1 GiB pixel cache), so: a 6000x4500 crop of the photo,
// doubled by pixel replication in a PPM stream, compressed by libjpeg-turbo's cjpeg (baseline, 4:2:0).
function photo108mp() {
  const half = run(convert, [photoSource, '-resize', '6000x4500^', '-gravity', 'center', '-extent', '6000x4500',
    '-depth', '8', 'rgb:-']);
  const [w, h] = [12000, 9000];
  const header = Buffer.from(`P6\n${w} ${h}\n255\n`, 'ascii');
  const pixels = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    const src = half.subarray(((y >> 1) * 6000) * 3, ((y >> 1) * 6000 + 6000) * 3);
    const row = pixels.subarray(y * w * 3, (y + 1) * w * 3);
    for (let x = 0; x < 6000; x++) {
      const r = src[x * 3], g = src[x * 3 + 1], b = src[x * 3 + 2];
      row[x * 6] = row[x * 6 + 3] = r;
      row[x * 6 + 1] = row[x * 6 + 4] = g;
      row[x * 6 + 2] = row[x * 6 + 5] = b;
    }
  }
  return execFileSync('cjpeg', ['-quality', '80', '-sample', '2x2'], { input: Buffer.concat([header, pixels]),
    maxBuffer: 1 << 30 });
}

// ---- colour management (ICC profiles from Debian's icc-profiles-free and libgs-common) ----
// Sources in Adobe RGB (a photo as JPEG, PNG with iCCP, RGBA PNG and WebP with ICCP; every colour; one known
// colour), CMYK with a CMYK profile, gray with a linear gray profile, sRGB with an sRGB profile, and a garbage
// profile; beside most, ImageMagick's own conversion to sRGB (`-profile`, lcms2 at 16 bits) as the reference.
const iccProfiles = {
  srgb: '/usr/share/color/icc/sRGB.icc',
  adobeRgb: '/usr/share/color/icc/compatibleWithAdobeRGB1998.icc',
  gray: '/usr/share/color/icc/Gray.icc', // gamma 1.0: unconverted, it shows far too dark
  cmyk: '/usr/share/color/icc/ghostscript/default_cmyk.icc', // SWOP-like, lookup tables, 183 KiB (three APP2s)
};

// An APP2 ICC_PROFILE segment inserted after SOI: a profile whose header says RGB, with garbage after it.
function withGarbageProfile(jpeg) {
  const icc = Buffer.alloc(600);
  for (let i = 0, x = 12345; i < icc.length; i++) icc[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  icc.writeUInt32BE(icc.length, 0);
  icc.write('mntrRGB XYZ ', 12, 'ascii');
  icc.write('acsp', 36, 'ascii');
  const payload = Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([1, 1]), icc]);
  const header = Buffer.from([0xff, 0xe2, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

function iccFixtures() {
  for (const path of Object.values(iccProfiles)) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/bootstrap`);
  }
  const photo = [out('photo-1200.jpg'), '-resize', '600x450', '-profile', iccProfiles.srgb];
  magick(...photo, '-profile', iccProfiles.adobeRgb, '-quality', '92', out('icc-adobe-rgb.jpg'));
  magick(out('icc-adobe-rgb.jpg'), 'PNG24:' + out('icc-adobe-rgb.png'));
  // Every colour (a 512x512 identity colour table), so that no part of the gamut goes untested.
  magick('hald:8', '-profile', iccProfiles.srgb, '-profile', iccProfiles.adobeRgb,
    'PNG24:' + out('icc-adobe-hald.png'));
  magick(out('icc-adobe-rgb.jpg'), '(', '-size', '450x600', 'gradient:white-gray25', '-rotate', '90', ')',
    '-compose', 'CopyOpacity', '-composite', 'PNG32:' + out('icc-adobe-rgba.png'));
  run('cwebp', ['-quiet', '-lossless', '-metadata', 'icc', out('icc-adobe-rgb.png'), '-o', out('icc-adobe-rgb.webp')]);
  magick(...photo, '-profile', iccProfiles.cmyk, '-quality', '92', out('icc-cmyk.jpg'));
  magick(out('photo-gray.jpg'), '-resize', '600x450', '-profile', iccProfiles.gray, out('icc-gray.jpg'));
  magick(...photo, '-quality', '92', out('icc-srgb.jpg'));
  writeFileSync(out('icc-garbage.jpg'), withGarbageProfile(run(convert, [out('photo-1200.jpg'), '-resize',
    '300x225', '-strip', 'jpeg:-'])));
  // Known colour: Adobe RGB (200, 60, 40) is sRGB (231.5, 57.4, 34.0) by the published primaries and curves.
  magick('-size', '16x16', 'xc:rgb(200,60,40)', '-profile', iccProfiles.adobeRgb,
    'PNG24:' + out('icc-adobe-patch.png'));

  for (const name of ['icc-adobe-rgb.jpg', 'icc-adobe-rgb.png', 'icc-adobe-hald.png', 'icc-cmyk.jpg', 'icc-gray.jpg']) {
    magick(out(name), '-profile', iccProfiles.srgb, '-strip', 'PNG24:' + out(`${name}.srgb-reference.png`));
  }
  magick(out('icc-adobe-rgba.png'), '-profile', iccProfiles.srgb, '-strip',
    'PNG32:' + out('icc-adobe-rgba.png.srgb-reference.png'));
}
// ---- end of colour management ----

// AVIF inputs written by libavif's avifenc (an encoder independent of ours, Debian's libavif-bin), each with a
// reference decode by avifdec at 8 bits: bit depths, chroma layouts, ranges, alpha, grids, irot/imir.
function avifFixtures() {
  const avifenc = (input, name, ...args) => run('avifenc', ['-j', '1', '-s', '8', ...args, input, out(name)]);
  const small = out('avif-source.png');
  magick(out('photo-1200.jpg'), '-resize', '256x192', 'PNG24:' + small);
  avifenc(small, 'avif-8bit.avif');
  avifenc(small, 'avif-10bit.avif', '-d', '10');
  avifenc(small, 'avif-12bit-444.avif', '-d', '12', '-y', '444');
  avifenc(small, 'avif-limited-422.avif', '-r', 'limited', '-y', '422');
  avifenc(small, 'avif-gray.avif', '-y', '400');
  avifenc(small, 'avif-grid.avif', '--grid', '2x2');
  avifenc(out('alpha.png'), 'avif-alpha.avif');
  avifenc(out('alpha.png'), 'avif-alpha-10bit.avif', '-d', '10');
  avifenc(out('pattern.png'), 'avif-irot1.avif', '--irot', '1', '-y', '444', '--cicp', '1/13/0', '--min', '0', '--max', '0');
  avifenc(out('pattern.png'), 'avif-imir1.avif', '--imir', '1', '-y', '444', '--cicp', '1/13/0', '--min', '0', '--max', '0');
  avifenc(out('photo-1200.jpg'), 'photo-1200.avif');
  for (const name of ['avif-8bit', 'avif-10bit', 'avif-12bit-444', 'avif-limited-422', 'avif-gray', 'avif-grid',
    'avif-alpha', 'avif-alpha-10bit']) run('avifdec', ['-d', '8', out(`${name}.avif`), out(`${name}.ref.png`)]);
  const avif = readFileSync(out('photo-1200.avif'));
  writeFileSync(out('truncated-photo-1200.avif'), avif.subarray(0, Math.floor(avif.length * 0.6)));
  const damaged = Buffer.from(avif);
  damaged.fill(0xa5, damaged.length - Math.floor(avif.length * 0.5), damaged.length - 16); // AV1 data garbled
  writeFileSync(out('corrupt-photo-1200.avif'), damaged);
}

// ---- HEIC (libheif's heif-enc with x265; references decoded by heif-convert) ----
// heif-enc 1.15 writes one coded picture per image (no grids) and keeps a JPEG's EXIF orientation as an EXIF tag
// without irot: its pixels stay as stored, and heif-convert writes them so with the tag kept. Phones write grids
// of HEVC tiles with irot, and an EXIF orientation tag that must then be ignored; that file is assembled here from
// tiles heif-enc coded, with our own boxes around them.
function isoBoxes(bytes, start = 0, end = bytes.length) {
  const boxes = [];
  for (let at = start; at + 8 <= end;) {
    const size = bytes.readUInt32BE(at);
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), raw: bytes.subarray(at, at + size),
      payload: bytes.subarray(at + 8, at + size) });
    at += size;
  }
  return boxes;
}
const isoBox = (type, ...parts) => {
  const payload = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length + 8);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
};
const fullBox = (type, version, flags, ...parts) => isoBox(type, Buffer.from([version, flags >> 16, flags >> 8 & 255, flags & 255]), ...parts);
const u16 = (...values) => Buffer.from(values.flatMap((v) => [v >> 8 & 255, v & 255]));
const u32 = (...values) => Buffer.concat(values.map((v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; }));

// The primary picture of a single-image HEIF heif-enc wrote: its property boxes (hvcC, ispe, ...) and its data.
function heifPicture(bytes) {
  const meta = isoBoxes(bytes).find((b) => b.type === 'meta');
  const children = isoBoxes(meta.payload, 4);
  const iloc = children.find((b) => b.type === 'iloc').payload; // version 0/1, one item, one extent
  const version = iloc[0], sizes = iloc[4], baseSize = iloc[5] >> 4;
  if (sizes !== 0x44 || (baseSize !== 0 && baseSize !== 4)) throw new Error('unexpected iloc layout from heif-enc');
  let at = 6 + 2 + 2 + (version >= 1 ? 2 : 0) + 2; // item count, item id, [method], data reference
  const base = baseSize ? iloc.readUInt32BE(at) : 0;
  at += baseSize + 2; // extent count: one
  const start = base + iloc.readUInt32BE(at);
  const data = bytes.subarray(start, start + iloc.readUInt32BE(at + 4));
  const iprp = isoBoxes(children.find((b) => b.type === 'iprp').payload);
  const properties = isoBoxes(iprp.find((b) => b.type === 'ipco').payload).map((b) => b.raw);
  return { properties, data };
}

// A grid HEIC: `columns` x `rows` tiles of `tile` px from `source` (padded), cropped to width x height, with an
// irot of `irot` anticlockwise quarter turns and an EXIF block holding orientation `exifOrientation`.
function heicGrid(source, name, { width, height, tile, columns, rows, irot, exifOrientation }) {
  const pictures = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const tilePng = out(`${name}.tile.png`);
      magick(source, '-background', 'gray50', '-extent', `${tile * columns}x${tile * rows}`, '-crop',
        `${tile}x${tile}+${c * tile}+${r * tile}`, '+repage', 'PNG24:' + tilePng);
      run('heif-enc', ['-q', '90', tilePng, '-o', out(`${name}.tile.heic`)]);
      pictures.push(heifPicture(readFileSync(out(`${name}.tile.heic`))));
    }
  }
  rmSync(out(`${name}.tile.png`));
  rmSync(out(`${name}.tile.heic`));
  const exif = Buffer.concat([u32(0), Buffer.from('4d4d002a00000008000101120003000000010000000000000000', 'hex')]);
  exif.writeUInt16BE(exifOrientation, 4 + 18);
  const gridData = Buffer.from([0, 0, rows - 1, columns - 1, ...u16(width, height)]);
  // Items: 1 the grid (primary), 2.. the tiles (hidden), then the Exif item.
  const tileIds = pictures.map((_, i) => 2 + i), exifId = 2 + pictures.length;
  const ipco = [isoBox('ispe', u32(0, width, height)), isoBox('irot', Buffer.from([irot]))];
  const ipma = [u16(1), Buffer.from([2, 0x01, 0x82])]; // grid: ispe, irot (essential)
  pictures.forEach((picture, i) => {
    const first = ipco.length + 1;
    ipco.push(...picture.properties);
    ipma.push(u16(tileIds[i]), Buffer.from([picture.properties.length,
      ...picture.properties.map((p, k) => (p.toString('latin1', 4, 8) === 'hvcC' ? 0x80 : 0) | (first + k))]));
  });
  const payloads = [gridData, ...pictures.map((p) => p.data), exif];
  const ids = [1, ...tileIds, exifId];
  const infe = (id, type, hidden) => fullBox('infe', 2, hidden ? 1 : 0, u16(id, 0), Buffer.from(type + '\0', 'latin1'));
  const build = (mdatStart) => {
    let offset = mdatStart + 8;
    const iloc = fullBox('iloc', 0, 0, Buffer.from([0x44, 0x00]), u16(ids.length), ...ids.map((id, i) => {
      const entry = Buffer.concat([u16(id, 0, 1), u32(offset, payloads[i].length)]);
      offset += payloads[i].length;
      return entry;
    }));
    return Buffer.concat([
      isoBox('ftyp', Buffer.from('heic', 'latin1'), u32(0), Buffer.from('mif1heicmiaf', 'latin1')),
      fullBox('meta', 0, 0,
        fullBox('hdlr', 0, 0, u32(0), Buffer.from('pict', 'latin1'), u32(0, 0, 0), Buffer.from([0])),
        fullBox('pitm', 0, 0, u16(1)),
        iloc,
        fullBox('iinf', 0, 0, u16(ids.length), infe(1, 'grid', false), ...tileIds.map((id) => infe(id, 'hvc1', true)),
          infe(exifId, 'Exif', true)),
        fullBox('iref', 0, 0, isoBox('dimg', u16(1, tileIds.length, ...tileIds)), isoBox('cdsc', u16(exifId, 1, 1))),
        isoBox('iprp', isoBox('ipco', ...ipco), fullBox('ipma', 0, 0, u32(1 + pictures.length), ...ipma))),
    ]);
  };
  const head = build(build(0).length); // offsets depend only on the header's length, which they do not change
  writeFileSync(out(name), Buffer.concat([head, isoBox('mdat', ...payloads)]));
}

function heicFixtures() {
  const heifEnc = (input, name, ...args) => run('heif-enc', ['-q', '85', ...args, input, '-o', out(name)]);
  const small = out('heic-source.png');
  magick(out('photo-1200.jpg'), '-resize', '256x192', 'PNG24:' + small);
  heifEnc(small, 'heic-single.heic');
  heifEnc(out('alpha.png'), 'heic-alpha.heic');
  heifEnc(out('orient-6.jpg'), 'heic-exif-6.heic'); // heif-enc keeps the EXIF tag and writes no irot
  heifEnc(out('photo-12mp.jpg'), 'photo-12mp.heic');
  heifEnc(out('rgb16.png'), 'heic-10bit.heic', '-b', '10'); // a 16-bit PNG: 10-bit HEVC
  heifEnc(out('icc-adobe-rgb.png'), 'heic-icc.heic'); // the PNG's iCCP becomes a colr prof
  // A phone's portrait photo: landscape tiles, irot 3 (a quarter turn clockwise), EXIF orientation 6 as well.
  magick(out('photo-1200.jpg'), '-resize', '1000x750', 'PNG24:' + out('heic-grid-source.png'));
  heicGrid(out('heic-grid-source.png'), 'heic-grid-irot.heic', { width: 1000, height: 750, tile: 384, columns: 3,
    rows: 2, irot: 3, exifOrientation: 6 });
  for (const name of ['heic-single', 'heic-alpha', 'heic-exif-6', 'heic-grid-irot', 'heic-10bit']) {
    run('heif-convert', ['--quiet', out(`${name}.heic`), out(`${name}.ref.png`)]);
  }
  const heic = readFileSync(out('heic-single.heic'));
  writeFileSync(out('truncated-heic-single.heic'), heic.subarray(0, Math.floor(heic.length * 0.6)));
}

function generate() {
  // Upright pattern: four coloured quadrants (red, green / blue, yellow), 64x48: orientation is unambiguous.
  magick('-size', '32x24', 'xc:#ff0000', 'xc:#00ff00', '+append', '(', '-size', '32x24', 'xc:#0000ff',
    'xc:#ffff00', '+append', ')', '-append', out('pattern.png'));
  for (let o = 1; o <= 8; o++) {
    const stored = run(convert, [out('pattern.png'), ...inverseOrientation[o], '-quality', '95', '-sampling-factor',
      '1x1', '-strip', 'jpeg:-']);
    writeFileSync(out(`orient-${o}.jpg`), withOrientation(stored, o));
  }

  // Photographs at fixed sizes, from a Debian package.
  magick(photoSource, '-resize', '4000x3000^', '-gravity', 'center', '-extent', '4000x3000', '-quality', '90',
    out('photo-12mp.jpg'));
  magick(out('photo-12mp.jpg'), '-resize', '1200x900', '-quality', '90', out('photo-1200.jpg'));
  writeFileSync(out('metadata.jpg'), withMetadata(run(convert, [out('photo-1200.jpg'), '-resize', '300x225',
    '-strip', '-quality', '90', 'jpeg:-'])));
  magick(out('photo-1200.jpg'), '-interlace', 'JPEG', '-quality', '85', out('photo-1200-progressive.jpg'));
  magick(out('photo-1200.jpg'), '-colorspace', 'Gray', out('photo-gray.jpg'));
  magick(out('photo-1200.jpg'), '-colorspace', 'CMYK', out('photo-cmyk.jpg'));
  if (!quick) writeFileSync(out('photo-108mp.jpg'), photo108mp());

  // An independent Lanczos-3 reference: ImageMagick's resize of the same photo crop.
  magick(out('photo-1200.jpg'), '-crop', '400x300+400+300', '+repage', 'PNG24:' + out('resize-source.png'));
  magick(out('resize-source.png'), '-filter', 'Lanczos', '-resize', '150x113!', 'PNG24:' + out('resize-reference-down.png'));
  magick(out('resize-source.png'), '-filter', 'Lanczos', '-resize', '700x525!', 'PNG24:' + out('resize-reference-up.png'));

  // PNG colour types: gray, palette, palette + tRNS, RGBA, 16-bit RGB, gray + alpha.
  magick(out('photo-1200.jpg'), '-resize', '300x225', '-colorspace', 'Gray', '-depth', '8', 'PNG8:' + out('gray.png'));
  magick(out('photo-1200.jpg'), '-resize', '300x225', '-colors', '64', 'PNG8:' + out('palette.png'));
  magick('-size', '120x90', 'xc:none', '-fill', '#3080ff', '-draw', 'circle 60,45 60,10', 'PNG8:' + out('trns.png'));
  magick('-size', '1600x1200', 'gradient:#ff8000-#0040ff', '(', '-size', '1600x1200', 'radial-gradient:white-none',
    ')', '-compose', 'CopyOpacity', '-composite', 'PNG32:' + out('alpha-2mp.png'));
  magick(out('alpha-2mp.png'), '-resize', '400x300', 'PNG32:' + out('alpha.png'));
  // A cut-out, as product and portrait PNGs come: the photograph inside a feathered oval, transparent outside.
  magick(out('photo-12mp.jpg'), '-resize', '1600x1200', '(', '-size', '1600x1200', 'xc:black', '-fill', 'white',
    '-draw', 'ellipse 800,600 600,520 0,360', '-blur', '0x8', ')', '-alpha', 'off', '-compose', 'CopyOpacity',
    '-composite', 'PNG32:' + out('cutout-2mp.png'));
  magick(out('photo-1200.jpg'), '-resize', '200x150', '-depth', '16', 'PNG48:' + out('rgb16.png'));
  magick(out('alpha.png'), '-colorspace', 'Gray', '-depth', '8', 'PNG:' + out('gray-alpha.png'));
  // White square on transparent black: a resize that ignores alpha would darken its edges.
  magick('-size', '200x200', 'xc:#00000000', '-fill', 'white', '-draw', 'rectangle 50,50 149,149',
    'PNG32:' + out('edge-alpha.png'));

  // A uniform border around the pattern (trim=border), and an obvious subject off-centre (gravity=auto).
  magick(out('pattern.png'), '-bordercolor', '#f0f0f0', '-border', '20x12', out('bordered.png'));
  magick(out('photo-1200.jpg'), '-resize', '160x120', '-bordercolor', 'white', '-border', '30x20', '-quality', '92',
    out('bordered-photo.jpg'));
  magick('-size', '600x200', 'xc:gray60', '(', out('photo-1200.jpg'), '-resize', '150x110^', '-gravity', 'center',
    '-extent', '150x110', ')', '-gravity', 'east', '-geometry', '+20+0', '-composite', out('subject-right.png'));

  // WebP: lossy, lossless, lossy with alpha, animated; GIF: still and animated.
  run('cwebp', ['-quiet', '-q', '80', out('photo-1200.jpg'), '-o', out('lossy.webp')]);
  run('cwebp', ['-quiet', '-lossless', out('palette.png'), '-o', out('lossless.webp')]);
  run('cwebp', ['-quiet', '-q', '80', '-alpha_q', '100', out('alpha.png'), '-o', out('alpha.webp')]);
  magick(out('photo-1200.jpg'), '-resize', '160x120', out('still.gif'));
  magick('-delay', '10', '-size', '80x60', 'xc:red', 'xc:lime', 'xc:blue', '-loop', '0', out('animated.gif'));
  run('gif2webp', ['-quiet', out('animated.gif'), '-o', out('animated.webp')]);
  // Frames that only cover part of the canvas, with transparency and "restore to background" disposal.
  magick('-dispose', 'Background', '-delay', '20', '-size', '60x40', 'xc:none', '(', '-size', '20x20', 'xc:red',
    ')', '-geometry', '+0+0', '-composite', '(', '-size', '60x40', 'xc:none', '-size', '20x20', 'xc:lime',
    '-geometry', '+20+10', '-composite', ')', '(', '-size', '60x40', 'xc:none', '-size', '20x20', 'xc:blue',
    '-geometry', '+40+20', '-composite', ')', '-loop', '0', out('animated-disposal.gif'));
  writeFileSync(out('bomb-frames.gif'), gifFrames(1201)); // over the frame limit

  // Damaged files: truncated at 60 %, or structurally corrupt at a known place.
  for (const name of ['photo-1200.jpg', 'photo-1200-progressive.jpg', 'alpha.png', 'lossy.webp', 'still.gif']) {
    const bytes = readFileSync(out(name));
    writeFileSync(out(`truncated-${name}`), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  }
  const jpeg = Buffer.from(readFileSync(out('photo-1200.jpg')));
  const sos = findMarker(jpeg, 0xda);
  jpeg.fill(0xff, sos + 400, sos + 1400).writeUInt16BE(0xffd0, sos + 1400); // fill bytes then a stray RST0
  writeFileSync(out('corrupt-scan.jpg'), jpeg);
  const png = Buffer.from(readFileSync(out('alpha.png')));
  png[png.indexOf('IDAT') + 40] ^= 0x55; // CRC mismatch in a critical chunk
  writeFileSync(out('corrupt.png'), png);
  const webp = Buffer.from(readFileSync(out('lossy.webp')));
  const start = webp.indexOf(Buffer.from([0x9d, 0x01, 0x2a]));
  webp[start] = 0; // VP8 start code
  writeFileSync(out('corrupt.webp'), webp);
  const gif = Buffer.from(readFileSync(out('still.gif')));
  gif[gifImageDescriptor(gif)] = 0x3b; // the first image descriptor becomes a trailer: no image at all
  writeFileSync(out('corrupt.gif'), gif);
  writeFileSync(out('not-an-image.txt'), 'this is not an image\n');

  // Header bombs: claims checked before any pixel is decoded.
  writeFileSync(out('bomb-100000.png'), pngBomb(100000, 100000));
  writeFileSync(out('bomb-16000.png'), pngBomb(16000, 16000)); // under the pixel cap, over the memory budget
  const progressive = Buffer.from(readFileSync(out('photo-1200-progressive.jpg')));
  const sof = findMarker(progressive, 0xc2);
  progressive.writeUInt16BE(9000, sof + 5);
  progressive.writeUInt16BE(12000, sof + 7);
  writeFileSync(out('progressive-108mp-header.jpg'), progressive);

  iccFixtures();
  avifFixtures();
  heicFixtures();
}

if (!existsSync(join(dir, '.complete')) || (!quick && !existsSync(out('photo-108mp.jpg')))) {
  if (!existsSync(photoSource)) throw new Error(`${photoSource} is missing: run scripts/bootstrap`);
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  generate();
  writeFileSync(join(dir, '.complete'), '');
  process.stderr.write(`fixtures: generated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
console.log(dir);
