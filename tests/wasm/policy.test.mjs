// checkPolicy() and verdict() from the npm package: the normalised policy, bad_policy naming the place, and the
// verdict's order (block list → reject rule → flag rule → allow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPolicy, EdgepixError, STATUS_BY_CODE, verdict } from '../../wasm/node.js';

const DEFAULTS = { rules: [], blocklist: { maxDistance: 8, entries: [] }, keepGps: false, classifier: { labels: false } };

const features = {
  format: 'jpeg', width: 1200, height: 900, animated: false, frames: 1, alpha: false,
  dominantColors: [{ hex: '#aabbcc', share: 0.41 }], phash: 'c3a1f0e0b0d09c8e', sharpness: 123.4,
  exposure: { mean: 0.47, shadows: 0.02, highlights: 0.01 }, photo: 0.93,
  exif: { gps: true, cameraModel: null, captureDate: null }, fileSize: 250000,
};

const rejectsBadPolicy = (policy, message) => assert.rejects(checkPolicy(policy), (error) => {
  assert.ok(error instanceof EdgepixError);
  assert.deepEqual([error.code, error.status], ['bad_policy', 400]);
  assert.match(error.message, message);
  return true;
});

test('the three moderation codes are in the package table', () => {
  assert.deepEqual([STATUS_BY_CODE.bad_policy, STATUS_BY_CODE.rejected_by_policy, STATUS_BY_CODE.blocked], [400, 422, 451]);
});

test('checkPolicy fills in the defaults, from an object or JSON text, and reads its own answer back unchanged', async () => {
  assert.deepEqual(await checkPolicy({}), DEFAULTS);
  assert.deepEqual(await checkPolicy('{}'), DEFAULTS);
  const written = {
    rules: [{ name: 'located', action: 'flag', when: { all: [{ feature: 'exif.gps', eq: true }, { feature: 'pixels', gt: 2e6 }] } },
      { name: 'no-stop-signs', action: 'reject', when: { label: 'stop sign', gte: 0.8 } }],
    blocklist: { entries: [{ phash: 'C3A1F0E0B0D09C8E' }] },
    classifier: { labels: true },
  };
  const normalised = await checkPolicy(written);
  assert.deepEqual(normalised, {
    rules: written.rules,
    blocklist: { maxDistance: 8, entries: [{ phash: 'c3a1f0e0b0d09c8e', reason: '' }] },
    keepGps: false,
    classifier: { labels: true },
  });
  assert.deepEqual(await checkPolicy(normalised), normalised);
});

test('checkPolicy rejects with bad_policy naming the place', async () => {
  await rejectsBadPolicy({ rules: [{ name: 'r', action: 'reject', when: { any: [{ feature: 'width', gtt: 3 }] } }] },
    /^rules\[0\]\.when\.any\[0\]: unknown op 'gtt'$/);
  await rejectsBadPolicy('{"rules": [', /^the policy is not valid JSON/);
  await rejectsBadPolicy([], /must be a JSON object/);
  await rejectsBadPolicy({ rules: [], extra: 1 }, /^extra: unknown member/);
  await rejectsBadPolicy({ rules: [{ name: 'r', action: 'flag', when: { feature: 'format', gt: 3 } }] },
    /^rules\[0\]\.when\.gt: feature 'format' is a string/);
  await rejectsBadPolicy({ blocklist: { maxDistance: 40 } }, /^blocklist\.maxDistance:/);
  await rejectsBadPolicy({ blocklist: { entries: [{ phash: 'xyz' }] } }, /^blocklist\.entries\[0\]\.phash:/);
});

test('verdict: allow, the first flag rule, the first reject rule, and the block list before any rule', async () => {
  assert.deepEqual(await verdict({}, features),
    { verdict: 'allow', code: null, rule: null, blocklist: null, fired: [] });
  const rules = [
    { name: 'wide', action: 'flag', when: { feature: 'width', gte: 1000 } },
    { name: 'located', action: 'reject', when: { feature: 'exif.gps', eq: true } },
    { name: 'animations', action: 'reject', when: { feature: 'animated', eq: true } },
  ];
  assert.deepEqual(await verdict({ rules: [rules[0], rules[2]] }, features),
    { verdict: 'flag', code: null, rule: 'wide', blocklist: null, fired: ['wide'] });
  assert.deepEqual(await verdict({ rules }, features),
    { verdict: 'reject', code: 'rejected_by_policy', rule: 'located', blocklist: null, fired: ['wide', 'located'] });
  const blocklist = { entries: [{ phash: 'c3a1f0e0b0d09c81', reason: 'takedown' }] }; // 4 bits away
  assert.deepEqual(await verdict({ rules, blocklist }, features), {
    verdict: 'reject', code: 'blocked', rule: 'blocklist',
    blocklist: { phash: 'c3a1f0e0b0d09c81', distance: 4, reason: 'takedown' }, fired: ['wide', 'located'],
  });
  assert.equal((await verdict({ blocklist: { ...blocklist, maxDistance: 3 } }, features)).verdict, 'allow');
});

test('verdict: labels score 0 when absent, and the policy is validated again', async () => {
  const policy = { rules: [{ name: 'no-stop-signs', action: 'reject', when: { label: 'stop sign', gte: 0.8 } }] };
  assert.equal((await verdict(policy, features)).verdict, 'allow');
  assert.equal((await verdict(policy, { ...features, labels: [{ label: 'stop sign', score: 0.93 }] })).rule, 'no-stop-signs');
  await assert.rejects(verdict({ rules: [{ name: 'r', action: 'flag', when: { feature: 'nope', eq: 1 } }] }, features),
    (error) => error.code === 'bad_policy' && /^rules\[0\]\.when\.feature: unknown feature 'nope'$/.test(error.message));
});
