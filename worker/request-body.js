// Reading request bodies and their fields: anything malformed is a 400 bad_request that names what was wrong.
import { CodedError } from './coded-error.js';

/** The body as a JSON object with only the `allowed` fields; `{}` for an empty body when `optional`. */
export async function readJsonObject(request, allowed, { optional = false } = {}) {
  const text = await request.text();
  if (optional && text.trim() === '') return {};
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CodedError('bad_request', 'the body must be JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CodedError('bad_request', 'the body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((field) => !allowed.includes(field));
  if (unknown.length > 0) {
    throw new CodedError('bad_request', `unknown field(s) ${unknown.join(', ')}; expected ${allowed.join(', ')}`);
  }
  return body;
}

/** `body[field]` when it is a boolean, undefined when absent. */
export function optionalBoolean(body, field) {
  if (body[field] === undefined || typeof body[field] === 'boolean') return body[field];
  throw new CodedError('bad_request', `${field} must be true or false`);
}

/** A query parameter spelled true or false, undefined when absent. */
export function queryBoolean(url, name) {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (value !== 'true' && value !== 'false') throw new CodedError('bad_request', `${name} must be true or false`);
  return value === 'true';
}

export function stringList(value, field) {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new CodedError('bad_request', `${field} must be a list of strings`);
  }
  return value;
}
