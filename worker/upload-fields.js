// The form fields of an upload through the Images API (v1 upload and v2 direct_upload read them alike):
// id, metadata, requireSignedURLs. Malformed is 400 bad_request naming the field.
import { CodedError } from './coded-error.js';
import { checkImageId } from './meta.js';

// Cloudflare's limit on an image's metadata, as JSON.
export const MAX_METADATA_BYTES = 1024;

/** { id?, meta?, requireSignedURLs? } from the fields' strings. */
export function uploadSettings(fields) {
  const settings = {};
  if (fields.id !== undefined && fields.id !== '') settings.id = checkImageId(fields.id);
  const meta = metadataOf(fields);
  if (meta !== undefined) settings.meta = meta;
  if (fields.requireSignedURLs !== undefined) settings.requireSignedURLs = formBoolean(fields, 'requireSignedURLs');
  return settings;
}

/** The metadata object, at most MAX_METADATA_BYTES as JSON; undefined when not given. */
export function checkMetadata(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CodedError('bad_request', 'metadata must be a JSON object');
  }
  const size = new TextEncoder().encode(JSON.stringify(value)).length;
  if (size > MAX_METADATA_BYTES) {
    throw new CodedError('bad_request', `metadata is ${size} bytes as JSON; at most ${MAX_METADATA_BYTES} are allowed`);
  }
  return value;
}

// Names that would reach an object's prototype instead of a field of its own.
const UNSAFE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * `metadata` as one JSON field (Cloudflare's docs), or as the fields metadata[a][b]=… that the SDK writes for an
 * object (their values arrive as strings).
 */
function metadataOf(fields) {
  if (fields.metadata !== undefined) {
    let parsed;
    try {
      parsed = JSON.parse(fields.metadata);
    } catch {
      throw new CodedError('bad_request', 'metadata must be JSON');
    }
    return checkMetadata(parsed);
  }
  const nested = Object.entries(fields).filter(([name]) => name.startsWith('metadata['));
  if (nested.length === 0) return undefined;
  const meta = {};
  for (const [name, value] of nested) {
    const path = [...name.slice('metadata'.length).matchAll(/\[([^\]]*)\]/g)].map((match) => match[1]);
    if (path.length === 0 || path.some((step) => step === '' || UNSAFE_KEYS.has(step))) {
      throw new CodedError('bad_request', `${name}: not a metadata field name`);
    }
    const last = path.pop();
    let node = meta;
    for (const step of path) node = Object.hasOwn(node, step) ? node[step] : (node[step] = {});
    node[last] = value;
  }
  return checkMetadata(meta);
}

function formBoolean(fields, name) {
  const value = fields[name];
  if (value !== 'true' && value !== 'false') throw new CodedError('bad_request', `${name} must be true or false`);
  return value === 'true';
}
