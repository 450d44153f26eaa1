// Signed URLs, Cloudflare Images' scheme: sig = hex HMAC-SHA256 of path + query without sig, optional exp.
// The maths and the constant-time compare are the core's (verifyUrl); this file only supplies the keys and clock.
import { verifyUrl } from 'edgepix';
import { HttpError } from './errors.js';
import { listSigningKeys } from './meta.js';

/**
 * The keys from the SIGNING_KEYS secret, comma-separated. Rotation: add the new key to the list, move signers to
 * it, then remove the old one; every key in the list verifies until then.
 */
export function signingKeys(env) {
  return (env.SIGNING_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0);
}

/**
 * Every key that verifies: the secret's, then those made through the Images API (v1/keys, in KV). The API's keys
 * rotate the same way: create the new one, move signers to it, delete the old one.
 */
export async function verificationKeys(env) {
  const made = await listSigningKeys(env.META);
  return [...signingKeys(env), ...made.map(({ value }) => value)];
}

/** Throws the core's 403/400 EdgepixError unless the request's URL carries a valid, unexpired signature. */
export async function requireValidSignature(request, env) {
  const keys = await verificationKeys(env);
  if (keys.length === 0) {
    console.error('edgepix: an image requires a signed URL but there are no signing keys (SIGNING_KEYS, v1/keys)');
    throw new HttpError('misconfigured', 'signed URLs cannot be verified: no signing keys are configured');
  }
  await verifyUrl(request.url, keys, Math.floor(Date.now() / 1000));
}
