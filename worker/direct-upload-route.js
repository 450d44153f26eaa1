// POST /client/v4/accounts/<account_id>/images/v2/direct_upload, minimally: the images API (branch api, its own
// auth, envelope and form parsing) owns this route; this file stands in until that lands and is then removed.
// Behind a bearer token of API_TOKENS (compared in constant time by the core) on the ACCOUNT_ID account.
import { safeEqual } from 'edgepix';
import { HttpError } from './errors.js';
import { createDirectUpload } from './uploads.js';

export async function directUploadRoute(request, env, ctx, { accountId }) {
  await requireApiToken(request, env, accountId);
  const result = await createDirectUpload(env, ctx, request, await directUploadFields(request));
  return Response.json({ result, success: true, errors: [], messages: [] },
    { headers: { 'Cache-Control': 'no-store' } });
}

async function requireApiToken(request, env, accountId) {
  const presented = /^Bearer +(\S+) *$/i.exec(request.headers.get('Authorization') ?? '')?.[1];
  const tokens = String(env.API_TOKENS ?? '').split(',').map((token) => token.trim()).filter(Boolean);
  let matched = false;
  // Every token is compared, so the time taken says nothing of which one matched.
  for (const token of tokens) matched = (presented !== undefined && await safeEqual(presented, token)) || matched;
  if (!matched) throw new HttpError('unauthorized', 'the images API needs Authorization: Bearer <API token>');
  if (!env.ACCOUNT_ID || accountId !== env.ACCOUNT_ID) {
    throw new HttpError('not_found', `this Worker serves one account (ACCOUNT_ID), not ${accountId}`);
  }
}

/** The form's fields (multipart or urlencoded, as Cloudflare's docs and SDK send them) as createDirectUpload's. */
async function directUploadFields(request) {
  const form = await request.formData().catch(() => {
    throw new HttpError('bad_request', 'the body must be a form (multipart/form-data)');
  });
  const text = (name) => (form.has(name) ? String(form.get(name)) : undefined);
  const fields = {};
  if (text('id')) fields.id = text('id');
  if (text('expiry')) fields.expiry = text('expiry');
  if (text('requireSignedURLs') !== undefined) {
    if (!['true', 'false'].includes(text('requireSignedURLs'))) {
      throw new HttpError('bad_request', 'requireSignedURLs must be true or false');
    }
    fields.requireSignedURLs = text('requireSignedURLs') === 'true';
  }
  if (text('metadata') !== undefined) {
    try {
      fields.metadata = JSON.parse(text('metadata'));
    } catch {
      throw new HttpError('bad_request', 'metadata must be JSON');
    }
  }
  return fields;
}
