// /client/v4/accounts/<account_id>/images/…: Cloudflare's Images REST API, served by this Worker so that its
// official SDK and the curl lines of its docs work once their base URL points here. Every route needs a bearer
// token of API_TOKENS and the account id ACCOUNT_ID (api-auth.js); every answer is Cloudflare's envelope
// (api-envelope.js). Images are written through image-writes.js, variants through variants.js, keys in api-keys.js,
// the moderation policy and review queue in api-moderation.js.
import { requireApiAccess } from './api-auth.js';
import { envelope } from './api-envelope.js';
import { deleteKey, listKeys, putKey } from './api-keys.js';
import { approve, blockImage, getPolicy, listReview, putPolicy, reject } from './api-moderation.js';
import { createVariant, deleteVariant, editVariant, getVariant, listVariants } from './api-variants.js';
import { originStore } from './config.js';
import { CodedError } from './coded-error.js';
import { existingImage, removeImage, servable, updateImage, uploadImage } from './image-writes.js';
import { directUpload } from './api-direct-upload.js';
import { imageResult, imageResults } from './image-result.js';
import { maxUploadBytes, readUploadForm } from './ingest.js';
import * as meta from './meta.js';
import { fetchAllowed } from './origins.js';
import { readOriginal } from './store.js';
import { optionalBoolean, readJsonObject } from './request-body.js';
import { checkMetadata, uploadSettings } from './upload-fields.js';

/** Paths under this prefix answer in the envelope, errors of the route table included. */
export const API_PATH = /^\/client\/v4(?:\/|$)/;

// Cloudflare's page sizes: v1 pages hold 10 to 10000 (default 1000), v2 pages 10 to 10000 (default 1000).
const PAGE_SIZE = { min: 10, max: 10_000, fallback: 1000 };
// What v1/stats reports as allowed; nothing here refuses an upload past it.
const ALLOWED_IMAGES = 100_000;

/** The API's routes, for worker/index.js's table: the literal segments (stats, variants, keys) before <id>. */
export function imagesApiRoutes() {
  const base = '^/client/v4/accounts/(?<account>[^/]+)/images';
  const route = (path, methods) => ({
    pattern: new RegExp(`${base}${path}$`),
    methods: Object.fromEntries(Object.entries(methods).map(([method, handler]) => [method, withAccess(handler)])),
  });
  return [
    route('/v1', { GET: listV1, POST: upload }),
    route('/v1/stats', { GET: stats }),
    route('/v1/variants', { GET: listVariants, POST: createVariant }),
    route('/v1/variants/(?<variant>[^/]+)', { GET: getVariant, PATCH: editVariant, DELETE: deleteVariant }),
    route('/v1/keys', { GET: listKeys }),
    route('/v1/keys/(?<name>[^/]+)', { PUT: putKey, DELETE: deleteKey }),
    route('/v1/policy', { GET: getPolicy, PUT: putPolicy }),
    route('/v1/review', { GET: listReview }),
    route('/v1/review/(?<id>[^/]+)/approve', { POST: approve }),
    route('/v1/review/(?<id>[^/]+)/reject', { POST: reject }),
    route('/v1/(?<id>[^/]+)', { GET: getOne, PATCH: edit, DELETE: remove }),
    route('/v1/(?<id>[^/]+)/blob', { GET: blob }),
    route('/v1/(?<id>[^/]+)/block', { POST: blockImage }),
    route('/v2', { GET: listV2 }),
    route('/v2/direct_upload', { POST: directUpload }),
  ];
}

const withAccess = (handler) => async (request, env, ctx, params) => {
  await requireApiAccess(request, env, params.account);
  return handler(request, env, ctx, params);
};

// ── images

/** POST v1 (multipart): `file` or `url`, optional id, metadata, requireSignedURLs. */
async function upload(request, env, ctx) {
  const { fields, file } = await readUploadForm(request, { maxBytes: maxUploadBytes(env) });
  const { id = crypto.randomUUID(), ...settings } = uploadSettings(fields);
  if ((file === null) === (fields.url === undefined)) {
    throw new CodedError('bad_request', 'send exactly one of file (the image) and url (where to fetch it)');
  }
  const { bytes, filename } = file ?? await fetchUpload(env, ctx, fields.url);
  const { image } = await uploadImage(env, id, bytes, { ...settings, filename: filename || id });
  return envelope(await imageResult(request, env, id, image));
}

