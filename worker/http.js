// HTTP validators and byte ranges (RFC 9110 §13 and §14) as pure functions over request headers and a
// representation's validators { etag, lastModified }, shared by the originals and transform routes.

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;

/** An If-Match / If-None-Match value as '*' or a list of entity-tags; null when the header is absent. */
function parseEntityTags(value) {
  if (value === null) return null;
  if (value.trim() === '*') return '*';
  return value.match(ENTITY_TAG) ?? [];
}

const isWeak = (tag) => tag.startsWith('W/');
const opaqueTag = (tag) => tag.replace(/^W\//, '');

function strongMatch(tags, etag) {
  return tags === '*' || tags.some((tag) => !isWeak(tag) && !isWeak(etag) && tag === etag);
}

function weakMatch(tags, etag) {
  return tags === '*' || tags.some((tag) => opaqueTag(tag) === opaqueTag(etag));
}

/** Milliseconds since the epoch, truncated to whole seconds as HTTP dates are; null when absent or invalid. */
function httpDateSeconds(value) {
  if (value === null || value === undefined) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

/**
 * Decides a GET/HEAD request's preconditions in RFC 9110 §13.2.2's order: 'proceed', 'not_modified' (304) or
 * 'precondition_failed' (412). A date condition is only consulted when its entity-tag twin is absent.
 * `lastModified` may be null (transforms have no date), which makes date conditions inapplicable.
 */
export function evaluatePreconditions(headers, { etag, lastModified }) {
  const modifiedSeconds = httpDateSeconds(lastModified);
  const ifMatch = parseEntityTags(headers.get('If-Match'));
  if (ifMatch !== null) {
    if (!strongMatch(ifMatch, etag)) return 'precondition_failed';
  } else {
    const unmodifiedSince = httpDateSeconds(headers.get('If-Unmodified-Since'));
    if (unmodifiedSince !== null && modifiedSeconds !== null && modifiedSeconds > unmodifiedSince) {
      return 'precondition_failed';
    }
  }
  const ifNoneMatch = parseEntityTags(headers.get('If-None-Match'));
  if (ifNoneMatch !== null) return weakMatch(ifNoneMatch, etag) ? 'not_modified' : 'proceed';
  const modifiedSince = httpDateSeconds(headers.get('If-Modified-Since'));
  if (modifiedSince !== null && modifiedSeconds !== null && modifiedSeconds <= modifiedSince) return 'not_modified';
  return 'proceed';
}

/**
 * The subset of a request's conditions that R2's `onlyIf` can evaluate identically, so a failing request never
 * opens the object's body. Only single strong entity-tags are passed: lists, wildcards and dates are left to
 * evaluatePreconditions, which stays the authority (R2's date comparisons differ at the boundaries).
 */
export function toR2Conditional(headers) {
  const single = (value) => {
    const tags = parseEntityTags(value);
    return Array.isArray(tags) && tags.length === 1 && !isWeak(tags[0]) ? tags[0].slice(1, -1) : undefined;
  };
  const conditional = {
    etagMatches: single(headers.get('If-Match')),
    etagDoesNotMatch: single(headers.get('If-None-Match')),
  };
  return conditional.etagMatches || conditional.etagDoesNotMatch ? conditional : undefined;
}

/**
 * Parses a Range header into { start, end? } or { suffix }. Returns null when there is no usable single range:
 * absent, not bytes, malformed (RFC 9110 §14.2 says ignore it) or a multi-range set — for those we serve the whole
 * object with 200, which the RFC allows, instead of building multipart/byteranges bodies nobody asks images for.
 */
export function parseRange(value) {
  const match = value === null ? null : /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (match === null) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') return { suffix: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  return end < start ? null : { start, end };
}

/** Fits a parsed range to an object of `size` bytes: { offset, length }, or null when unsatisfiable (416). */
export function resolveRange(range, size) {
  if ('suffix' in range) {
    if (range.suffix === 0 || size === 0) return null;
    const length = Math.min(range.suffix, size);
    return { offset: size - length, length };
  }
  if (range.start >= size) return null;
  const end = Math.min(range.end ?? size - 1, size - 1);
  return { offset: range.start, length: end - range.start + 1 };
}

/** If-Range (RFC 9110 §13.1.5): the range applies only if the validator still names this representation. */
export function ifRangeAllows(headers, { etag, lastModified }) {
  const value = headers.get('If-Range')?.trim();
  if (value === undefined) return true;
  if (value.startsWith('"') || value.startsWith('W/')) return !isWeak(value) && value === etag;
  const since = httpDateSeconds(value);
  return since !== null && since === httpDateSeconds(lastModified);
}

export function contentRange({ offset, length }, size) {
  return `bytes ${offset}-${offset + length - 1}/${size}`;
}

/** The single byte range `headers` ask of this object: { offset, length }, or null to send it whole. */
export function wantedSlice(headers, { etag, lastModified, size }) {
  const range = headers ? parseRange(headers.get('Range')) : null;
  if (range === null || !ifRangeAllows(headers, { etag, lastModified })) return null;
  return resolveRange(range, size);
}
