// /admin/images/<id>: register, upload, change and forget images, { source, requireSignedURLs, tags, version }.
import { adminJson, adminOnly } from './admin-auth.js';
import { ingestBindings } from './config.js';
import { HttpError } from './errors.js';
import { gate, maxUploadBytes, readUploadBody, storeImage } from './ingest.js';
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
  if (!isJson) {
    const stored = await storeUploadedBytes(request, env, id, previous);
    return adminJson({ id, ...stored }, previous === null ? 201 : 200);
  }
  const { source, settings } = await registration(request);
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

/** The body is the image's bytes: gated, then stored through ingest.js (bytes, then the record). */
async function storeUploadedBytes(request, env, id, previous) {
  const bytes = await readUploadBody(request, { maxBytes: maxUploadBytes(env) });
  const { contentType } = await gate(bytes);
  const settings = settingsFromQuery(new URL(request.url));
  const record = {
    requireSignedURLs: settings.requireSignedURLs ?? previous?.requireSignedURLs ?? false,
    tags: settings.tags ?? previous?.tags ?? [],
  };
  return storeImage(ingestBindings(env), id, bytes, { record, previous, contentType });
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
