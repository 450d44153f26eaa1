// Cloudflare's image result, one shape for every answer that returns images (the Images API and the upload URL).
import { imagesPrefix } from './images.js';
import * as meta from './meta.js';

/** The images' results; an id whose record went away between the listing and the read is left out. */
export async function imageResults(request, env, ids) {
  const names = await variantNames(env);
  const records = await Promise.all(ids.map((id) => meta.getImage(env.META, id)));
  return ids.flatMap((id, i) => (records[i] === null ? [] : [resultOf(request, env, names, id, records[i])]));
}

export async function imageResult(request, env, id, image) {
  return resultOf(request, env, await variantNames(env), id, image);
}

const variantNames = async (env) => (await meta.listVariants(env.META)).map(({ name }) => name);

/**
 * Cloudflare's image result; `variants` are delivery URLs on this Worker, one per named variant. `features` and
 * `moderation` are edgepix's additions (clients that do not know them ignore them, as Cloudflare's SDK does).
 */
function resultOf(request, env, names, id, image) {
  const base = `${new URL(request.url).origin}/${imagesPrefix(env)}/${encodeURIComponent(id)}`;
  const result = {
    id,
    filename: image.filename ?? id,
    meta: image.meta ?? {},
    requireSignedURLs: image.requireSignedURLs,
    uploaded: image.uploaded ?? null,
    variants: names.map((name) => `${base}/${name}`),
  };
  if (image.draft === true) result.draft = true;
  // edgepix's own fields, beside Cloudflare's: what the gate measured and what moderation decided.
  if (image.features) result.features = image.features;
  if (image.moderation) result.moderation = image.moderation;
  return result;
}
