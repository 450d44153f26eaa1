// Typed reads of the Worker's env (wrangler.toml [vars], --var, secrets), and the one place the storage pieces'
// plain settings and bindings are built from it. Vars always arrive as strings; a malformed one is a configuration
// error (500 misconfigured), never a silent default.
import { CodedError } from './coded-error.js';
import { hooksOf } from './hooks.js';
import { isSecureOrLoopback } from './origins.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);

/** A boolean var; anything but a recognised spelling is a configuration error, not a silent default. */
export function envFlag(env, name, fallback = false) {
  const value = env[name];
  if (value === undefined || value === null) return fallback;
  const spelled = String(value).trim().toLowerCase();
  if (TRUE.has(spelled)) return true;
  if (FALSE.has(spelled)) return false;
  throw new CodedError('misconfigured', `${name} must be true or false, not ${JSON.stringify(value)}`);
}

/** A non-negative number var, or `fallback` when unset. */
export function envNumber(env, name, fallback) {
  const value = env[name];
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    throw new CodedError('misconfigured', `${name} must be a non-negative number, not ${JSON.stringify(value)}`);
  }
  return number;
}

// Originals are read whole into memory for the core; past this the isolate would run out of memory first.
const DEFAULT_MAX_ORIGINAL_BYTES = 50 * 1024 * 1024;

/** MAX_ORIGINAL_BYTES: the largest original the Worker reads into memory, for a transform or an upload. */
export function maxOriginalBytes(env) {
  return envNumber(env, 'MAX_ORIGINAL_BYTES', DEFAULT_MAX_ORIGINAL_BYTES) || DEFAULT_MAX_ORIGINAL_BYTES;
}

/**
 * What store.js needs, from env: plain settings, the bindings it reads and fills, and `ctx` for background fills.
 * The import CLI and the app build the same shape from their own configuration.
 */
export function originStore(env, ctx) {
  return { settings: storeSettings(env), bindings: storeBindings(env), ctx };
}

/** The origin tiers' settings (see store.js); store.js applies KV's own limits to the numbers. */
export function storeSettings(env) {
  const allowLoopbackHttp = envFlag(env, 'ALLOW_LOOPBACK_HTTP_ORIGINS');
  return {
    originKind: env.ORIGIN_KIND || 'r2',
    s3: s3Settings(env, allowLoopbackHttp),
    allowedOrigins: allowedOrigins(env),
    edgeTtl: envNumber(env, 'ORIGIN_EDGE_TTL_SECONDS', 3_600),
    kvTtl: envNumber(env, 'ORIGIN_KV_TTL_SECONDS', 86_400),
    kvMaxBytes: envNumber(env, 'ORIGIN_KV_MAX_BYTES', Infinity),
    maxOriginalBytes: maxOriginalBytes(env),
    allowLoopbackHttp,
  };
}

/** R2 (originals), KV (the origin tier's copies; optional) and the Cache API. */
export function storeBindings(env) {
  return { r2: env.ORIGINALS, originCache: env.ORIGIN_CACHE ?? null, cache: caches.default };
}

/**
 * What ingest.js stores through: R2 for the bytes, KV for the records. `faults` is a tests-only switch
 * (EDGEPIX_DEBUG_STORE_FAULT) that breaks the second write, to prove a failure there leaves no half image.
 */
export function ingestBindings(env) {
  return { r2: env.ORIGINALS, kv: env.META, faults: String(env.EDGEPIX_DEBUG_STORE_FAULT ?? '') };
}

/**
 * What moderation.js judges uploads with: the policy's KV, the optional Workers AI binding (AI) and its model
 * (AI_CLASSIFIER_MODEL), and the deployment's onClassified hook (createWorker in index.js).
 */
export function moderationBindings(env) {
  return { kv: env.META, ai: env.AI ?? null, classifierModel: env.AI_CLASSIFIER_MODEL || '',
    onClassified: hooksOf(env).onClassified ?? null };
}

/**
 * The S3 bucket's settings, or null when its endpoint or credentials are not all set (no bucket configured: only a
 * source that names S3 fails). An endpoint that is set but unusable is a configuration error.
 */
function s3Settings(env, allowLoopbackHttp) {
  if (!env.S3_ENDPOINT || !env.S3_ACCESS_KEY_ID || !env.S3_SECRET_ACCESS_KEY) return null;
  let endpoint;
  try {
    endpoint = new URL(env.S3_ENDPOINT);
  } catch {
    throw new CodedError('misconfigured', `S3_ENDPOINT is not a URL: ${JSON.stringify(env.S3_ENDPOINT)}`);
  }
  if (!isSecureOrLoopback(endpoint, allowLoopbackHttp)) {
    throw new CodedError('misconfigured',
      'S3_ENDPOINT must be https (http only on loopback, with ALLOW_LOOPBACK_HTTP_ORIGINS)');
  }
  return {
    endpoint: endpoint.href.replace(/\/+$/, ''),
    bucket: env.S3_BUCKET ?? '',
    region: env.S3_REGION || 'us-east-1',
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  };
}

// ALLOWED_ORIGINS: origins separated by commas or spaces, e.g. "https://images.example.com, https://cdn.example.org".
function allowedOrigins(env) {
  const entries = String(env.ALLOWED_ORIGINS ?? '').split(/[\s,]+/).filter(Boolean);
  return new Set(entries.map((entry) => {
    try {
      return new URL(entry).origin;
    } catch {
      throw new CodedError('misconfigured', `ALLOWED_ORIGINS has an entry that is not a URL: ${JSON.stringify(entry)}`);
    }
  }));
}
