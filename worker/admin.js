// /admin/…: variants, images and purge, behind `Authorization: Bearer <ADMIN_TOKEN>` (a Worker secret, compared
// in constant time by the core). Every answer is JSON and never cached.
import { decide, probe, safeEqual } from '../wasm/workerd.js';
import { maxOriginalBytes } from './config.js';
import { HttpError } from './errors.js';
import * as meta from './meta.js';

// One purge touches each image twice in KV (read, write); this keeps a call well inside a Worker's subrequests.
const MAX_PURGE_IMAGES = 250;

const json = (body, status = 200) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/** Wraps a handler so that it runs only for a request bearing the admin token. */
function adminOnly(handler) {
  return async (request, env, ctx, params) => {
    await requireAdminToken(request, env);
    return handler(request, env, ctx, params);
  };
}

async function requireAdminToken(request, env) {
  const presented = /^Bearer +(\S+) *$/i.exec(request.headers.get('Authorization') ?? '')?.[1];
  const expected = env.ADMIN_TOKEN ?? '';
  if (presented !== undefined && expected !== '' && await safeEqual(presented, expected)) return;
  throw new HttpError('unauthorized', 'the admin API needs Authorization: Bearer <ADMIN_TOKEN>',
    { 'WWW-Authenticate': 'Bearer realm="edgepix admin"' });
}

// --- variants: { options: "<Cloudflare option string>", neverRequireSignedURLs: boolean }

export const listVariants = adminOnly(async (request, env) => json({ variants: await meta.listVariants(env) }));

export const getVariant = adminOnly(async (request, env, ctx, { name }) => {
  const variant = await meta.getVariant(env, meta.checkVariantName(name));
  if (variant === null) throw new HttpError('not_found', `no variant named ${JSON.stringify(name)}`);
  return json({ name, ...variant });
});

export const putVariant = adminOnly(async (request, env, ctx, { name }) => {
  meta.checkVariantName(name);
  const body = await readJsonObject(request, ['options', 'neverRequireSignedURLs']);
  const maxLength = meta.MAX_VARIANT_OPTIONS_LENGTH;
  if (typeof body.options !== 'string' || body.options === '' || body.options.length > maxLength) {
    throw new HttpError('bad_request',
      `options must be an option string of 1 to ${maxLength} characters, e.g. "width=400,fit=cover"`);
  }
  const neverRequireSignedURLs = optionalBoolean(body, 'neverRequireSignedURLs') ?? false;
  const variant = { options: body.options, neverRequireSignedURLs };
  (await decide(variant.options)).release(); // validated by the core: its 400 bad_option names the option
  const existing = await meta.getVariant(env, name);
  if (existing === null && (await meta.listVariants(env)).length >= meta.MAX_VARIANTS) {
    throw new HttpError('too_many_variants', `at most ${meta.MAX_VARIANTS} variants; delete one first`);
  }
  await meta.putVariant(env, name, variant);
  return json({ name, ...variant }, existing === null ? 201 : 200);
});

export const deleteVariant = adminOnly(async (request, env, ctx, { name }) => {
  if (await meta.getVariant(env, meta.checkVariantName(name)) === null) {
    throw new HttpError('not_found', `no variant named ${JSON.stringify(name)}`);
  }
  await meta.deleteVariant(env, name);
  return json({ name, deleted: true });
});

// --- images: { source, requireSignedURLs, tags, version }

export const getImage = adminOnly(async (request, env, ctx, { id }) => json({ id, ...await existingImage(env, id) }));

/**
 * Creates or replaces an image. The body is either the image's bytes (stored in R2 under admin/images/<id>;
 * requireSignedURLs and tags from the query: ?requireSignedURLs=true&tags=a,b) or, with Content-Type
 * application/json, { source, requireSignedURLs, tags } naming an original elsewhere (r2, s3 or url).
 * Unstated settings keep their previous values. Every PUT bumps the version: nothing cached survives a replace.
 */
export const putImage = adminOnly(async (request, env, ctx, { id }) => {
  meta.checkImageId(id);
  const previous = await meta.getImage(env, id);
  const isJson = /^application\/json\b/i.test(request.headers.get('Content-Type') ?? '');
  const { source, settings } = isJson
    ? await registration(request)
    : { source: await storeUploadedBytes(request, env, id), settings: settingsFromQuery(new URL(request.url)) };
  const image = {
    source,
    requireSignedURLs: settings.requireSignedURLs ?? previous?.requireSignedURLs ?? false,
    tags: settings.tags ?? previous?.tags ?? [],
    version: (previous?.version ?? 0) + 1,
  };
  await meta.putImageWithTags(env, id, image, previous?.tags);
  if (previous && isUploaded(previous.source) && !isUploaded(source)) await env.ORIGINALS.delete(previous.source.key);
  return json({ id, ...image }, previous === null ? 201 : 200);
});

/** Changes requireSignedURLs and/or tags; the bytes and the version stay. */
export const patchImage = adminOnly(async (request, env, ctx, { id }) => {
  const previous = await existingImage(env, id);
  const settings = settingsFromJson(await readJsonObject(request, ['requireSignedURLs', 'tags']));
  const image = { ...previous, ...settings };
  await meta.putImageWithTags(env, id, image, previous.tags);
  return json({ id, ...image });
});

