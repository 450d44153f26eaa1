// Typed reads of wrangler.toml [vars] (and --var), which always arrive as strings.
import { HttpError } from './errors.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/** A boolean var; anything but a recognised spelling is a configuration error, not a silent default. */
export function envFlag(env, name, fallback = false) {
  const value = env[name];
  if (value === undefined || value === null) return fallback;
  const spelled = String(value).trim().toLowerCase();
  if (TRUE.has(spelled)) return true;
  if (FALSE.has(spelled)) return false;
  throw new HttpError('misconfigured', `${name} must be true or false, not ${JSON.stringify(value)}`);
}

/** A non-negative number var, or `fallback` when unset. */
export function envNumber(env, name, fallback) {
  const value = env[name];
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new HttpError('misconfigured', `${name} must be a non-negative number, not ${JSON.stringify(value)}`);
  }
  return number;
}

// Originals are read whole into memory for the core; past this the isolate would run out of memory first.
const DEFAULT_MAX_ORIGINAL_BYTES = 50 * 1024 * 1024;

/** MAX_ORIGINAL_BYTES: the largest original the Worker reads into memory, for a transform or an upload. */
export function maxOriginalBytes(env) {
  return envNumber(env, 'MAX_ORIGINAL_BYTES', DEFAULT_MAX_ORIGINAL_BYTES) || DEFAULT_MAX_ORIGINAL_BYTES;
}
