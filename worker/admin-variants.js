// /admin/variants[/<name>]: named variants as option strings, { options: "<option string>", neverRequireSignedURLs }.
// An alias of the Images API's variants (worker/variants.js does the work for both); see README's migration note.
import { adminJson, adminOnly } from './admin-auth.js';
import * as meta from './meta.js';
import { optionalBoolean, readJsonObject } from './request-body.js';
import { existingVariant, removeVariant, saveVariant } from './variants.js';

export const listVariants = adminOnly(async (request, env) =>
  adminJson({ variants: await meta.listVariants(env.META) }));

export const getVariant = adminOnly(async (request, env, ctx, { name }) =>
  adminJson({ name, ...await existingVariant(env.META, name) }));

export const putVariant = adminOnly(async (request, env, ctx, { name }) => {
  meta.checkVariantName(name);
  const body = await readJsonObject(request, ['options', 'neverRequireSignedURLs']);
  const neverRequireSignedURLs = optionalBoolean(body, 'neverRequireSignedURLs') ?? false;
  const variant = { options: body.options, neverRequireSignedURLs };
  const created = await saveVariant(env.META, name, variant);
  return adminJson({ name, ...variant }, created ? 201 : 200);
});

export const deleteVariant = adminOnly(async (request, env, ctx, { name }) => {
  await removeVariant(env.META, name);
  return adminJson({ name, deleted: true });
});
