#!/usr/bin/env node
// Puts sample images into the local R2 bucket that `wrangler dev` uses, so /<key> and /cdn-cgi/image/… have
// something to serve. Photographs come from Debian's lomiri-wallpapers-20.04 (installed by scripts/bootstrap);
// a PNG with alpha and a GIF are drawn with ImageMagick. Nothing is downloaded. Re-running writes the same bytes
// (ImageMagick's timestamps are stripped), so etags and cached transforms stay valid.
//
//   node scripts/seed.mjs [--persist-to DIR]     DIR as given to `wrangler dev --persist-to` (default .wrangler/state)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PERSIST_TO = path.join(projectRoot, '.wrangler', 'state');
// The real ImageMagick, by full path: a `convert` earlier on PATH may be something else.
const IMAGEMAGICK_CONVERT = '/usr/bin/convert';
const WALLPAPERS = '/usr/share/backgrounds';

// Infinite-Sea is left out on purpose: a progressive 4096×4096 4:4:4 JPEG needs ~100 MB of coefficients to
// decode, over the core's memory budget, so every transform of it is a 413.
const PHOTOS = [
  { key: 'photos/kleiber.jpg', file: 'Kleiber_by_Lukas_Baubkus.jpg' },
  { key: 'photos/fossa.jpg', file: 'Fossa_by_Jasper_Roks.jpg' },
  { key: 'photos/painting-colors.jpg', file: 'Painting-Colors_by__herobrine7gamer.jpg' },
];

// Drawn images: [key, content type, ImageMagick arguments]. -strip and the excluded chunks keep bytes stable.
const DRAWN = [
  ['graphics/shapes-alpha.png', 'image/png', [
    '-size', '320x240', 'xc:none',
    '-fill', 'rgba(0,120,255,0.85)', '-draw', 'circle 160,120 160,24',
    '-fill', 'rgba(255,140,0,0.6)', '-draw', 'rectangle 40,40 200,150',
    '-strip', '-define', 'png:exclude-chunks=date,time', 'PNG32:-',
  ]],
  ['graphics/gradient.gif', 'image/gif', [
    '-size', '240x160', 'gradient:#1e90ff-#ffd700', '-colors', '32', '-strip', 'GIF:-',
  ]],
  // Four frames of a square moving across, 100 ms each, looping: animated GIF in, animated WebP out.
  ['graphics/moving.gif', 'image/gif', [
    '-delay', '10', '-loop', '0',
    ...[0, 1, 2, 3].flatMap((i) => ['(', '-size', '320x160', 'xc:#203040', '-fill', '#ffcc00', '-draw',
      `rectangle ${20 + i * 70},40 ${100 + i * 70},120`, ')']),
    '-strip', 'GIF:-',
  ]],
];

/** The sample objects: { key, bytes, contentType, customMetadata }. */
export function sampleObjects() {
  const photos = PHOTOS.map(({ key, file }) => ({
    key,
    bytes: readFileSync(path.join(WALLPAPERS, file)),
    contentType: 'image/jpeg',
    customMetadata: { source: `${WALLPAPERS}/${file} (Debian package lomiri-wallpapers-20.04)` },
  }));
  const drawn = DRAWN.map(([key, contentType, args]) => ({
    key,
    bytes: execFileSync(IMAGEMAGICK_CONVERT, args, { maxBuffer: 64 << 20 }),
    contentType,
    customMetadata: { source: 'drawn by scripts/seed.mjs with ImageMagick' },
  }));
  return [...photos, ...drawn];
}

/**
 * Writes objects into the ORIGINALS bucket persisted under `persistTo` (the directory `wrangler dev
 * --persist-to` takes).
 */
export async function putObjects(objects, { persistTo = DEFAULT_PERSIST_TO } = {}) {
  await withStorage(persistTo, async ({ ORIGINALS }) => {
    for (const { key, bytes, contentType, customMetadata } of objects) {
      // A copy with a buffer of its own: the proxy's serialiser refuses views into Node's pooled Buffers.
      const body = new Uint8Array(bytes);
      await ORIGINALS.put(key, body, { httpMetadata: { contentType }, customMetadata });
    }
  });
}

