// The images API's records in a KV-like object (get/put/delete/list: the META binding, or the import CLI's own
// store), one key per thing:
//   image:<id>          { source, requireSignedURLs, tags, version,        the image; version is bumped by purge and
//                         filename, meta, uploaded, draft }                 by a replace; draft: before a direct upload
//   uploaded-asc:<t>:<id>   ""                                             listing order, oldest first (t: upload time,
//   uploaded-desc:<t'>:<id> ""                                             ms, zero-padded; t' counts down): KV lists
//                                                                         keys in ascending order only
//   signing-key:<name>  ""                                                 a signing key made by the images API; its
//                                                                         value is the key's KV metadata { value }
//   variant:<name>      { options, neverRequireSignedURLs }               also stored as the key's KV metadata,
//                                                                         so one list() returns every variant
//   tag:<tag>/<id>      ""                                                 membership: one key per pair, so two
//                                                                         admin calls never overwrite each other
//   review:<id>         ""                                                 the review queue: images whose upload the
//                                                                         policy flagged, until approved or rejected
//   policy:…            see policy-store.js                               the moderation policy, versioned
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

export async function putImage(kv, id, image) {
  await kv.put(`image:${id}`, JSON.stringify(image));
}

/**
 * Writes the image with `tags`, adding and removing tag memberships to match, and its listing keys. `putOptions` go
 * to every put (e.g. { expiration } for a draft, so that the draft and its keys disappear together): every key is
 * rewritten each time, so a record written later without them keeps none of the draft's expirations.
 */
export async function putImageWithTags(kv, id, image, previousTags = [], putOptions = {}) {
  const stored = await getImage(kv, id);
  await kv.put(`image:${id}`, JSON.stringify(image), putOptions);
  const staleOrder = stored !== null && stored.uploaded !== image.uploaded ? listingKeys(id, stored) : [];
  const removed = previousTags.filter((tag) => !image.tags.includes(tag));
  const reviewed = inReview(stored) && !inReview(image);
  await Promise.all([
    ...image.tags.map((tag) => kv.put(`tag:${tag}/${id}`, '', putOptions)),
    ...(inReview(image) ? [kv.put(`${REVIEW_PREFIX}${id}`, '', putOptions)] : []),
    ...(reviewed ? [kv.delete(`${REVIEW_PREFIX}${id}`)] : []),
    ...listingKeys(id, image).map((key) => kv.put(key, '', putOptions)),
    ...removed.map((tag) => kv.delete(`tag:${tag}/${id}`)),
    ...staleOrder.map((key) => kv.delete(key)),
  ]);
}

export async function deleteImageRecord(kv, id, image) {
  await Promise.all([
    kv.delete(`image:${id}`),
    ...(inReview(image) ? [kv.delete(`${REVIEW_PREFIX}${id}`)] : []),
    ...image.tags.map((tag) => kv.delete(`tag:${tag}/${id}`)),
    ...listingKeys(id, image).map((key) => kv.delete(key)),
  ]);
}

// --- the review queue

const REVIEW_PREFIX = 'review:';
const inReview = (image) => image?.moderation?.state === 'pending';

/** Ids of the images waiting for review, in id order (KV's). */
export async function reviewIds(kv) {
  return (await listAll(kv, REVIEW_PREFIX)).map(({ name }) => name.slice(REVIEW_PREFIX.length));
}

// --- listing order (by upload time, then id)

// Upload times in ms fit 15 digits until the year 33658; both orders sort as text.
const TIME_DIGITS = 15;
const LATEST_TIME = 10 ** TIME_DIGITS - 1;
const ORDER_PREFIX = { asc: 'uploaded-asc:', desc: 'uploaded-desc:' };

function listingKeys(id, image) {
  const ms = Date.parse(image.uploaded ?? '');
  if (Number.isNaN(ms)) return []; // a record from before listing (the old admin API): not listed
  const pad = (n) => String(n).padStart(TIME_DIGITS, '0');
  return [`${ORDER_PREFIX.asc}${pad(ms)}:${id}`, `${ORDER_PREFIX.desc}${pad(LATEST_TIME - ms)}:${id}`];
}

const idOfListingKey = (name) => name.slice(name.indexOf(':', name.indexOf(':') + 1) + 1);

// KV lists at most 1000 keys a call.
const KV_LIST_LIMIT = 1000;

/**
 * One page of `limit` image ids in upload order ('asc' or 'desc'): { ids, cursor }, cursor null on the last page.
 * `cursor` is the previous page's (KV's own, opaque: a page ends where a KV list call ends).
 */
export async function listImageIds(kv, { order = 'desc', limit, cursor }) {
  const ids = [];
  let next = cursor || null;
  do {
    const page = await kv.list({
      prefix: ORDER_PREFIX[order], limit: Math.min(KV_LIST_LIMIT, limit - ids.length), cursor: next ?? undefined,
    });
    ids.push(...page.keys.map(({ name }) => idOfListingKey(name)));
    next = page.list_complete ? null : page.cursor;
  } while (next !== null && ids.length < limit);
  return { ids, cursor: next };
}

/** Ids `offset` to `offset + limit` in upload order, newest first: Cloudflare's page-numbered list. */
export async function listImageIdsAt(kv, { offset, limit }) {
  const ids = [];
  let cursor = null;
  let skipped = 0;
  do {
    const page = await listImageIds(kv, { order: 'desc', limit: KV_LIST_LIMIT, cursor });
    const skip = Math.min(offset - skipped, page.ids.length);
    skipped += skip;
    ids.push(...page.ids.slice(skip, skip + limit - ids.length));
    cursor = page.cursor;
  } while (cursor !== null && ids.length < limit);
  return ids;
}

/** How many images are listed (drafts included). */
export async function countImages(kv) {
  return (await listAll(kv, ORDER_PREFIX.asc)).length;
}

// --- signing keys made through the images API (SIGNING_KEYS, the secret, is the other source)

export async function listSigningKeys(kv) {
  const keys = await listAll(kv, 'signing-key:');
  return keys.map(({ name, metadata }) => ({ name: name.slice('signing-key:'.length), value: metadata.value }));
}

export async function putSigningKey(kv, name, value) {
  await kv.put(`signing-key:${name}`, '', { metadata: { value } });
}

export async function deleteSigningKey(kv, name) {
  await kv.delete(`signing-key:${name}`);
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
