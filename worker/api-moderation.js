// The Images API's moderation routes (admin: the API token, as every /client/v4/ route):
//   GET  v1/policy[?version=n]        the policy the gates apply (or an earlier version): { version, policy, updated }
//   PUT  v1/policy                    a new policy (JSON); validated by the core, stored as the next version
//   GET  v1/review                    the review queue: images the policy flagged, private until reviewed
//   POST v1/review/<id>/approve       served as its owner asked (requireSignedURLs as uploaded)
//   POST v1/review/<id>/reject        blocked, as below
//   POST v1/<id>/block {reason?}      blocked after it was stored: delivery answers 451, every cached variant is
//                                     orphaned (the version is in each cache key) and its perceptual hash joins the
//                                     block list, so re-encoded or resized copies are refused at upload
import { envelope } from './api-envelope.js';
import { CodedError } from './coded-error.js';
import { imageResult, imageResults } from './image-result.js';
import { existingImage } from './image-writes.js';
import * as meta from './meta.js';
import { blockHash, currentPolicy, policyVersion, writePolicy } from './policy-store.js';
import { readJsonObject } from './request-body.js';

const MAX_REASON_LENGTH = 500;

export async function getPolicy(request, env) {
  const asked = new URL(request.url).searchParams.get('version');
  if (asked === null) return envelope(await currentPolicy(env.META));
  const version = Number(asked);
  if (!Number.isInteger(version) || version < 0) throw new CodedError('bad_request', 'version must be a whole number');
  return envelope(await policyVersion(env.META, version));
}

export async function putPolicy(request, env) {
  let policy;
  try {
    policy = JSON.parse(await request.text());
  } catch {
    throw new CodedError('bad_policy', 'the policy must be JSON');
  }
  return envelope(await writePolicy(env.META, policy));
}

export async function listReview(request, env) {
  return envelope({ images: await imageResults(request, env, await meta.reviewIds(env.META)) });
}

export async function approve(request, env, ctx, { id }) {
  const image = await pendingImage(env, id);
  const approved = {
    ...image,
    requireSignedURLs: image.moderation.requireSignedURLs ?? false,
    moderation: { ...withoutRequested(image.moderation), state: 'approved', reviewed: new Date().toISOString() },
  };
  await meta.putImageWithTags(env.META, id, approved, image.tags);
  return envelope(await imageResult(request, env, id, approved));
}

export async function reject(request, env, ctx, { id }) {
  await pendingImage(env, id);
  return envelope(await imageResult(request, env, id, await block(env, id, 'rejected in review')));
}

export async function blockImage(request, env, ctx, { id }) {
  const body = await readJsonObject(request, ['reason'], { optional: true });
  if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > MAX_REASON_LENGTH)) {
    throw new CodedError('bad_request', `reason must be a string of at most ${MAX_REASON_LENGTH} characters`);
  }
  return envelope(await imageResult(request, env, id, await block(env, id, body.reason ?? 'blocked by an administrator')));
}

/** Marks the image blocked (a new version: no cached variant is served again) and block-lists its pHash. */
async function block(env, id, reason) {
  const image = await existingImage(env.META, id);
  if (image.draft === true) throw new CodedError('bad_request', `image ${JSON.stringify(id)} is a draft: nothing to block`);
  if (image.features?.phash) await blockHash(env.META, image.features.phash, `${id}: ${reason}`);
  const blocked = {
    ...image,
    version: image.version + 1,
    moderation: { ...withoutRequested(image.moderation ?? {}), state: 'blocked', reason, blocked: new Date().toISOString() },
  };
  await meta.putImageWithTags(env.META, id, blocked, image.tags);
  return blocked;
}

async function pendingImage(env, id) {
  const image = await existingImage(env.META, id);
  if (image.moderation?.state !== 'pending') {
    throw new CodedError('not_found', `image ${JSON.stringify(id)} is not waiting for review`);
  }
  return image;
}

function withoutRequested({ requireSignedURLs, ...moderation }) {
  return moderation;
}
