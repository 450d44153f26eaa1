// The images API's records in a KV-like object (get/put/delete/list: the META binding, or the import CLI's own
// store), one key per thing:
//   image:<id>          { source, requireSignedURLs, tags, version }       the image; version is bumped by purge
//   variant:<name>      { options, neverRequireSignedURLs }               also stored as the key's KV metadata,
//                                                                         so one list() returns every variant
//   tag:<tag>/<id>      ""                                                 membership: one key per pair, so two
//                                                                         admin calls never overwrite each other
// KV is eventually consistent across locations (up to ~60 s): a purge or a new variant reaches every location
// within that time.
import { CodedError } from './coded-error.js';

// Cloudflare Images allows 100 named variants per account.
export const MAX_VARIANTS = 100;
// A variant is also the KV metadata of its key, which KV caps at 1024 bytes serialised.
export const MAX_VARIANT_OPTIONS_LENGTH = 512;
// Each tag is one KV key per image, written and deleted with the image.
const MAX_TAGS = 32;
// R2 keys of the bytes uploaded through the admin API. The route table never serves a path under /admin/ as an
// original, and the transform route refuses these keys, so they are reachable only through image delivery.
const IMAGE_OBJECT_PREFIX = 'admin/images/';

const IMAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;
const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export const imageObjectKey = (id) => `${IMAGE_OBJECT_PREFIX}${id}`;
export const isImageObjectKey = (key) => key.startsWith(IMAGE_OBJECT_PREFIX);

function checkName(kind, value, pattern) {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new CodedError('bad_request', `${kind} ${JSON.stringify(value)} must match ${pattern}`);
  }
  return value;
}
export const checkImageId = (id) => checkName('image id', id, IMAGE_ID);
export const checkVariantName = (name) => checkName('variant name', name, VARIANT_NAME);
export function checkTags(tags) {
  if (!Array.isArray(tags) || tags.length > MAX_TAGS) {
    throw new CodedError('bad_request', `tags must be a list of at most ${MAX_TAGS} strings`);
  }
  return [...new Set(tags.map((tag) => checkName('tag', tag, TAG)))];
}

// --- images

export async function getImage(kv, id) {
  return kv.get(`image:${id}`, 'json');
}

export async function putImage(kv, id, image, putOptions = {}) {
  await kv.put(`image:${id}`, JSON.stringify(image), putOptions);
}

/**
 * Writes the image with `tags`, adding and removing tag memberships to match. `putOptions` go to the puts (e.g.
 * { expiration } for a direct upload's draft, so it disappears by itself unless a write without them replaces it).
 */
export async function putImageWithTags(kv, id, image, previousTags = [], putOptions = {}) {
  await putImage(kv, id, image, putOptions);
  const added = image.tags.filter((tag) => !previousTags.includes(tag));
  const removed = previousTags.filter((tag) => !image.tags.includes(tag));
  await Promise.all([
    ...added.map((tag) => kv.put(`tag:${tag}/${id}`, '', putOptions)),
    ...removed.map((tag) => kv.delete(`tag:${tag}/${id}`)),
  ]);
}

export async function deleteImageRecord(kv, id, image) {
  await Promise.all([kv.delete(`image:${id}`), ...image.tags.map((tag) => kv.delete(`tag:${tag}/${id}`))]);
}

export async function imageIdsWithTag(kv, tag) {
  const prefix = `tag:${tag}/`;
  return (await listAll(kv, prefix)).map(({ name }) => name.slice(prefix.length));
}

// --- variants

export async function getVariant(kv, name) {
  return kv.get(`variant:${name}`, 'json');
}

export async function putVariant(kv, name, variant) {
  await kv.put(`variant:${name}`, JSON.stringify(variant), { metadata: variant });
}

export async function deleteVariant(kv, name) {
  await kv.delete(`variant:${name}`);
}

/** Every variant as { name, options, neverRequireSignedURLs }, from key metadata: one list, no reads. */
export async function listVariants(kv) {
  const keys = await listAll(kv, 'variant:');
  return keys.map(({ name, metadata }) => ({ name: name.slice('variant:'.length), ...metadata }));
}

async function listAll(kv, prefix) {
  const keys = [];
  let cursor;
  do {
    const page = await kv.list({ prefix, cursor });
    keys.push(...page.keys);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}
