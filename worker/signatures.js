// Signed URLs, Cloudflare Images' scheme: sig = hex HMAC-SHA256 of path + query without sig, optional exp.
// The maths and the constant-time compare are the core's (verifyUrl); this file only supplies the keys and clock.
import { verifyUrl } from 'edgepix';
import { HttpError } from './errors.js';

/**
 * The keys from the SIGNING_KEYS secret, comma-separated. Rotation: add the new key to the list, move signers to
 * it, then remove the old one; every key in the list verifies until then.
 */
export function signingKeys(env) {
  return (env.SIGNING_KEYS ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0);
}

/** Throws the core's 403/400 EdgepixError unless the request's URL carries a valid, unexpired signature. */
export async function requireValidSignature(request, env) {
  const keys = signingKeys(env);
  if (keys.length === 0) {
    console.error('edgepix: an image requires a signed URL but the SIGNING_KEYS secret is empty');
    throw new HttpError('misconfigured', 'signed URLs cannot be verified: no signing keys are configured');
  }
  await verifyUrl(request.url, keys, Math.floor(Date.now() / 1000));
}
