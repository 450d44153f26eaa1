#!/usr/bin/env node
// Seeds the fuzz corpora and writes the dictionaries scripts/fuzz hands to libFuzzer, under build/fuzz/ (never
// committed). Seeds come from the test images (scripts/fixtures.mjs), the golden table (tests/golden/cases.tsv),
// the policies in the core's tests, and a few signed URLs and ThumbHashes made here. Dictionaries are the static
// ones in tests/fuzz/*.dict, and, for the option parser, one generated from the option table in the source, so
// that a new option is fuzzed by name the day it is added. Existing corpus files are kept: a corpus grows run
// after run.
//   node scripts/fuzz-seeds.mjs OUT_DIR HARNESS...     (EDGEPIX_FIXTURES: the fixtures folder)
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { rgbaToThumbHash } from 'thumbhash';

const root = new URL('..', import.meta.url).pathname;
const [outDir, ...harnesses] = process.argv.slice(2);
const fixtures = process.env.EDGEPIX_FIXTURES;
if (!outDir || !fixtures) throw new Error('usage: EDGEPIX_FIXTURES=... node scripts/fuzz-seeds.mjs OUT_DIR HARNESS...');

const source = (path) => readFileSync(join(root, path), 'utf8');
const bytes = (text) => Buffer.from(text, 'utf8');

// ---- seeds ----

// Test images small enough to fuzz quickly (the reference renderings are outputs, not inputs).
const MAX_IMAGE_SEED = 80 * 1024;
const images = readdirSync(fixtures)
  .filter((name) => !name.startsWith('.') && !/\.(ref|srgb-reference)\.png$/.test(name))
  .filter((name) => statSync(join(fixtures, name)).size <= MAX_IMAGE_SEED)
  .sort()
  .map((name) => readFileSync(join(fixtures, name)));
const isHeif = (file) => file.subarray(4, 8).toString('latin1') === 'ftyp';

const golden = source('tests/golden/cases.tsv').split('\n')
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => line.split('\t'));
const goldenOptions = [...new Set(golden.map((fields) => fields[2]))];
const goldenAccepts = [...new Set(golden.map((fields) => fields[3]).filter((accept) => accept !== '-'))];

