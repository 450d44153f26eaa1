// signUrl / verifyUrl / safeEqual from the npm package, checked against Node's own HMAC (an independent
// implementation of the same maths).
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgepixError, safeEqual, signUrl, verifyUrl } from '../../wasm/node.js';

const nodeHmac = (key, message) => createHmac('sha256', key).update(message).digest('hex');

test('signUrl appends exp and the HMAC of path + query that Node computes too', async () => {
  const signed = await signUrl('https://cdn.example/images/cat/public?width=300', 'k1', { expiresAt: 1900000000 });
  const expected = nodeHmac('k1', '/images/cat/public?width=300&exp=1900000000');
  assert.equal(signed, `https://cdn.example/images/cat/public?width=300&exp=1900000000&sig=${expected}`);
  const date = await signUrl(new URL('https://cdn.example/x'), 'k1', { expiresAt: new Date(1900000000 * 1000) });
  assert.equal(date, `https://cdn.example/x?exp=1900000000&sig=${nodeHmac('k1', '/x?exp=1900000000')}`);
  assert.equal(await signUrl('/x', 'k1'), `/x?sig=${nodeHmac('k1', '/x')}`);
});

test('verifyUrl: valid, tampered, expired, other key, rotation, malformed', async () => {
  const signed = await signUrl('/images/cat/public', 'old-key', { expiresAt: 2000000000 });
  assert.deepEqual(await verifyUrl(signed, ['old-key'], 1900000000), { keyIndex: 0 });
  assert.deepEqual(await verifyUrl(signed, ['new-key', 'old-key'], 1900000000), { keyIndex: 1 });
  const rejects = (url, keys, now, code, status) =>
    assert.rejects(verifyUrl(url, keys, now), (error) => error instanceof EdgepixError && error.code === code &&
      error.status === status);
  await rejects(signed.replace('/cat/', '/cap/'), ['old-key'], 0, 'signature_invalid', 403);
  await rejects(signed, ['new-key'], 0, 'signature_invalid', 403);
  await rejects(signed, ['old-key'], 2000000001, 'signature_expired', 403);
  await rejects('/images/cat/public', ['old-key'], 0, 'signature_missing', 403);
  await rejects('/images/cat/public?sig=nothex', ['old-key'], 0, 'bad_signature', 400);
  await rejects(`/x?exp=tomorrow&sig=${nodeHmac('k', '/x?exp=tomorrow')}`, ['k'], 0, 'bad_signature', 400);
  await assert.rejects(verifyUrl(signed, ['a\nb']), TypeError);
});

test('safeEqual compares secrets', async () => {
  assert.equal(await safeEqual('token-123', 'token-123'), true);
  assert.equal(await safeEqual('token-123', 'token-124'), false);
  assert.equal(await safeEqual('token', 'token-123'), false);
});
