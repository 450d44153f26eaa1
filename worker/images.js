// GET/HEAD /<IMAGES_PREFIX>/<image-id>/<variant>: Cloudflare Images-style delivery. The last segment is a named
// variant from KV, or — with FLEXIBLE_VARIANTS on — an option string (any segment with an `=`). Private images
// (requireSignedURLs) need a valid signed URL unless the named variant says neverRequireSignedURLs. The reserved
// segments placeholder.png and placeholder.json (no variant name has a dot) serve placeholders.js's placeholders.
// An image that moderation blocked answers 451.
import { cacheControl } from './cache.js';
import { envFlag } from './config.js';
import { HttpError } from './errors.js';
import { servable } from './image-writes.js';
import { getImage, getVariant } from './meta.js';
import { PLACEHOLDER_SEGMENT, placeholderResponse } from './placeholders.js';
import { requireValidSignature } from './signatures.js';
import { deliverTransformed } from './transform.js';

const DEFAULT_PREFIX = 'images';
const RESERVED_PREFIXES = new Set(['admin', 'cdn-cgi', 'client', 'upload']);

/** The images route's first path segment, from the IMAGES_PREFIX var; it may not shadow the other routes. */
export function imagesPrefix(env) {
  const prefix = env.IMAGES_PREFIX || DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_-]+$/.test(prefix) || RESERVED_PREFIXES.has(prefix)) {
    throw new HttpError('misconfigured',
      `IMAGES_PREFIX ${JSON.stringify(prefix)} must be one path segment other than admin, cdn-cgi, client and upload`);
  }
  return prefix;
}

export async function handleImage(request, env, ctx, { id, variant }) {
  const image = await getImage(env.META, id);
  // A direct upload's draft has no bytes yet: it is listed, never served.
  if (image === null || image.draft) throw new HttpError('not_found', `no image with id ${JSON.stringify(id)}`);
  servable(image); // 451 once moderation blocked it

  const placeholderKind = PLACEHOLDER_SEGMENT.exec(variant)?.groups.kind;
  if (placeholderKind) {
    if (image.requireSignedURLs) await requireValidSignature(request, env);
    const policy = cacheControl(env, image.requireSignedURLs ? 'signed_image' : 'image');
    return placeholderResponse(request, image, placeholderKind, policy);
  }

  const { options, neverRequireSignedURLs } = await resolveVariant(env, variant);
  const signed = image.requireSignedURLs && !neverRequireSignedURLs;
  if (signed) await requireValidSignature(request, env);
  return deliverTransformed(request, env, ctx, {
    options,
    source: image.source,
    version: image.version,
    policy: cacheControl(env, signed ? 'signed_image' : 'image'),
  });
}

/**
 * A segment with `=` is a flexible variant: its options as written, never exempt from signing (the signature then
 * covers the options too). Anything else names a stored variant.
 */
async function resolveVariant(env, segment) {
  if (segment.includes('=')) {
    if (!envFlag(env, 'FLEXIBLE_VARIANTS')) {
      throw new HttpError('flexible_variants_disabled', 'flexible variants are disabled (FLEXIBLE_VARIANTS)');
    }
    return { options: segment, neverRequireSignedURLs: false };
  }
  const variant = await getVariant(env.META, segment);
  if (variant === null) throw new HttpError('not_found', `no variant named ${JSON.stringify(segment)}`);
  return variant;
}
