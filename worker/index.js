// The route table: the first route whose pattern matches the path owns it. A method the route does not list gets
// 405 with Allow; OPTIONS answers Allow unless the route handles OPTIONS itself (a CORS preflight). Path prefixes are
// exclusive: /cdn-cgi/image/, /client/v4/, /admin/, /upload/ and /<IMAGES_PREFIX>/ never fall through to the
// originals route, so no R2 key under them is served as an original.
import { deleteImage, getImage, patchImage, putImage } from './admin-images.js';
import { purge } from './admin-purge.js';
import { deleteVariant, getVariant, listVariants, putVariant } from './admin-variants.js';
import { toFailure } from './api-envelope.js';
import { envNumber, ingestBindings } from './config.js';
import { HttpError, toErrorResponse } from './errors.js';
import { withHooks } from './hooks.js';
import { handleImage, imagesPrefix } from './images.js';
import { API_PATH, imagesApiRoutes } from './images-api.js';
import { sweepOrphans } from './ingest.js';
import { applyMemorySettings } from './isolate-memory.js';
import { handleOriginal } from './originals.js';
import { handleTransform } from './transform.js';
import { handleDirectUpload, preflightDirectUpload } from './uploads.js';

export { TransformMissLimiter } from './ratelimit.js';
export { DirectUploadSlot } from './upload-slot.js';

const read = (handler) => ({ GET: handler, HEAD: handler });
const ownsEverything = (handler) => ({ '*': handler });

function buildRoutes(prefix) {
  return [
    { pattern: /^\/cdn-cgi\/image\/(?<options>[^/]+)\/(?<key>.+)$/, methods: read(handleTransform) },
    // A one-segment key with its options in the query: /cdn-cgi/image/<key>?width=400
    { pattern: /^\/cdn-cgi\/image\/(?<key>[^/=]+)$/, methods: read(handleTransform) },
    { pattern: /^\/cdn-cgi\/image(?:\/|$)/, methods: ownsEverything(badPath('/cdn-cgi/image/<options>/<key>')) },

    ...imagesApiRoutes(),
    { pattern: API_PATH, methods: ownsEverything(notServed) },

    // A direct upload's one-time URL: no credential (the token is one), CORS for pages on other origins.
    { pattern: /^\/upload\/(?<token>[A-Za-z0-9_-]+)$/,
      methods: { POST: handleDirectUpload, OPTIONS: preflightDirectUpload } },
    { pattern: /^\/upload(?:\/|$)/, methods: ownsEverything(notServed) },

    { pattern: /^\/admin\/variants$/, methods: { GET: listVariants } },
    { pattern: /^\/admin\/variants\/(?<name>[^/]+)$/,
      methods: { GET: getVariant, PUT: putVariant, DELETE: deleteVariant } },
    { pattern: /^\/admin\/images\/(?<id>[^/]+)$/,
      methods: { GET: getImage, PUT: putImage, PATCH: patchImage, DELETE: deleteImage } },
    { pattern: /^\/admin\/purge$/, methods: { POST: purge } },
    { pattern: /^\/admin(?:\/|$)/, methods: ownsEverything(notServed) },

    { pattern: new RegExp(`^/${prefix}/(?<id>[^/]+)/(?<variant>[^/]+)$`), methods: read(handleImage) },
    { pattern: new RegExp(`^/${prefix}(?:/|$)`), methods: ownsEverything(badPath(`/${prefix}/<image-id>/<variant>`)) },

    { pattern: /^\/(?<key>.+)$/, methods: read(handleOriginal) },
  ];
}

// The table depends only on IMAGES_PREFIX: built once per isolate and prefix.
const routesByPrefix = new Map();
function routesFor(env) {
  const prefix = imagesPrefix(env);
  if (!routesByPrefix.has(prefix)) routesByPrefix.set(prefix, buildRoutes(prefix));
  return routesByPrefix.get(prefix);
}

/**
 * The Worker with a deployment's hooks (hooks.js): a Worker of your own can `export default createWorker({
 * onClassified })` and re-export the Durable Object classes below. The default export has no hooks.
 */
export function createWorker(hooks = {}) {
  return {
    fetch: (request, env, ctx) => answer(request, withHooks(env, hooks), ctx),
    scheduled: (controller, env, ctx) => sweep(withHooks(env, hooks), ctx),
  };
}

export default createWorker();

async function answer(request, env, ctx) {
  let response;
  try {
    applyMemorySettings(env);
    response = await route(request, env, ctx);
  } catch (err) {
    // The Images API answers in Cloudflare's envelope, the rest of the Worker in its own error JSON.
    const inApi = API_PATH.test(new URL(request.url).pathname);
    response = inApi ? toFailure(err, request) : toErrorResponse(err, request);
  }
  return request.method === 'HEAD' ? withoutBody(response) : response;
}

// The cron trigger (wrangler.toml): uploaded bytes that no record names, older than an upload can take, go.
function sweep(env, ctx) {
  const minAgeMs = envNumber(env, 'SWEEP_MIN_AGE_SECONDS', 3_600) * 1000;
  ctx.waitUntil(sweepOrphans(ingestBindings(env), { minAgeMs }).then(({ checked, deleted }) => {
    if (deleted > 0) console.log(`edgepix: sweep removed ${deleted} orphaned upload(s) of ${checked} checked`);
  }));
}

async function route(request, env, ctx) {
  const { pathname } = new URL(request.url);
  let match = null;
  const chosen = routesFor(env).find((candidate) => (match = candidate.pattern.exec(pathname)) !== null);
  if (!chosen) throw new HttpError('not_found', `nothing is served at ${pathname}`);

  const handler = chosen.methods[request.method] ?? chosen.methods['*'];
  const listed = Object.keys(chosen.methods).filter((method) => method !== '*' && method !== 'OPTIONS');
  const allow = [...listed, 'OPTIONS'].join(', ');
  if (request.method === 'OPTIONS' && !handler) {
    return new Response(null, { status: 204, headers: { Allow: allow } });
  }
  if (!handler) {
    const message = `${request.method} is not allowed here; allowed: ${allow}`;
    throw new HttpError('method_not_allowed', message, { Allow: allow });
  }
  return handler(request, env, ctx, decodeParams(match.groups ?? {}));
}

/** Path parameters arrive percent-encoded; keys and options are matched and passed on decoded. */
function decodeParams(groups) {
  try {
    return Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    throw new HttpError('bad_request', 'the path is not valid percent-encoding');
  }
}

function badPath(expected) {
  return () => {
    throw new HttpError('bad_request', `expected ${expected}`);
  };
}

function notServed(request) {
  throw new HttpError('not_found', `nothing is served at ${new URL(request.url).pathname}`);
}

/** HEAD answers carry GET's headers (Content-Length included) and no body; an unread body is released. */
function withoutBody(response) {
  if (response.body === null) return response;
  response.body.cancel().catch(() => {});
  return new Response(null, response);
}
