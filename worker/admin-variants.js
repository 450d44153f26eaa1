// /admin/variants[/<name>]: named variants, { options: "<Cloudflare option string>", neverRequireSignedURLs }.
import { plan } from 'edgepix';
import { adminJson, adminOnly } from './admin-auth.js';
import { HttpError } from './errors.js';
import * as meta from './meta.js';
import { optionalBoolean, readJsonObject } from './request-body.js';

export const listVariants = adminOnly(async (request, env) =>
  adminJson({ variants: await meta.listVariants(env.META) }));

export const getVariant = adminOnly(async (request, env, ctx, { name }) => {
  const variant = await meta.getVariant(env.META, meta.checkVariantName(name));
  if (variant === null) throw noSuchVariant(name);
  return adminJson({ name, ...variant });
});

export const putVariant = adminOnly(async (request, env, ctx, { name }) => {
  meta.checkVariantName(name);
  const body = await readJsonObject(request, ['options', 'neverRequireSignedURLs']);
  const maxLength = meta.MAX_VARIANT_OPTIONS_LENGTH;
  if (typeof body.options !== 'string' || body.options === '' || body.options.length > maxLength) {
    throw new HttpError('bad_request',
      `options must be an option string of 1 to ${maxLength} characters, e.g. "width=400,fit=cover"`);
  }
  const neverRequireSignedURLs = optionalBoolean(body, 'neverRequireSignedURLs') ?? false;
  const variant = { options: body.options, neverRequireSignedURLs };
  await plan(variant.options); // the core's 400 bad_option names the option
  const existing = await meta.getVariant(env.META, name);
  if (existing === null && (await meta.listVariants(env.META)).length >= meta.MAX_VARIANTS) {
    throw new HttpError('too_many_variants', `at most ${meta.MAX_VARIANTS} variants; delete one first`);
  }
  await meta.putVariant(env.META, name, variant);
  return adminJson({ name, ...variant }, existing === null ? 201 : 200);
});

export const deleteVariant = adminOnly(async (request, env, ctx, { name }) => {
  if (await meta.getVariant(env.META, meta.checkVariantName(name)) === null) throw noSuchVariant(name);
  await meta.deleteVariant(env.META, name);
  return adminJson({ name, deleted: true });
});

const noSuchVariant = (name) => new HttpError('not_found', `no variant named ${JSON.stringify(name)}`);
