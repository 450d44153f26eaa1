// /admin/images/<id>: the admin API's images, an alias of the Images API's (worker/image-writes.js does the work
// for both; see README's migration note). Raw bytes as the body, or JSON naming an original stored elsewhere.
import { adminJson, adminOnly } from './admin-auth.js';
import { existingImage, registerImage, removeImage, updateImage, uploadImage } from './image-writes.js';
import { maxUploadBytes, readUploadBody } from './ingest.js';
import * as meta from './meta.js';
import { optionalBoolean, queryBoolean, readJsonObject } from './request-body.js';
import { checkSource } from './store.js';

export const getImage = adminOnly(async (request, env, ctx, { id }) =>
  adminJson({ id, ...await existingImage(env.META, id) }));

/**
 * Creates or replaces an image. The body is either the image's bytes (requireSignedURLs and tags from the query:
 * ?requireSignedURLs=true&tags=a,b) or, with Content-Type application/json, { source, requireSignedURLs, tags }
 * naming an original elsewhere (r2, s3 or url). Unstated settings keep their previous values; a replace bumps the
 * version.
 */
export const putImage = adminOnly(async (request, env, ctx, { id }) => {
  meta.checkImageId(id);
  const isJson = /^application\/json\b/i.test(request.headers.get('Content-Type') ?? '');
  const { image, created } = isJson
    ? await register(request, env, id)
    : await uploadImage(env, id, await readUploadBody(request, { maxBytes: maxUploadBytes(env) }),
      settingsFromQuery(new URL(request.url)));
  return adminJson({ id, ...image }, created ? 201 : 200);
});

/** Changes requireSignedURLs and/or tags; the bytes and the version stay. */
export const patchImage = adminOnly(async (request, env, ctx, { id }) => {
  await existingImage(env.META, id);
  const settings = settingsFromJson(await readJsonObject(request, ['requireSignedURLs', 'tags']));
  return adminJson({ id, ...await updateImage(env, id, settings) });
});

export const deleteImage = adminOnly(async (request, env, ctx, { id }) => {
  await removeImage(env, id);
  return adminJson({ id, deleted: true });
});

async function register(request, env, id) {
  const body = await readJsonObject(request, ['source', 'requireSignedURLs', 'tags']);
  return registerImage(env, id, checkSource(body.source), settingsFromJson(body));
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
