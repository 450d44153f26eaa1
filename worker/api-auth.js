// Who may call the Images API: `Authorization: Bearer <token>` with one of the API_TOKENS secret's tokens
// (comma-separated; compared in constant time by the core, each one, so the time says nothing of which matched),
// on the account the path names, which must be the ACCOUNT_ID var.
import { safeEqual } from 'edgepix';
import { bearerToken } from './admin-auth.js';
import { UNKNOWN_ACCOUNT } from './api-envelope.js';
import { HttpError } from './errors.js';

export function apiTokens(env) {
  return String(env.API_TOKENS ?? '').split(',').map((token) => token.trim()).filter((token) => token !== '');
}

/** Throws 401 (10000) for a missing or wrong token, 404 (7003) for another account's path. */
export async function requireApiAccess(request, env, accountId) {
  const presented = bearerToken(request);
  const tokens = apiTokens(env);
  let matched = false;
  if (presented !== undefined) {
    for (const token of tokens) matched = (await safeEqual(presented, token)) || matched;
  }
  if (!matched) {
    throw new HttpError('unauthorized', 'Authentication error: the Images API needs Authorization: Bearer <API token>',
      { 'WWW-Authenticate': 'Bearer realm="edgepix images API"' });
  }
  if (!env.ACCOUNT_ID || accountId !== env.ACCOUNT_ID) {
    const wrongAccount = new HttpError('not_found',
      `Could not route to /accounts/${accountId}: this Worker serves one account (ACCOUNT_ID)`);
    wrongAccount.numericCode = UNKNOWN_ACCOUNT;
    throw wrongAccount;
  }
}
