// The moderation policy in a KV-like object (the META binding, or the import CLI's own store). The core validates
// and normalises it (checkPolicy) and decides each verdict from it (verdict); this file only keeps its versions:
//   policy:current   { version, policy, updated }   the one every gate reads
//   policy:v<n>      { version, policy, updated }   every version ever written, so a verdict's version can be read
// A write is validated first, so a bad policy never replaces a good one. Version 0 is the built-in default (allow
// everything), which is never stored. KV is eventually consistent: another location sees a new policy within ~60 s.
import { checkPolicy } from 'edgepix';
import { CodedError } from './coded-error.js';

const CURRENT = 'policy:current';
const versionKey = (version) => `policy:v${version}`;

// An isolate keeps what it read for this long: every delivery needs keepGps, and KV itself lags by up to a minute.
const ISOLATE_TTL_MS = 10_000;
let remembered = null; // { kv, at, value }

/** The policy the gates apply: { version, policy, updated }; version 0 (the default) when none was written. */
export async function currentPolicy(kv) {
  return (await kv.get(CURRENT, 'json')) ?? builtIn();
}

const builtIn = async () => ({ version: 0, policy: await checkPolicy({}), updated: null });

/** currentPolicy, remembered by the isolate for a few seconds: for delivery, which reads it on every request. */
export async function recentPolicy(kv) {
  const now = Date.now();
  if (remembered?.kv === kv && now - remembered.at < ISOLATE_TTL_MS) return remembered.value;
  const value = await currentPolicy(kv);
  remembered = { kv, at: now, value };
  return value;
}

/** One stored version, or 404. */
export async function policyVersion(kv, version) {
  if (version === 0) return builtIn();
  const stored = await kv.get(versionKey(version), 'json');
  if (stored === null) throw new CodedError('not_found', `no policy version ${version}`);
  return stored;
}

/**
 * Validates `policy` (bad_policy 400 names what is wrong) and stores it as the next version. Two writes at once may
 * take the same number: the later one wins. Policies are an administrator's edits, rare enough for that.
 */
export async function writePolicy(kv, policy) {
  const current = await currentPolicy(kv);
  const next = { version: current.version + 1, policy: await checkPolicy(policy), updated: new Date().toISOString() };
  await kv.put(versionKey(next.version), JSON.stringify(next));
  await kv.put(CURRENT, JSON.stringify(next));
  remembered = null;
  return next;
}

/** Adds a perceptual hash to the block list (once): the next version, or the current one when it is there. */
export async function blockHash(kv, phash, reason) {
  const { policy, ...current } = await currentPolicy(kv);
  if (policy.blocklist.entries.some((entry) => entry.phash === phash)) return { policy, ...current };
  const entries = [...policy.blocklist.entries, { phash, reason }];
  return writePolicy(kv, { ...policy, blocklist: { ...policy.blocklist, entries } });
}
