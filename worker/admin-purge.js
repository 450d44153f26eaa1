// POST /admin/purge { images: [ids] } and/or { tags: [tags] }: each image's version is bumped, which orphans every
// cached variant of it (the version is part of each transform's cache key).
import { adminJson, adminOnly } from './admin-auth.js';
import { HttpError } from './errors.js';
import * as meta from './meta.js';
import { readJsonObject, stringList } from './request-body.js';

// One purge touches each image twice in KV (read, write); this keeps a call well inside a Worker's subrequests.
const MAX_PURGE_IMAGES = 250;

export const purge = adminOnly(async (request, env) => {
  const body = await readJsonObject(request, ['images', 'tags']);
  if (body.images === undefined && body.tags === undefined) {
    throw new HttpError('bad_request', 'expected { "images": [ids] } and/or { "tags": [tags] }');
  }
  const ids = new Set(body.images === undefined ? [] : stringList(body.images, 'images'));
  const tags = body.tags === undefined ? [] : meta.checkTags(body.tags);
  for (const tag of tags) for (const id of await meta.imageIdsWithTag(env.META, tag)) ids.add(id);
  if (ids.size > MAX_PURGE_IMAGES) throw new HttpError('bad_request', `at most ${MAX_PURGE_IMAGES} images per purge`);

  const purged = [];
  const missing = [];
  for (const id of ids) {
    const image = await meta.getImage(env.META, id);
    // A draft has nothing cached to purge, and a rewrite would drop its expiration.
    if (image === null || image.draft === true) {
      missing.push(id);
      continue;
    }
    await meta.putImage(env.META, id, { ...image, version: image.version + 1 });
    purged.push(id);
  }
  return adminJson({ purged, missing });
});
