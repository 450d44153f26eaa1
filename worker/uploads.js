// Direct creator uploads: the images API creates a draft and a one-time upload URL on this Worker
// (createDirectUpload); a browser on any origin then posts the file to it once, with no credential
// (POST /upload/<token>, handleDirectUpload). The URL's slot (upload-slot.js) makes the upload happen at most once.
//
// Answers of the upload URL:
//   200  Cloudflare's envelope, the stored image as result
//   400  not a multipart form with `file` · 413/415/422 the gate's refusals (the URL stays usable: retry)
//   404  not_found: no such upload URL (or one forgotten a day after its expiry)
//   409  upload_in_progress: another post holds the URL right now · upload_url_used: it has had its upload
//        image_exists: the id was taken by another write meanwhile
//   410  upload_url_expired
// Every answer, errors included, carries Access-Control-Allow-Origin: *, so a page on another origin reads it.
import { envNumber, ingestBindings, moderationBindings } from './config.js';
import { CodedError } from './coded-error.js';
import { HttpError, toErrorResponse } from './errors.js';
import { imageResult } from './image-result.js';
import { gate, maxUploadBytes, readUploadForm, refuseDeclaredOversize, storeImage } from './ingest.js';
import * as meta from './meta.js';
import { moderatedRecord } from './moderation.js';
import { optionalBoolean } from './request-body.js';
import { checkMetadata } from './upload-fields.js';
import { uploadSlot } from './upload-slot.js';

export const UPLOAD_PATH_PREFIX = 'upload';
// Cloudflare's limits on a direct upload's expiry.
const DEFAULT_EXPIRY_MS = 30 * 60 * 1000;
const MAX_EXPIRY_MS = 6 * 60 * 60 * 1000;
const DEFAULT_MIN_EXPIRY_SECONDS = 120;
const DEFAULT_CLAIM_LEASE_SECONDS = 60;
// About 25 MiB (MAX_UPLOAD_BYTES' default) at 256 kbit/s.
const MAX_CLAIM_HOLD_MS = 15 * 60 * 1000;
// KV refuses an expiration less than 60 s ahead.
const KV_MIN_EXPIRATION_SECONDS = 60;

const CORS_HEADERS = { 'Access-Control-Allow-Origin': '*' };
const REFUSED_CLAIMS = {
  unknown: ['not_found', 'no such upload URL'],
  expired: ['upload_url_expired', 'this upload URL has expired'],
  used: ['upload_url_used', 'this upload URL has already been used'],
  in_progress: ['upload_in_progress', 'an upload to this URL is in progress'],
};

/**
 * Creates a draft and a one-time upload URL on this Worker. fields: { id?, metadata? (object), requireSignedURLs?
 * (boolean), expiry? (Date or ISO string; default now + 30 min, at most 6 h, at least 2 min) }. Resolves the plain
 * result { id, uploadURL }; throws CodedError.
 */
export async function createDirectUpload(env, ctx, request, fields) {
  const now = Date.now();
  const expiresMs = expiryOf(env, fields.expiry, now);
  const id = fields.id === undefined ? crypto.randomUUID() : meta.checkImageId(fields.id);
  const draft = {
    requireSignedURLs: optionalBoolean(fields, 'requireSignedURLs') ?? false,
    tags: [],
    version: 0,
    filename: null,
    meta: fields.metadata === undefined ? {} : checkMetadata(fields.metadata),
    uploaded: new Date(now).toISOString(),
    draft: true,
  };
  // Any record refuses the id, a draft's too: two live URLs for one id could both be used.
  if (fields.id !== undefined && await meta.getImage(env.META, id) !== null) {
    throw new CodedError('image_exists', `an image with id ${JSON.stringify(id)} already exists`);
  }
  const token = randomToken();
  await uploadSlot(env, token).open(id, draft, expiresMs);
  // The draft outlives its URL by a lease, so an upload claimed just before the expiry still finds it.
  const expiration = Math.ceil(Math.max(expiresMs, now + KV_MIN_EXPIRATION_SECONDS * 1000) / 1000)
    + claimLeaseSeconds(env);
  await meta.putImageWithTags(env.META, id, draft, [], { expiration });
  const origin = new URL(request.url).origin;
  return { id, uploadURL: `${origin}/${UPLOAD_PATH_PREFIX}/${token}` };
}

/** OPTIONS /upload/<token>: the CORS preflight of a post from another origin. */
export function preflightDirectUpload(request) {
  const requested = request.headers.get('Access-Control-Request-Headers');
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      'Access-Control-Allow-Methods': 'POST',
      // No credential is accepted here, so whatever headers the page sends are harmless.
      'Access-Control-Allow-Headers': requested ?? 'Content-Type',
      'Access-Control-Max-Age': '86400',
      Allow: 'POST, OPTIONS',
      Vary: 'Access-Control-Request-Headers',
    },
  });
}

