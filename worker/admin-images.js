// /admin/images/<id>: register, upload, change and forget images, { source, requireSignedURLs, tags, version }.
import { probe } from 'edgepix';
import { adminJson, adminOnly } from './admin-auth.js';
import { maxOriginalBytes } from './config.js';
import { HttpError } from './errors.js';
import * as meta from './meta.js';
import { optionalBoolean, queryBoolean, readJsonObject } from './request-body.js';
import { checkSource, uploadedObjectKey } from './store.js';

export const getImage = adminOnly(async (request, env, ctx, { id }) =>
  adminJson({ id, ...await existingImage(env, id) }));

/**
 * Creates or replaces an image. The body is either the image's bytes (stored in R2 under admin/images/<id>;
 * requireSignedURLs and tags from the query: ?requireSignedURLs=true&tags=a,b) or, with Content-Type
 * application/json, { source, requireSignedURLs, tags } naming an original elsewhere (r2, s3 or url).
 * Unstated settings keep their previous values. Every PUT bumps the version: nothing cached survives a replace.
 */
export const putImage = adminOnly(async (request, env, ctx, { id }) => {
  meta.checkImageId(id);
  const previous = await meta.getImage(env.META, id);
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
  await meta.putImageWithTags(env.META, id, image, previous?.tags);
  const previousBytes = previous && uploadedObjectKey(previous.source);
  if (previousBytes && uploadedObjectKey(source) === null) await env.ORIGINALS.delete(previousBytes);
  return adminJson({ id, ...image }, previous === null ? 201 : 200);
});

/** Changes requireSignedURLs and/or tags; the bytes and the version stay. */
export const patchImage = adminOnly(async (request, env, ctx, { id }) => {
  const previous = await existingImage(env, id);
  const settings = settingsFromJson(await readJsonObject(request, ['requireSignedURLs', 'tags']));
  const image = { ...previous, ...settings };
  await meta.putImageWithTags(env.META, id, image, previous.tags);
  return adminJson({ id, ...image });
});

export const deleteImage = adminOnly(async (request, env, ctx, { id }) => {
  const image = await existingImage(env, id);
  await meta.deleteImageRecord(env.META, id, image);
  const bytes = uploadedObjectKey(image.source);
  if (bytes !== null) await env.ORIGINALS.delete(bytes);
  return adminJson({ id, deleted: true });
});

async function existingImage(env, id) {
  const image = await meta.getImage(env.META, meta.checkImageId(id));
  if (image === null) throw new HttpError('not_found', `no image with id ${JSON.stringify(id)}`);
  return image;
}

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

function settingsFromJson(body) {
  const settings = {};
  const requireSignedURLs = optionalBoolean(body, 'requireSignedURLs');
  if (requireSignedURLs !== undefined) settings.requireSignedURLs = requireSignedURLs;
  if (body.tags !== undefined) settings.tags = meta.checkTags(body.tags);
  return settings;
}

function settingsFromQuery(url) {
  const settings = {};
  const requireSignedURLs = queryBoolean(url, 'requireSignedURLs');
  if (requireSignedURLs !== undefined) settings.requireSignedURLs = requireSignedURLs;
  const tags = url.searchParams.get('tags');
  if (tags !== null) settings.tags = meta.checkTags(tags.split(',').filter((tag) => tag !== ''));
  return settings;
}
