// Classification and moderation through the real Worker: features stored at upload and returned by get and list,
// the policy's validation and versions, each verdict through the upload routes (allow; flag: private and in the
// review queue; reject: 422, or 451 for the block list, nothing stored), review (approve, reject), a block after the
// image was served (451, its variants gone, re-encoded copies refused), Workers AI labels (a stand-in: the one
// binding that cannot run locally), the onClassified hook, and placeholders served from the record alone.
// tests/worker/hooked-worker.js is the entry: the real Worker through createWorker, with a hook and the AI stand-in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { signUrl } from '../../wasm/node.js';
import { jpegWithGps } from '../support/exif.mjs';
import { fixture } from '../support/golden.mjs';
import { drawnJpeg, fetchBytes, fetchJson, startWorker } from './harness.mjs';

const ACCOUNT_ID = 'test0000000000000000000000000acc';
const API_TOKEN = 'test-only-api-token';
const SIGNING_KEY = 'test-only-signing-key';
const API = `/client/v4/accounts/${ACCOUNT_ID}/images`;
const PHOTO = new Uint8Array(fixture('photo-1200.jpg'));
const ANIMATED = new Uint8Array(fixture('animated.gif'));
const TRUNCATED = new Uint8Array(fixture('truncated-photo-1200.jpg'));
// The same photo as a user would re-post it: half the size, re-encoded at quality 60 (by ImageMagick).
const REPOSTED = new Uint8Array(execFileSync('/usr/bin/convert', ['JPEG:-', '-resize', '50%', '-quality', '60', 'JPEG:-'],
  { input: PHOTO }));
const RED = drawnJpeg(160, 120, 'red');
const BLUE = drawnJpeg(160, 120, 'navy');
const SEVEN_WIDE = drawnJpeg(7, 40, 'gray');