/** POST /upload/<token>: the one multipart upload of a direct upload URL. */
export async function handleDirectUpload(request, env, ctx, { token }) {
  let response;
  try {
    response = await uploadOnce(request, env, token);
  } catch (err) {
    response = toErrorResponse(err, request);
  }
  for (const [name, value] of Object.entries(CORS_HEADERS)) response.headers.set(name, value);
  return response;
}

async function uploadOnce(request, env, token) {
  refuseDeclaredOversize(request, { maxBytes: maxUploadBytes(env) }); // before the claim: no slot work for it
  const slot = uploadSlot(env, token);
  const leaseMs = claimLeaseSeconds(env) * 1000;
  const claim = await slot.claim(leaseMs);
  if (claim.outcome !== 'claimed') throw new HttpError(...REFUSED_CLAIMS[claim.outcome]);

  const lease = keepClaim(slot, claim.claimId, leaseMs);
  let stored;
  try {
    stored = await storeUpload(request, env, claim, lease);
  } catch (err) {
    // Nothing was acknowledged: the URL is open again for a retry (an expired one refuses it at the claim).
    await slot.release(claim.claimId).catch((releaseErr) => console.error('edgepix: release failed', releaseErr));
    throw err;
  } finally {
    lease.stop();
  }
  // The image is stored: a failure to mark the slot is logged, not answered, since the id is no longer a draft
  // and a later claim (once the lease lapses) is refused with image_exists.
  await slot.complete(claim.claimId).catch((err) => console.error('edgepix: completing a slot failed', err));
  const result = await imageResult(request, env, claim.imageId, stored);
  return Response.json({ result, success: true, errors: [], messages: [] },
    { headers: { 'Cache-Control': 'no-store' } });
}

async function storeUpload(request, env, { imageId, draft }, lease) {
  const { file } = await readUploadForm(request, { maxBytes: maxUploadBytes(env) });
  if (file === null) throw new HttpError('bad_request', 'the form needs the image as its `file` field');
  const gated = await gate(file.bytes, moderationBindings(env), { id: imageId, route: 'direct_upload' });
  const current = await meta.getImage(env.META, imageId);
  if (current !== null && !current.draft) {
    throw new HttpError('image_exists', `an image with id ${JSON.stringify(imageId)} was stored meanwhile`);
  }
  await lease.confirm();
  const record = moderatedRecord({
    requireSignedURLs: draft.requireSignedURLs,
    tags: draft.tags,
    filename: file.filename || imageId,
    meta: draft.meta,
    uploaded: new Date().toISOString(),
  }, gated);
  // The slot's copy of the draft stands in when KV has not yet seen (or has already dropped) the draft.
  return storeImage(ingestBindings(env), imageId, file.bytes,
    { record, previous: current ?? draft, contentType: gated.contentType });
}

/**
 * Renews the claim every third of its lease while the upload runs, so only a Worker that died lets it lapse — or
 * one whose client has trickled its body for MAX_CLAIM_HOLD_MS, which would otherwise hold the URL until it expires.
 * confirm() renews once more and throws upload_in_progress if the claim was lost meanwhile (a lease that lapsed
 * and was taken by another post): then this upload must not be stored.
 */
function keepClaim(slot, claimId, leaseMs) {
  let lost = false;
  const renew = async () => {
    if (!await slot.renew(claimId, leaseMs)) lost = true;
  };
  const holdUntil = Date.now() + MAX_CLAIM_HOLD_MS;
  const timer = setInterval(() => {
    if (Date.now() < holdUntil) renew().catch(() => {});
  }, leaseMs / 3);
  return {
    async confirm() {
      await renew();
      if (lost) throw new HttpError('upload_in_progress', 'this upload\'s claim lapsed and another upload took it');
    },
    stop: () => clearInterval(timer),
  };
}

function expiryOf(env, expiry, now) {
  if (expiry === undefined) return now + DEFAULT_EXPIRY_MS;
  const expiresMs = new Date(expiry).getTime();
  if (Number.isNaN(expiresMs)) throw new CodedError('bad_request', 'expiry must be a date (ISO 8601)');
  const minMs = envNumber(env, 'DIRECT_UPLOAD_MIN_EXPIRY_SECONDS', DEFAULT_MIN_EXPIRY_SECONDS) * 1000;
  if (expiresMs < now + minMs || expiresMs > now + MAX_EXPIRY_MS) {
    throw new CodedError('bad_request',
      `expiry must be between ${minMs / 1000} s and ${MAX_EXPIRY_MS / 3_600_000} h from now`);
  }
  return expiresMs;
}

function claimLeaseSeconds(env) {
  return envNumber(env, 'DIRECT_UPLOAD_CLAIM_LEASE_SECONDS', DEFAULT_CLAIM_LEASE_SECONDS)
    || DEFAULT_CLAIM_LEASE_SECONDS;
}

/** 32 random bytes, base64url: the upload URL is its own credential, so it must not be guessable. */
function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
