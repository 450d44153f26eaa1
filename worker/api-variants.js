// The Images API's variants (v1/variants[/<id>]) in Cloudflare's shape:
//   { id, options: { fit, width, height, metadata }, neverRequireSignedURLs }
// stored as option strings (variants.js), so delivery at /<IMAGES_PREFIX>/<image id>/<variant id> uses them.
import { envelope } from './api-envelope.js';
import { CodedError } from './coded-error.js';
import * as meta from './meta.js';
import { optionalBoolean, readJsonObject } from './request-body.js';
import { cloudflareVariant, existingVariant, optionStringOf, removeVariant, saveVariant } from './variants.js';

export async function listVariants(request, env) {
  const variants = await meta.listVariants(env.META);
  return envelope({ variants: Object.fromEntries(variants.map(({ name, ...variant }) =>
    [name, cloudflareVariant(name, variant)])) });
}

export async function getVariant(request, env, ctx, { variant: name }) {
  return envelope({ variant: cloudflareVariant(name, await existingVariant(env.META, name)) });
}

/** POST v1/variants { id, options, neverRequireSignedURLs }: creates (or replaces) a variant. */
export async function createVariant(request, env) {
  const body = await readJsonObject(request, ['id', 'options', 'neverRequireSignedURLs']);
  if (typeof body.id !== 'string') throw new CodedError('bad_request', 'id (the variant\'s name) is required');
  return save(env, body.id, body, { neverRequireSignedURLs: false });
}

/** PATCH v1/variants/<id> { options, neverRequireSignedURLs }: what is not sent stays. */
export async function editVariant(request, env, ctx, { variant: name }) {
  const previous = cloudflareVariant(name, await existingVariant(env.META, name));
  const body = await readJsonObject(request, ['options', 'neverRequireSignedURLs']);
  return save(env, name, body, previous);
}

export async function deleteVariant(request, env, ctx, { variant: name }) {
  await removeVariant(env.META, name);
  return envelope({});
}

async function save(env, name, body, previous) {
  const options = body.options === undefined ? previous.options : body.options;
  const stored = {
    options: optionStringOf(options),
    neverRequireSignedURLs: optionalBoolean(body, 'neverRequireSignedURLs') ?? previous.neverRequireSignedURLs,
  };
  await saveVariant(env.META, name, stored);
  return envelope({ variant: cloudflareVariant(name, stored) });
}
