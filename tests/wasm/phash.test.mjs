// pHash through the shipped module: a copy re-encoded at quality 60 and resized to half (by ImageMagick) stays
// within the policy's default distance (8) of its original; unrelated real photographs (Debian's wallpapers, in
// /usr/share/backgrounds from lomiri-wallpapers-*) do not, pairwise, nor do 100 random pairs from the pool of real
// photos (the fixtures' photograph and the wallpapers: every fixture photo is made from one photograph, so pairs
// of fixtures alone would be copies of each other). The distance distributions are printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../../wasm/node.js';
import { fixturesDir } from '../support/golden.mjs';

const MAX_DISTANCE = 8; // the policy's default blocklist.maxDistance
const BACKGROUNDS = '/usr/share/backgrounds';
// The fixtures' photograph is made from this wallpaper: in the pool, the fixture stands for it.
const FIXTURES_SOURCE = 'Kleiber_by_Lukas_Baubkus.jpg';

const scratch = mkdtempSync(join(tmpdir(), 'edgepix-phash-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function distance(a, b) {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  for (; x; x &= x - 1n) bits++;
  return bits;
}

const summary = (distances) => {
  const sorted = [...distances].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return `min ${sorted[0]}, median ${median}, max ${sorted.at(-1)} (${sorted.length} pairs)`;
};

// Wallpapers the core classifies (one is over the transform memory limit as a progressive 33 MP JPEG: too_large).
async function realPhotos() {
  const photos = [];
  for (const name of readdirSync(BACKGROUNDS).filter((n) => n.endsWith('.jpg')).sort()) {
    if (name === FIXTURES_SOURCE) continue;
    const path = `${BACKGROUNDS}/${name}`;
    try {
      photos.push({ name, path, phash: (await classify(readFileSync(path))).phash });
    } catch (error) {
      if (error.code !== 'too_large') throw error;
      console.log(`skipped ${name}: ${error.message}`);
    }
  }
  return photos;
}

// mulberry32: the same "random" pairs on every run.
function seededRandom(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const wallpapers = await realPhotos();
const fixturePhoto = { name: 'photo-1200.jpg', path: `${fixturesDir()}/photo-1200.jpg` };
fixturePhoto.phash = (await classify(readFileSync(fixturePhoto.path))).phash;

test('a copy at quality 60 and half the size is within 8 bits of its original', async () => {
  const distances = [];
  for (const { name, path, phash } of [fixturePhoto, ...wallpapers.slice(0, 9)]) {
    const copyPath = join(scratch, `${name}.q60.jpg`);
    execFileSync('/usr/bin/convert', [path, '-resize', '50%', '-quality', '60', copyPath]);
    const d = distance(phash, (await classify(readFileSync(copyPath))).phash);
    assert.ok(d <= MAX_DISTANCE, `${name}: its copy is ${d} bits away`);
    distances.push(d);
  }
  console.log(`copies: ${summary(distances)}`);
});

test('ten unrelated real photos are pairwise more than 8 bits apart', () => {
  assert.ok(wallpapers.length >= 10, `only ${wallpapers.length} wallpapers: install lomiri-wallpapers-16.04`);
  const ten = wallpapers.slice(0, 10);
  const distances = [];
  for (let i = 0; i < ten.length; i++)
    for (let j = i + 1; j < ten.length; j++) {
      const d = distance(ten[i].phash, ten[j].phash);
      assert.ok(d > MAX_DISTANCE, `${ten[i].name} and ${ten[j].name} are ${d} bits apart`);
      distances.push(d);
    }
  console.log(`ten unrelated photos: ${summary(distances)}`);
});

test('100 random pairs of real photos are more than 8 bits apart', () => {
  const pool = [fixturePhoto, ...wallpapers];
  const random = seededRandom(16);
  const distances = [];
  while (distances.length < 100) {
    const i = Math.floor(random() * pool.length), j = Math.floor(random() * pool.length);
    if (i === j) continue;
    const d = distance(pool[i].phash, pool[j].phash);
    assert.ok(d > MAX_DISTANCE, `${pool[i].name} and ${pool[j].name} are ${d} bits apart`);
    distances.push(d);
  }
  console.log(`100 random pairs of ${pool.length} photos: ${summary(distances)}`);
});
