// The route table: requests go to the first route whose pattern matches the path and whose methods include the
// request's; a path that matches only with other methods gets 405 with Allow; OPTIONS answers Allow for any path.
import { HttpError, toErrorResponse } from './errors.js';
import { handleOriginal } from './originals.js';
import { handleTransform } from './transform.js';

const READ = ['GET', 'HEAD'];

const routes = [
  { methods: READ, pattern: /^\/cdn-cgi\/image\/(?<options>[^/]+)\/(?<key>.+)$/, handler: handleTransform },
  // Anything else under /cdn-cgi/image/ is a malformed transform URL, not an object key.
  { methods: READ, pattern: /^\/cdn-cgi\/image(?:\/|$)/, handler: malformedTransformUrl },
  { methods: READ, pattern: /^\/(?<key>.+)$/, handler: handleOriginal },
];

export default {
  async fetch(request, env, ctx) {
    let response;
    try {
      response = await route(request, env, ctx);
    } catch (err) {
      response = toErrorResponse(err, request);
    }
    return request.method === 'HEAD' ? withoutBody(response) : response;
  },
};

async function route(request, env, ctx) {
  const { pathname } = new URL(request.url);
  const matching = routes
    .map((candidate) => ({ ...candidate, match: candidate.pattern.exec(pathname) }))
    .filter((candidate) => candidate.match !== null);
  if (matching.length === 0) throw new HttpError('not_found', `nothing is served at ${pathname}`);

  const allow = [...new Set(matching.flatMap((candidate) => candidate.methods)), 'OPTIONS'].join(', ');
  if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { Allow: allow } });
  const chosen = matching.find((candidate) => candidate.methods.includes(request.method));
  if (!chosen) {
    throw new HttpError('method_not_allowed', `${request.method} is not allowed here; allowed: ${allow}`, { Allow: allow });
  }
  return chosen.handler(request, env, ctx, decodeParams(chosen.match.groups ?? {}));
}

/** Path parameters arrive percent-encoded; keys and options are matched and passed on decoded. */
function decodeParams(groups) {
  try {
    return Object.fromEntries(Object.entries(groups).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    throw new HttpError('bad_request', 'the path is not valid percent-encoding');
  }
}

function malformedTransformUrl() {
  throw new HttpError('bad_request', 'expected /cdn-cgi/image/<options>/<key>');
}

/** HEAD answers carry GET's headers (Content-Length included) and no body; an unread body is released. */
function withoutBody(response) {
  if (response.body === null) return response;
  response.body.cancel().catch(() => {});
  return new Response(null, response);
}
