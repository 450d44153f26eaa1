// Named variants, one way for both of their routes (the Images API and /admin/variants): stored as
// { options: "<option string>", neverRequireSignedURLs } (meta.js), the string that delivery hands the core.
// Cloudflare's shape { id, options: { fit, width, height, metadata }, neverRequireSignedURLs } is written as the
// core's own option names (fit, width, height, metadata) and read back from them.
import { plan } from 'edgepix';
import { CodedError } from './coded-error.js';
import * as meta from './meta.js';

// The options Cloudflare's variants carry, in the order they are written; each is an option of the core.
const CLOUDFLARE_OPTIONS = ['fit', 'width', 'height', 'metadata'];
const NUMERIC = new Set(['width', 'height']);

/** Cloudflare's options object as our option string; the core validates it when the variant is saved. */
export function optionStringOf(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CodedError('bad_request', 'options must be an object { fit, width, height, metadata }');
  }
  const unknown = Object.keys(options).filter((name) => !CLOUDFLARE_OPTIONS.includes(name));
  if (unknown.length > 0) throw new CodedError('bad_request', `unknown variant option(s) ${unknown.join(', ')}`);
  const written = CLOUDFLARE_OPTIONS.filter((name) => options[name] !== undefined && options[name] !== null)
    .map((name) => `${name}=${options[name]}`);
  if (written.length === 0) throw new CodedError('bad_request', 'a variant needs at least one of fit, width, height');
  return written.join(',');
}

/** A stored variant in Cloudflare's shape; options the string has that Cloudflare's shape lacks are left out. */
export function cloudflareVariant(name, { options, neverRequireSignedURLs }) {
  const pairs = options.split(',').map((pair) => pair.split('='));
  const known = pairs.filter(([option]) => CLOUDFLARE_OPTIONS.includes(option))
    .map(([option, value]) => [option, NUMERIC.has(option) ? Number(value) : value]);
  return { id: name, options: Object.fromEntries(known), neverRequireSignedURLs };
}

/**
 * Validates (the core's 400 bad_option names the option) and stores a variant; at most meta.MAX_VARIANTS.
 * Resolves true when it is new.
 */
export async function saveVariant(kv, name, { options, neverRequireSignedURLs }) {
  meta.checkVariantName(name);
  const maxLength = meta.MAX_VARIANT_OPTIONS_LENGTH;
  if (typeof options !== 'string' || options === '' || options.length > maxLength) {
    throw new CodedError('bad_request',
      `options must be an option string of 1 to ${maxLength} characters, e.g. "width=400,fit=cover"`);
  }
  await plan(options);
  const existing = await meta.getVariant(kv, name);
  if (existing === null && (await meta.listVariants(kv)).length >= meta.MAX_VARIANTS) {
    throw new CodedError('too_many_variants', `at most ${meta.MAX_VARIANTS} variants; delete one first`);
  }
  await meta.putVariant(kv, name, { options, neverRequireSignedURLs });
  return existing === null;
}

export async function existingVariant(kv, name) {
  const variant = await meta.getVariant(kv, meta.checkVariantName(name));
  if (variant === null) throw new CodedError('not_found', `no variant named ${JSON.stringify(name)}`);
  return variant;
}

export async function removeVariant(kv, name) {
  await existingVariant(kv, name);
  await meta.deleteVariant(kv, name);
}