/** The bytes at `url`, an allow-listed origin (ALLOWED_ORIGINS), at most MAX_UPLOAD_BYTES. */
async function fetchUpload(env, ctx, url) {
  const { settings } = originStore(env, ctx);
  const response = await fetchAllowed(settings, url, 'GET');
  if (!response.ok) {
    await response.body?.cancel();
    throw new CodedError('origin_failed', `${url} answered ${response.status}`);
  }
  const limit = maxUploadBytes(env);
  if (Number(response.headers.get('Content-Length')) > limit) {
    await response.body?.cancel();
    throw new CodedError('too_large', `${url} is over the upload limit of ${limit} bytes`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > limit) throw new CodedError('too_large', `${url} is over the upload limit of ${limit} bytes`);
  const filename = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return { bytes, filename };
}

async function getOne(request, env, ctx, { id }) {
  return envelope(await imageResult(request, env, id, await existingImage(env.META, id)));
}

/** PATCH v1/<id> (JSON): metadata and/or requireSignedURLs. */
async function edit(request, env, ctx, { id }) {
  await existingImage(env.META, id);
  const body = await readJsonObject(request, ['metadata', 'requireSignedURLs']);
  const settings = {};
  if (body.metadata !== undefined) settings.meta = checkMetadata(body.metadata);
  const requireSignedURLs = optionalBoolean(body, 'requireSignedURLs');
  if (requireSignedURLs !== undefined) settings.requireSignedURLs = requireSignedURLs;
  const image = await updateImage(env, id, settings);
  return envelope(await imageResult(request, env, id, image));
}

async function remove(request, env, ctx, { id }) {
  await removeImage(env, id);
  return envelope({});
}

/** GET v1/<id>/blob: the bytes as uploaded. */
async function blob(request, env, ctx, { id }) {
  const image = servable(await existingImage(env.META, id));
  const original = image.draft || !image.source ? null : await readOriginal(originStore(env, ctx), image.source);
  if (original === null) throw new CodedError('not_found', `image ${JSON.stringify(id)} has no bytes yet`);
  const headers = { 'Content-Type': original.contentType, 'Content-Length': String(original.size) };
  return new Response(original.bytes ?? original.body, { headers: { ...headers, 'Cache-Control': 'no-store' } });
}

async function stats(request, env) {
  return envelope({ count: { current: await meta.countImages(env.META), allowed: ALLOWED_IMAGES } });
}

// ── listing

/** GET v1?page=&per_page=: newest first. */
async function listV1(request, env) {
  const query = new URL(request.url).searchParams;
  const page = positiveInteger(query, 'page', 1);
  const perPage = pageSize(query);
  const ids = await meta.listImageIdsAt(env.META, { offset: (page - 1) * perPage, limit: perPage });
  const images = await imageResults(request, env, ids);
  return envelope({ images }, { extra: { result_info: { page, per_page: perPage, count: images.length } } });
}

/** GET v2?continuation_token=&per_page=&sort_order=asc|desc (default desc). */
async function listV2(request, env) {
  const query = new URL(request.url).searchParams;
  const order = query.get('sort_order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw new CodedError('bad_request', 'sort_order must be asc or desc');
  const { ids, cursor } = await meta.listImageIds(env.META, {
    order, limit: pageSize(query), cursor: query.get('continuation_token'),
  });
  return envelope({ images: await imageResults(request, env, ids), continuation_token: cursor });
}

function positiveInteger(query, name, fallback) {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CodedError('bad_request', `${name} must be a whole number, 1 or more`);
  return value;
}

function pageSize(query) {
  const size = positiveInteger(query, 'per_page', PAGE_SIZE.fallback);
  if (size < PAGE_SIZE.min || size > PAGE_SIZE.max) {
    throw new CodedError('bad_request', `per_page must be ${PAGE_SIZE.min} to ${PAGE_SIZE.max}`);
  }
  return size;
}