describe('moderation: features, policy, verdicts, review, blocks, placeholders', () => {
  let worker;
  before(async () => {
    worker = await startWorker({
      seed: false,
      script: 'tests/worker/hooked-worker.js',
      vars: { ACCOUNT_ID, API_TOKENS: API_TOKEN, SIGNING_KEYS: SIGNING_KEY, FLEXIBLE_VARIANTS: 'true',
        EDGEPIX_TEST_AI: 'true' },
    });
  });
  after(async () => worker?.stop());

  const call = (method, path, { json, body, form } = {}) => fetchJson(worker.baseUrl, `${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${API_TOKEN}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: form ?? body ?? (json !== undefined ? JSON.stringify(json) : undefined),
  });
  const upload = (id, bytes, fields = {}) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), `${id}.jpg`);
    form.append('id', id);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    return call('POST', '/v1', { form });
  };
  // Writes `policy`, keeping the block list that blocks and review rejections built up.
  const setPolicy = async (policy) => {
    const { blocklist } = (await call('GET', '/v1/policy')).body.result.policy;
    const answer = await call('PUT', '/v1/policy', { json: { blocklist, ...policy } });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.result;
  };
  const deliver = (id, variant = 'width=120,format=png', headers = {}) =>
    fetchBytes(worker.baseUrl, `/images/${id}/${variant}`, { headers });
  function assertRefused(answer, status, numericCode, rule) {
    assert.equal(answer.status, status, JSON.stringify(answer.body));
    assert.equal(answer.body.success, false);
    assert.equal(answer.body.errors[0].code, numericCode);
    if (rule !== undefined) assert.equal(answer.body.errors[0].rule, rule, JSON.stringify(answer.body));
  }
  const notStored = async (id) => assert.equal((await call('GET', `/v1/${id}`)).status, 404);

  test('with no policy written, an upload is allowed and its features come back from get and list', async () => {
    const policy = await call('GET', '/v1/policy');
    assert.equal(policy.body.result.version, 0);
    assert.deepEqual(policy.body.result.policy.rules, []);

    const uploaded = await upload('plain-photo', PHOTO);
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    const { features, moderation } = uploaded.body.result;
    assert.equal(features.width, 1200);
    assert.equal(features.height, 900);
    assert.equal(features.format, 'jpeg');
    assert.equal(features.animated, false);
    assert.match(features.phash, /^[0-9a-f]{16}$/);
    assert.equal(features.dominantColors.length > 0, true);
    assert.ok(features.photo > 0.5, `a photograph scores as a photo: ${features.photo}`);
    assert.deepEqual({ verdict: moderation.verdict, state: moderation.state, policyVersion: moderation.policyVersion },
      { verdict: 'allow', state: 'allowed', policyVersion: 0 });

    const got = await call('GET', '/v1/plain-photo');
    assert.deepEqual(got.body.result.features, features);
    const listed = (await call('GET', '/v2')).body.result.images.find(({ id }) => id === 'plain-photo');
    assert.deepEqual(listed.features, features);
    assert.equal(listed.moderation.state, 'allowed');
    assert.equal((await deliver('plain-photo')).status, 200);
  });

  test('a policy is validated on write: 400 naming the bad place, and the current version stays', async () => {
    const before = (await call('GET', '/v1/policy')).body.result;
    const bad = await call('PUT', '/v1/policy', {
      json: { rules: [{ name: 'r', action: 'reject', when: { any: [{ feature: 'width', gtt: 3 }] } }] } });
    assertRefused(bad, 400, 5400);
    assert.match(bad.body.errors[0].message, /rules\[0\]\.when\.any\[0\]/);
    const notJson = await call('PUT', '/v1/policy', { body: '{"rules": [' });
    assertRefused(notJson, 400, 5400);
    assert.deepEqual((await call('GET', '/v1/policy')).body.result, before);

    const written = await setPolicy({ rules: [{ name: 'huge', action: 'reject', when: { feature: 'pixels', gt: 1e9 } }] });
    assert.equal(written.version, before.version + 1);
    assert.equal(written.policy.keepGps, false, 'defaults are filled in');
    const earlier = await call('GET', `/v1/policy?version=${written.version}`);
    assert.deepEqual(earlier.body.result, written);
    assert.equal((await call('GET', '/v1/policy?version=999')).status, 404);
  });

  test('reject by a feature rule: 422 naming the rule, and nothing is stored', async () => {
    await setPolicy({ rules: [{ name: 'no-animations', action: 'reject', when: { feature: 'animated', eq: true } }] });
    assertRefused(await upload('an-animation', ANIMATED), 422, 5422, 'no-animations');
    await notStored('an-animation');
    // Other images still pass, and a broken file is still the gate's 422 (corrupt), not a verdict.
    assert.equal((await upload('still-fine', BLUE)).status, 200);
    const corrupt = await upload('broken', TRUNCATED);
    assertRefused(corrupt, 422, 5422);
    assert.match(corrupt.body.errors[0].message, /truncat|corrupt|broken/i);
    await notStored('broken');
  });

  test('flag: stored private and queued; approve serves it as uploaded, and it leaves the queue', async () => {
    await setPolicy({ rules: [{ name: 'wide', action: 'flag', when: { feature: 'width', gte: 1000 } }] });
    const flagged = await upload('wide-photo', PHOTO, { requireSignedURLs: 'false' });
    assert.equal(flagged.status, 200, JSON.stringify(flagged.body));
    assert.equal(flagged.body.result.requireSignedURLs, true, 'private until reviewed');
    assert.equal(flagged.body.result.moderation.state, 'pending');
    assert.equal(flagged.body.result.moderation.rule, 'wide');
    const queue = (await call('GET', '/v1/review')).body.result.images.map(({ id }) => id);
    assert.deepEqual(queue, ['wide-photo']);
    assert.equal((await deliver('wide-photo')).status, 403, 'not served without a signature while pending');
    assert.equal((await fetchBytes(worker.baseUrl, await signUrl('/images/wide-photo/width=100', SIGNING_KEY))).status, 200,
      'reviewers see it through a signed URL');
    // Its owner cannot make it public while it waits.
    await call('PATCH', '/v1/wide-photo', { json: { requireSignedURLs: false } });
    assert.equal((await call('GET', '/v1/wide-photo')).body.result.requireSignedURLs, true);

    const approved = await call('POST', '/v1/review/wide-photo/approve');
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.result.requireSignedURLs, false);
    assert.equal(approved.body.result.moderation.state, 'approved');
    assert.deepEqual((await call('GET', '/v1/review')).body.result.images, []);
    assert.equal((await deliver('wide-photo')).status, 200);
    assert.equal((await call('POST', '/v1/review/wide-photo/approve')).status, 404, 'no longer waiting');
  });

  test('reject in review: the image answers 451 on delivery and on blob', async () => {
    const flagged = await upload('wide-again', PHOTO);
    assert.equal(flagged.body.result.moderation.state, 'pending');
    const rejected = await call('POST', '/v1/review/wide-again/reject');
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    assert.equal(rejected.body.result.moderation.state, 'blocked');
    const delivered = await fetchJson(worker.baseUrl, '/images/wide-again/width=100');
    assert.equal(delivered.status, 451);
    assert.equal(delivered.body.error.code, 'blocked');
    assertRefused(await call('GET', '/v1/wide-again/blob'), 451, 5451);
    await setPolicy({}); // later tests start with no rules (the block list keeps this photo)
  });

  test('a block after the image was served: 451, cached variants gone, re-encoded copies refused with 451', async () => {
    await setPolicy({});
    // A fractal (seeded): nothing like the drawn circles the other tests upload, which must not match it.
    const bytes = new Uint8Array(execFileSync('/usr/bin/convert',
      ['-size', '320x240', '-seed', '7', 'plasma:', '-quality', '85', 'JPEG:-']));
    assert.equal((await upload('served-then-blocked', bytes)).status, 200);
    assert.equal((await deliver('served-then-blocked')).status, 200);
    let cached;
    for (let tries = 0; tries < 20 && cached !== 'HIT'; tries += 1) { // the cache write runs after the answer
      cached = (await deliver('served-then-blocked')).headers.get('X-Edgepix-Cache');
    }
    assert.equal(cached, 'HIT', 'the variant was in the cache before the block');

    const blocked = await call('POST', '/v1/served-then-blocked/block', { json: { reason: 'a takedown notice' } });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    const again = await fetchJson(worker.baseUrl, '/images/served-then-blocked/width=120,format=png');
    assert.equal(again.status, 451, 'the cached variant is not served');
    assert.equal((await fetchBytes(worker.baseUrl, '/images/served-then-blocked/placeholder.png')).status, 451);

    const policy = (await call('GET', '/v1/policy')).body.result;
    const entry = policy.policy.blocklist.entries.find(({ phash }) => phash === blocked.body.result.features.phash);
    assert.ok(entry, 'the image\'s perceptual hash is on the block list');
    assert.match(entry.reason, /takedown/);
  });

  test('the block list catches a resized, re-encoded copy of a blocked photo: 451, nothing stored', async () => {
    // The photo was rejected in review above, which block-listed it; the copy is half the size at quality 60.
    const copy = await upload('reposted-copy', REPOSTED);
    assertRefused(copy, 451, 5451, 'blocklist');
    await notStored('reposted-copy');
    assert.equal((await upload('unrelated', BLUE)).status, 200, 'an unrelated image passes');
  });

  test('Workers AI labels (stand-in): stored with the verdict, and a label rule rejects', async () => {
    await setPolicy({ classifier: { labels: true },
      rules: [{ name: 'no-stop-signs', action: 'reject', when: { label: 'stop sign', gte: 0.8 } }] });
    assertRefused(await upload('red-thing', RED), 422, 5422, 'no-stop-signs');
    await notStored('red-thing');
    const allowed = await upload('navy-thing', BLUE);
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.deepEqual(allowed.body.result.moderation.labels[0], { label: 'seashore', score: 0.71 });
    await setPolicy({});
  });

  test('onClassified: the deployment\'s hook flags or rejects beside the policy', async () => {
    const flagged = await upload('please-review-me', BLUE);
    assert.equal(flagged.status, 200);
    assert.equal(flagged.body.result.moderation.state, 'pending');
    assert.equal(flagged.body.result.moderation.rule, 'hook-review');
    assertRefused(await upload('seven', SEVEN_WIDE), 422, 5422, 'seven-pixels-wide');
    await call('POST', '/v1/review/please-review-me/approve');
  });

  test('direct uploads pass the same gate: a rejected file leaves the URL open for another', async () => {
    await setPolicy({ rules: [{ name: 'no-animations', action: 'reject', when: { feature: 'animated', eq: true } }] });
    const created = await call('POST', '/v2/direct_upload', { form: new FormData() });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { uploadURL, id } = created.body.result;
    const post = (bytes) => {
      const form = new FormData();
      form.append('file', new Blob([bytes]), 'file');
      return fetchJson(worker.baseUrl, new URL(uploadURL).pathname, { method: 'POST', body: form });
    };
    const refused = await post(ANIMATED);
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'rejected_by_policy');
    assert.equal(refused.body.error.rule, 'no-animations');
    const stored = await post(BLUE);
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    assert.equal(stored.body.result.id, id);
    assert.equal(stored.body.result.features.width, 160);
    await setPolicy({});
  });

  test('placeholders: a tiny PNG and JSON from the record, no decode of the original', async () => {
    const png = await fetchBytes(worker.baseUrl, '/images/plain-photo/placeholder.png');
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('Content-Type'), 'image/png');
    const [width, height] = execFileSync('/usr/bin/identify', ['-format', '%w %h', 'PNG:-'], { input: png.bytes })
      .toString().split(' ').map(Number);
    assert.ok(Math.max(width, height) <= 32, `${width}x${height}`);
    assert.ok(Math.abs(width / height - 4 / 3) < 0.25, `the aspect of 1200x900: ${width}x${height}`);
    assert.ok(png.bytes.length < 2048, `${png.bytes.length} bytes`);

    const json = await fetchJson(worker.baseUrl, '/images/plain-photo/placeholder.json');
    assert.equal(json.status, 200);
    assert.deepEqual([json.body.width, json.body.height], [1200, 900]);
    assert.match(json.body.dataUrl, /^data:image\/png;base64,/);
    assert.deepEqual(Buffer.from(json.body.dataUrl.split(',')[1], 'base64'), Buffer.from(png.bytes));
    assert.equal(typeof json.body.blurhash, 'string');

    const etag = png.headers.get('ETag');
    assert.equal((await fetchBytes(worker.baseUrl, '/images/plain-photo/placeholder.png',
      { headers: { 'If-None-Match': etag } })).status, 304);
  });

  test('GPS: stripped from metadata=keep deliveries unless the policy says keepGps; flagged by an exif.gps rule', async () => {
    const located = jpegWithGps(drawnJpeg(200, 150, 'olive'), { model: 'Edgepix Phone 7' });
    const uploaded = await upload('located', located);
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    assert.deepEqual([uploaded.body.result.features.exif.gps, uploaded.body.result.features.exif.cameraModel],
      [true, 'Edgepix Phone 7']);
    const exifOf = async (variant) => {
      const answer = await deliver('located', variant);
      assert.equal(answer.status, 200);
      return execFileSync('/usr/bin/identify', ['-format', '%[EXIF:GPSLatitude]|%[EXIF:Model]', 'JPEG:-'],
        { input: answer.bytes, stdio: ['pipe', 'pipe', 'ignore'] }).toString(); // an absent tag warns on stderr
    };
    const keep = 'width=120,format=jpeg,metadata=keep';
    assert.equal(await exifOf(keep), '|Edgepix Phone 7', 'GPS gone, the camera kept');
    await setPolicy({ keepGps: true });
    assert.equal(await exifOf(keep), '48/1, 51/1, 30/1|Edgepix Phone 7', 'the policy lets GPS through');
    assert.equal(await exifOf('width=120,format=jpeg,metadata=none'), '|', 'metadata=none still drops everything');

    await setPolicy({ rules: [{ name: 'located', action: 'flag', when: { feature: 'exif.gps', eq: true } }] });
    assert.equal(await exifOf(keep), '|Edgepix Phone 7', 'stripped again once the policy no longer allows it');
    const flagged = await upload('located-again', located);
    assert.equal(flagged.body.result.moderation.rule, 'located');
    assert.equal(flagged.body.result.moderation.state, 'pending');
    await call('POST', '/v1/review/located-again/approve');
    await setPolicy({});
  });
});