// EXIF (TIFF) and ICC blocks as the containers carry them: JPEG APP1 / APP2, PNG eXIf / iCCP.
function jpegSegments(file) {
  const segments = [];
  for (let at = 2; at + 4 <= file.length && file[at] === 0xff;) {
    const marker = file[at + 1];
    const length = file.readUInt16BE(at + 2);
    if (marker === 0xda) break;
    segments.push({ marker, payload: file.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  return segments;
}
function pngChunks(file) {
  const chunks = [];
  for (let at = 8; at + 12 <= file.length;) {
    const length = file.readUInt32BE(at);
    chunks.push({ type: file.subarray(at + 4, at + 8).toString('latin1'), data: file.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}
function metadataBlocks() {
  const exif = [];
  const icc = [];
  for (const file of readdirSync(fixtures).filter((name) => !name.startsWith('.')).map((name) => readFileSync(join(fixtures, name)))) {
    if (file[0] === 0xff && file[1] === 0xd8) {
      const profile = [];
      for (const { marker, payload } of jpegSegments(file)) {
        if (marker === 0xe1 && payload.subarray(0, 6).toString('latin1') === 'Exif\0\0') exif.push(payload);
        if (marker === 0xe2 && payload.subarray(0, 12).toString('latin1') === 'ICC_PROFILE\0') profile.push(payload.subarray(14));
      }
      if (profile.length) icc.push(Buffer.concat(profile));
    } else if (file.subarray(1, 4).toString('latin1') === 'PNG') {
      for (const { type, data } of pngChunks(file)) {
        if (type === 'eXIf') exif.push(data);
        if (type === 'iCCP') {
          try { icc.push(inflateSync(data.subarray(data.indexOf(0) + 2))); } catch { /* a damaged fixture */ }
        }
      }
    }
  }
  return { exif, icc };
}

// Cloudflare's scheme (src/sign/url_signature.h), under the harness's second key.
function signed(url, key, expires) {
  const withExp = expires === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}exp=${expires}`;
  const [path, query = ''] = withExp.replace(/^https?:\/\/[^/]*/, '').split('?');
  const message = query ? `${path}?${query}` : path;
  return `${withExp}${withExp.includes('?') ? '&' : '?'}sig=${createHmac('sha256', key).update(message).digest('hex')}`;
}

// JSON texts written as raw string literals (adjacent ones joined) in a test file: the policies the tests use.
function rawJsonLiterals(path) {
  const found = [];
  for (const match of source(path).matchAll(/R"\((?:[^)]|\)(?!"))*\)"(?:\s*R"\((?:[^)]|\)(?!"))*\)")*/g)) {
    const text = [...match[0].matchAll(/R"\(((?:[^)]|\)(?!"))*)\)"/g)].map((part) => part[1]).join('');
    try {
      JSON.parse(text);
      found.push(text);
    } catch { /* a fragment, completed in code */ }
  }
  return found;
}

function thumbHashes() {
  const hashes = [];
  for (const [w, h, alpha] of [[8, 8, false], [16, 9, true], [5, 20, false]]) {
    const rgba = new Uint8Array(w * h * 4).map((_, i) => (i % 4 === 3 ? (alpha ? (i * 7) & 255 : 255) : (i * 13) & 255));
    hashes.push(Buffer.from(rgbaToThumbHash(w, h, rgba)).toString('base64'));
  }
  return hashes;
}

const bindingRequests = [
  '{"transform":{"width":400,"fit":"cover","gravity":{"x":0.5,"y":0.3,"mode":"box-center"}},"output":{"format":"image/webp","quality":80}}',
  '{"transform":{"width":200,"trim":{"top":5,"left":5,"border":false},"border":{"color":"#ff0000","width":4}},"output":{"format":"image/avif"}}',
  '{"transform":{"height":100,"rotate":90,"blur":10},"output":{"format":"image/png","anim":false},"draw":[{"input":1,"top":0,"left":0,"opacity":0.5,"repeat":"x","composite":"over","transform":{"width":32}}]}',
  '{"options":"width=400","limits":{"maxWorkingBytes":1000000,"maxSourcePixels":1000000,"maxOutputSide":100,"maxFrames":2,"maxAnimationPixels":100,"budget":0},"keepGps":true}',
];

const seedsFor = {
  transform: () => images.flatMap((file, k) => [Buffer.concat([Buffer.from([k * 5 & 0xff]), file]),
    Buffer.concat([Buffer.from([(k * 5 + 131) & 0xff]), file])]),
  probe: () => images,
  classify: () => images,
  gate: () => images,
  metadata: () => images,
  heif: () => images.filter(isHeif),
  exif: () => metadataBlocks().exif,
  icc: () => metadataBlocks().icc,
  options: () => goldenOptions.map(bytes),
  request: () => [...goldenOptions.map((options) => JSON.stringify({ options })), ...bindingRequests].map(bytes),
  headers: () => [...goldenAccepts.map((accept) => `Accept: ${accept}`),
    'Accept: image/avif,image/webp,*/*;q=0.8\nSec-CH-DPR: 2\nSec-CH-Width: 640\nSec-CH-Viewport-Width: 1280',
    'accept: image/webp;q=0, image/avif;q=0.5\nDPR: 3\nWidth: 300\nViewport-Width: 390\nECT: 2g\nSave-Data: on'].map(bytes),
  verify_url: () => ['/cdn-cgi/image/width=400/photo.jpg', 'https://example.com/cdn-cgi/imagedelivery/abc/id/public?w=1',
    '/images/a.jpg?width=100&height=50'].flatMap((url) => [url, signed(url, 'second signing key'),
    signed(url, 'first signing key', 1700000060), signed(url, 'first signing key', 1600000000)]).map(bytes),
  policy: () => [...rawJsonLiterals('tests/core/policy_test.cpp'), ...rawJsonLiterals('tests/core/verdict_test.cpp')].map(bytes),
  placeholder: () => thumbHashes().map(bytes),
};

// ---- dictionaries ----

const dictEntry = (token) => `"${[...Buffer.from(token, 'latin1')].map((byte) =>
  (byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('')}"`;
const staticDict = (...names) => names.map((name) => source(`tests/fuzz/${name}.dict`)).join('\n');

// The option table's rows (src/plan/options.cpp, kOptions): { "name", "alias" | nullptr, parser, writer,
// "jsonKey" | nullptr, ... }, and every named choice ({"cover", Fit::cover}). The request's own keys
// (src/plan/request.cpp) are its short string literals: limits, draw entries and their words.
function optionVocabulary() {
  const options = source('src/plan/options.cpp');
  const rows = [...options.matchAll(/^\s*\{"([a-z-]+)", (?:"([a-z]+)"|nullptr), \w+, \w+, (?:"(\w+)"|nullptr)/gm)];
  if (rows.length < 10) throw new Error('src/plan/options.cpp: the option table was not found (its row shape changed?)');
  const names = rows.flatMap((row) => [row[1], row[2]].filter(Boolean));
  const jsonKeys = rows.map((row) => row[3] ?? row[1]);
  const choices = [...options.matchAll(/\{"([a-z0-9-]+)", \w+::\w+\}/g)].map((match) => match[1]);
  const requestWords = [...source('src/plan/request.cpp').matchAll(/"([A-Za-z][A-Za-z0-9-]{0,23})"/g)].map((match) => match[1]);
  return { names, jsonKeys, choices, requestWords };
}
function optionsDict() {
  const { names, choices } = optionVocabulary();
  const tokens = [...names.map((name) => `${name}=`), ...choices, ',', '=', ';', ':', 'x', '(', ')', 'rgba(', '#', 'auto', 'true', 'false',
    'border', 'color:', 'width:', '0.5', '1e9', '-0', '12000', '12001'];
  return [...new Set(tokens)].map(dictEntry).join('\n');
}
function requestDict() {
  const { names, jsonKeys, choices, requestWords } = optionVocabulary();
  const keys = [...jsonKeys, ...requestWords, 'options', 'transform', 'output', 'draw', 'limits', 'keepGps', 'x', 'y', 'mode',
    'top', 'right', 'bottom', 'left', 'border', 'color', 'width'];
  const tokens = [...keys.map((key) => `"${key}":`), ...choices.map((choice) => `"${choice}"`),
    ...names.map((name) => `${name}=`), '"image/webp"', '"image/avif"', '"image/png"', '"image/jpeg"',
    '{', '}', '[', ']', ',', ':', 'true', 'false', 'null', '"\\u0000"', '1e400', '-1', '0.5', '9007199254740993'];
  return [...new Set(tokens)].map(dictEntry).join('\n');
}

const imageDict = () => staticDict('jpeg', 'png', 'webp', 'isobmff', 'exif', 'icc');
const dictFor = {
  transform: imageDict, probe: imageDict, classify: imageDict, gate: imageDict, metadata: imageDict,
  heif: () => staticDict('isobmff', 'exif'),
  exif: () => staticDict('exif'),
  icc: () => staticDict('icc'),
  options: optionsDict,
  request: requestDict,
  headers: () => staticDict('headers'),
  verify_url: () => staticDict('url'),
  policy: () => staticDict('policy'),
};

// ---- write ----

for (const harness of harnesses) {
  if (!seedsFor[harness]) throw new Error(`no seeds for harness ${harness}`);
  const corpus = join(outDir, 'corpus', harness);
  mkdirSync(corpus, { recursive: true });
  for (const seed of seedsFor[harness]()) {
    // Named by content, as libFuzzer names what it adds: a seed written twice is one file.
    const file = join(corpus, createHash('sha1').update(seed).digest('hex'));
    if (!existsSync(file)) writeFileSync(file, seed);
  }
  if (dictFor[harness]) {
    mkdirSync(join(outDir, 'dict'), { recursive: true });
    writeFileSync(join(outDir, 'dict', `${harness}.dict`), `${dictFor[harness]()}\n`);
  }
}
