// The Images API's signing keys (v1/keys[/<name>]): named keys kept in KV beside the SIGNING_KEYS secret; both
// verify signed URLs (signatures.js). Every answer lists the keys made here, { keys: [{ name, value }] } (the
// secret's keys are configuration and are never shown). Rotation: PUT a new name, sign with it, DELETE the old.
import { envelope } from './api-envelope.js';
import { CodedError } from './coded-error.js';
import * as meta from './meta.js';

const KEY_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// 256 bits, written as hex as Cloudflare's keys are.
const KEY_BYTES = 32;

// KV's lists lag its writes by up to a minute elsewhere: an answer lists what this call changed itself.
const keysAnswer = (keys) => envelope({ keys });

export async function listKeys(request, env) {
  return keysAnswer(await meta.listSigningKeys(env.META));
}

/** PUT v1/keys/<name>: makes a key of that name; a name that exists keeps its value (PUT is idempotent). */
export async function putKey(request, env, ctx, { name }) {
  checkKeyName(name);
  const keys = await meta.listSigningKeys(env.META);
  if (keys.some((key) => key.name === name)) return keysAnswer(keys);
  const made = { name, value: newKeyValue() };
  await meta.putSigningKey(env.META, made.name, made.value);
  return keysAnswer([...keys, made]);
}

export async function deleteKey(request, env, ctx, { name }) {
  checkKeyName(name);
  const keys = await meta.listSigningKeys(env.META);
  if (!keys.some((key) => key.name === name)) {
    throw new CodedError('not_found', `no signing key named ${JSON.stringify(name)}`);
  }
  await meta.deleteSigningKey(env.META, name);
  return keysAnswer(keys.filter((key) => key.name !== name));
}

function checkKeyName(name) {
  if (!KEY_NAME.test(name)) throw new CodedError('bad_request', `a key name must match ${KEY_NAME}`);
}

function newKeyValue() {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