/** The keys under `prefix` in the ORIGINALS bucket persisted under `persistTo` (no `wrangler dev` may be using it). */
export async function listObjectKeys(prefix, { persistTo = DEFAULT_PERSIST_TO } = {}) {
  return withStorage(persistTo, async ({ ORIGINALS }) => {
    const keys = [];
    let cursor;
    do {
      const page = await ORIGINALS.list({ prefix, cursor });
      keys.push(...page.objects.map(({ key }) => key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return keys;
  });
}

/**
 * The objects under `prefix` in the ORIGINALS bucket persisted under `persistTo`, as a Map from key to bytes, read
 * in one storage session (no `wrangler dev` may be using it).
 */
export async function readObjects(prefix, { persistTo = DEFAULT_PERSIST_TO } = {}) {
  return withStorage(persistTo, async ({ ORIGINALS }) => {
    const objects = new Map();
    let cursor;
    do {
      const page = await ORIGINALS.list({ prefix, cursor });
      for (const { key } of page.objects) {
        objects.set(key, new Uint8Array(await (await ORIGINALS.get(key)).arrayBuffer()));
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
    return objects;
  });
}

/**
 * The keys under `prefix` in the KV namespace `binding` persisted under `persistTo`, as KV lists them:
 * { name, expiration? } (no `wrangler dev` may be using it).
 */
export async function listKvKeys(binding, prefix, { persistTo = DEFAULT_PERSIST_TO } = {}) {
  return withStorage(persistTo, async (env) => {
    const keys = [];
    let cursor;
    do {
      const page = await env[binding].list({ prefix, cursor });
      keys.push(...page.keys);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return keys;
  });
}

/**
 * Runs `use(env)` with the R2 buckets and KV namespaces persisted under `persistTo` (wrangler keeps its data in a
 * `v3` folder of it).
 */
async function withStorage(persistTo, use) {
  // Offline by default: without these wrangler stalls fetching request.cf data and sends metrics.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  const { getPlatformProxy } = await import('wrangler');
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'edgepix-seed-'));
  const proxy = await getPlatformProxy({
    configPath: await storageOnlyConfig(configDir),
    persist: { path: path.join(path.resolve(persistTo), 'v3') },
    remoteBindings: false,
  }).finally(() => rmSync(configDir, { recursive: true, force: true }));
  try {
    return await use(proxy.env);
  } finally {
    await proxy.dispose();
  }
}

/**
 * getPlatformProxy starts every binding its config declares, and warns that the Worker's own Durable Objects cannot
 * run without the Worker. Seeding and reading back need only storage: a copy of wrangler.toml's name, date, R2
 * buckets and KV namespaces.
 */
async function storageOnlyConfig(dir) {
  const { experimental_readRawConfig } = await import('wrangler');
  const { rawConfig } = experimental_readRawConfig({ config: path.join(projectRoot, 'wrangler.toml') });
  const { name, compatibility_date, r2_buckets, kv_namespaces } = rawConfig;
  const file = path.join(dir, 'wrangler.json');
  writeFileSync(file, JSON.stringify({ name, compatibility_date, r2_buckets, kv_namespaces }));
  return file;
}

export async function seed(options) {
  const objects = sampleObjects();
  await putObjects(objects, options);
  return objects.map(({ key }) => key);
}

function parseArgs(argv) {
  const at = argv.indexOf('--persist-to');
  if (at !== -1 && !argv[at + 1]) throw new Error('--persist-to needs a directory');
  return { persistTo: at === -1 ? DEFAULT_PERSIST_TO : argv[at + 1] };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { persistTo } = parseArgs(process.argv.slice(2));
  const keys = await seed({ persistTo });
  console.log(`seeded ${keys.length} objects into ORIGINALS (edgepix-originals) under ${path.resolve(persistTo)}:`);
  for (const key of keys) console.log(`  ${key}`);
  const base = 'http://localhost:8787';
  const devCommand = persistTo === DEFAULT_PERSIST_TO ? 'npx wrangler dev' : `npx wrangler dev --persist-to ${persistTo}`;
  console.log(`\nwith \`${devCommand}\` running, try:`);
  console.log(`  ${base}/${keys[0]}`);
  console.log(`  ${base}/cdn-cgi/image/width=400,format=webp/${keys[0]}`);
  console.log(`  ${base}/cdn-cgi/image/width=200,format=auto/${keys.find((key) => key.endsWith('.png'))}`);
}
