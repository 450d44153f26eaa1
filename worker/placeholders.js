// /<IMAGES_PREFIX>/<id>/placeholder.png and …/placeholder.json: what a page shows while the image loads, served from
// the record alone — the ThumbHash and BlurHash measured at upload — with no read or decode of the original. The PNG
// is the ThumbHash decoded by the core (a few hundred bytes, at most 32 px: the page scales it up blurred); the
// JSON carries both hashes, the same PNG as a data URL, and the aspect the page should reserve.
import { placeholder } from 'edgepix';
import { HttpError } from './errors.js';
import { evaluatePreconditions } from './http.js';

export const PLACEHOLDER_SEGMENT = /^placeholder\.(?<kind>png|json)$/;

/** The answer for `kind` ('png' | 'json'); `cacheControl` as the image's own delivery. */
export async function placeholderResponse(request, image, kind, cacheControl) {
  const features = image.features;
  if (!features?.thumbhash) {
    throw new HttpError('not_found', 'this image has no placeholder: it was stored before features were measured');
  }
  // The hashes change only with the bytes, and the version with every replace or purge.
  const etag = `"placeholder-${kind}-v${image.version}"`;
  const headers = { 'Cache-Control': cacheControl, ETag: etag };
  if (evaluatePreconditions(request.headers, { etag, lastModified: null }) === 'not_modified') {
    return new Response(null, { status: 304, headers });
  }
  const png = await placeholder(features.thumbhash);
  if (kind === 'png') {
    return new Response(png.bytes, { headers: { ...headers, 'Content-Type': 'image/png' } });
  }
  return Response.json({
    width: features.width,
    height: features.height,
    thumbhash: features.thumbhash,
    blurhash: features.blurhash,
    dominantColor: features.dominantColors?.[0]?.hex ?? null,
    dataUrl: `data:image/png;base64,${base64(png.bytes)}`,
  }, { headers });
}

function base64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
