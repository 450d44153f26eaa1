// /admin/…: every route is behind `Authorization: Bearer <ADMIN_TOKEN>` (a Worker secret, compared in constant time
// by the core), and every answer is JSON that is never cached.
import { safeEqual } from 'edgepix';
import { HttpError } from './errors.js';

/** Wraps a handler so that it runs only for a request bearing the admin token. */
export function adminOnly(handler) {
  return async (request, env, ctx, params) => {
    await requireAdminToken(request, env);
    return handler(request, env, ctx, params);
  };
}

/** An admin answer: JSON, never stored by any cache. */
export const adminJson = (body, status = 200) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/** The token of `Authorization: Bearer <token>`, or undefined (absent, or another scheme). */
export const bearerToken = (request) => /^Bearer +(\S+) *$/i.exec(request.headers.get('Authorization') ?? '')?.[1];

async function requireAdminToken(request, env) {
  const presented = bearerToken(request);
  const expected = env.ADMIN_TOKEN ?? '';
  if (presented !== undefined && expected !== '' && await safeEqual(presented, expected)) return;
  throw new HttpError('unauthorized', 'the admin API needs Authorization: Bearer <ADMIN_TOKEN>',
    { 'WWW-Authenticate': 'Bearer realm="edgepix admin"' });
}