export const deleteImage = adminOnly(async (request, env, ctx, { id }) => {
  const image = await existingImage(env, id);
  await meta.deleteImageRecord(env, id, image);
  if (isUploaded(image.source)) await env.ORIGINALS.delete(image.source.key);
  return json({ id, deleted: true });
});

// --- purge: { images: [ids] } and/or { tags: [tags] } → each image's version is bumped, orphaning its cache entries

export const purge = adminOnly(async (request, env) => {
  const body = await readJsonObject(request, ['images', 'tags']);
  if (body.images === undefined && body.tags === undefined) {
    throw new HttpError('bad_request', 'expected { "images": [ids] } and/or { "tags": [tags] }');
  }
  const ids = new Set(body.images === undefined ? [] : stringList(body.images, 'images'));
  const tags = body.tags === undefined ? [] : meta.checkTags(body.tags);
  for (const tag of tags) for (const id of await meta.imageIdsWithTag(env, tag)) ids.add(id);
  if (ids.size > MAX_PURGE_IMAGES) throw new HttpError('bad_request', `at most ${MAX_PURGE_IMAGES} images per purge`);

  const purged = [];
  const missing = [];
  for (const id of ids) {
    const image = await meta.getImage(env, id);
    if (image === null) {
      missing.push(id);
      continue;
    }
    await meta.putImage(env, id, { ...image, version: image.version + 1 });
    purged.push(id);
  }
  return json({ purged, missing });
});

// --- helpers

async function existingImage(env, id) {
  const image = await meta.getImage(env, meta.checkImageId(id));
  if (image === null) throw new HttpError('not_found', `no image with id ${JSON.stringify(id)}`);
  return image;
}

const isUploaded = (source) => source.kind === 'r2' && meta.isImageObjectKey(source.key);

/** Reads the upload (refusing what the core could not read anyway) and stores it in R2. */
async function storeUploadedBytes(request, env, id) {
  const limit = maxOriginalBytes(env);
  if (Number(request.headers.get('Content-Length')) > limit) {
    throw new HttpError('too_large', `uploads are limited to ${limit} bytes`);
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length === 0) throw new HttpError('bad_request', 'the body must be the image bytes');
  if (bytes.length > limit) throw new HttpError('too_large', `uploads are limited to ${limit} bytes`);
  const { format } = await probe(bytes); // 415 / 422 / 413 from the core for what it cannot deliver
  const key = meta.imageObjectKey(id);
  await env.ORIGINALS.put(key, bytes, { httpMetadata: { contentType: `image/${format}` } });
  return { kind: 'r2', key };
}

async function registration(request) {
  const body = await readJsonObject(request, ['source', 'requireSignedURLs', 'tags']);
  return { source: checkSource(body.source), settings: settingsFromJson(body) };
}

function checkSource(source) {
  const ok = source !== null && typeof source === 'object' && (
    (['r2', 's3'].includes(source.kind) && typeof source.key === 'string' && source.key !== '')
    || (source.kind === 'url' && typeof source.url === 'string' && /^https:\/\//.test(source.url)));
  if (!ok) {
    throw new HttpError('bad_request',
      'source must be { "kind": "r2" | "s3", "key": "…" } or { "kind": "url", "url": "https://…" }');
  }
  if (source.kind === 'r2' && meta.isImageObjectKey(source.key)) {
    throw new HttpError('bad_request', 'admin/images/ keys belong to uploaded images; upload the bytes instead');
  }
  return source.kind === 'url' ? { kind: 'url', url: source.url } : { kind: source.kind, key: source.key };
}

function settingsFromJson(body) {
  const settings = {};
  const requireSignedURLs = optionalBoolean(body, 'requireSignedURLs');
  if (requireSignedURLs !== undefined) settings.requireSignedURLs = requireSignedURLs;
  if (body.tags !== undefined) settings.tags = meta.checkTags(body.tags);
  return settings;
}

function settingsFromQuery(url) {
  const settings = {};
  const requireSignedURLs = url.searchParams.get('requireSignedURLs');
  if (requireSignedURLs !== null) {
    if (!['true', 'false'].includes(requireSignedURLs)) {
      throw new HttpError('bad_request', 'requireSignedURLs must be true or false');
    }
    settings.requireSignedURLs = requireSignedURLs === 'true';
  }
  const tags = url.searchParams.get('tags');
  if (tags !== null) settings.tags = meta.checkTags(tags.split(',').filter((tag) => tag !== ''));
  return settings;
}

/** The body as a JSON object with only the `allowed` fields; anything else is a 400 naming what was wrong. */
async function readJsonObject(request, allowed) {
  let body;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new HttpError('bad_request', 'the body must be JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError('bad_request', 'the body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((field) => !allowed.includes(field));
  if (unknown.length > 0) {
    throw new HttpError('bad_request', `unknown field(s) ${unknown.join(', ')}; expected ${allowed.join(', ')}`);
  }
  return body;
}

function optionalBoolean(body, field) {
  if (body[field] === undefined || typeof body[field] === 'boolean') return body[field];
  throw new HttpError('bad_request', `${field} must be true or false`);
}

function stringList(value, field) {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new HttpError('bad_request', `${field} must be a list of strings`);
  }
  return value;
}
