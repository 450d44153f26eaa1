// Writing images, one way for both of their routes (the Images API and /admin/images): uploads pass the gate and
// the two-phase store of ingest.js; a replace bumps the version and a delete drops the record, so no cached
// variant of the old bytes is served again (the version is part of every transform's cache key).
import { CodedError } from './coded-error.js';
import { ingestBindings, moderationBindings } from './config.js';
import { gate, storeImage } from './ingest.js';
import * as meta from './meta.js';
import { moderatedRecord } from './moderation.js';
import { uploadedObjectKey } from './store.js';

/** The image's record; 404 when there is none. */
export async function existingImage(kv, id) {
  const image = await meta.getImage(kv, meta.checkImageId(id));
  if (image === null) throw new CodedError('not_found', `no image with id ${JSON.stringify(id)}`);
  return image;
}

/**
 * Gates and stores `bytes` as image `id`, creating it or replacing it (never a draft). `settings`:
 * { requireSignedURLs, tags, filename, meta }; what is unstated keeps the replaced image's value.
 * Resolves { image, created }.
 */
export async function uploadImage(env, id, bytes, settings) {
  meta.checkImageId(id);
  if (bytes.length === 0) throw new CodedError('bad_request', 'the upload holds no bytes');
  const previous = notDraft(id, await meta.getImage(env.META, id));
  // 415 / 413 / 422 / 451 before anything is stored
  const gated = await gate(bytes, moderationBindings(env), { id, route: 'upload' });
  const record = moderatedRecord(newRecord(id, settings, previous), gated);
  const image = await storeImage(ingestBindings(env), id, bytes, { record, previous, contentType: gated.contentType });
  return { image, created: previous === null };
}

/** Registers an original stored elsewhere (r2, s3, url) as image `id`; the admin API's registration. */
export async function registerImage(env, id, source, settings) {
  meta.checkImageId(id);
  const previous = notDraft(id, await meta.getImage(env.META, id));
  const image = { ...newRecord(id, settings, previous), source, version: (previous?.version ?? 0) + 1 };
  await meta.putImageWithTags(env.META, id, image, previous?.tags);
  const previousBytes = previous?.source && uploadedObjectKey(previous.source);
  if (previousBytes) await env.ORIGINALS.delete(previousBytes);
  return { image, created: previous === null };
}

/** The image, unless moderation blocked it: 451 (blocked), for delivery and the blob alike. */
export function servable(image) {
  if (image.moderation?.state === 'blocked') {
    throw new CodedError('blocked', 'this image was blocked by moderation and is no longer served');
  }
  return image;
}

/**
 * A draft waits for the one upload its URL allows (uploads.js), and expires with its URL: nothing else writes it.
 * Passes any other record (or null) through.
 */
function notDraft(id, image) {
  if (image?.draft === true) {
    throw new CodedError('bad_request', `image ${JSON.stringify(id)} is a draft: it waits for its direct upload`);
  }
  return image;
}

/** A record's settings for new bytes: what `settings` states, else the replaced image's, else the defaults. */
function newRecord(id, settings, previous) {
  return {
    requireSignedURLs: settings.requireSignedURLs ?? requestedSignedURLs(previous) ?? false,
    tags: settings.tags ?? previous?.tags ?? [],
    filename: settings.filename ?? previous?.filename ?? id,
    meta: settings.meta ?? previous?.meta ?? {},
    uploaded: new Date().toISOString(),
  };
}

/** What the image's owner asked for: a flagged image is private until approved, whatever they asked. */
const requestedSignedURLs = (image) =>
  (image?.moderation?.state === 'pending' ? image.moderation.requireSignedURLs : image?.requireSignedURLs);

/**
 * Changes settings ({ requireSignedURLs, tags, meta }); the bytes and the version stay. A flagged image awaiting
 * review stays private: its requireSignedURLs is remembered for the approval.
 */
export async function updateImage(env, id, settings) {
  const previous = notDraft(id, await existingImage(env.META, id));
  const image = { ...previous, ...settings };
  if (previous.moderation?.state === 'pending' && settings.requireSignedURLs !== undefined) {
    image.requireSignedURLs = true;
    image.moderation = { ...previous.moderation, requireSignedURLs: settings.requireSignedURLs };
  }
  await meta.putImageWithTags(env.META, id, image, previous.tags);
  return image;
}

/** Forgets the image and deletes the bytes uploaded for it (never an original registered from elsewhere). */
export async function removeImage(env, id) {
  const image = await existingImage(env.META, id);
  await meta.deleteImageRecord(env.META, id, image);
  const bytes = image.source ? uploadedObjectKey(image.source) : null;
  if (bytes !== null) await env.ORIGINALS.delete(bytes);
  return image;
}
