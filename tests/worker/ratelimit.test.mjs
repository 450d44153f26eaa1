// Transform misses are budgeted per client IP (a Durable Object per client); hits, 304s and originals are not.
// The Worker runs with a budget of 3 misses a minute (--var), and each test speaks as its own client through
// CF-Connecting-IP, which wrangler dev passes through as Cloudflare's edge would set it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_ADMIN_TOKEN, adminCall, fetchBytes, fetchJson, startWorker } from './harness.mjs';

const LIMIT = 3;
const PERIOD_SECONDS = 60;
const SMALL = 'graphics/gradient.gif'; // 240×160: cheap misses

describe('rate limiting of transform misses', () => {
  let worker;
  before(async () => {
    worker = await startWorker({
      vars: {
        ADMIN_TOKEN: TEST_ADMIN_TOKEN, TRANSFORM_MISS_LIMIT: LIMIT, TRANSFORM_MISS_PERIOD_SECONDS: PERIOD_SECONDS,
      },
    });
  });
  after(() => worker?.stop());
  const from = (ip, urlPath, headers = {}) =>
    fetchBytes(worker.baseUrl, urlPath, { headers: { 'CF-Connecting-IP': ip, ...headers } });
  const transformUrl = (width) => `/cdn-cgi/image/width=${width},format=png/${SMALL}`;

  async function expectLimited(ip, urlPath) {
    const { status, headers, body } = await fetchJson(worker.baseUrl, urlPath, { headers: { 'CF-Connecting-IP': ip } });
    assert.equal(status, 429, JSON.stringify(body));
    assert.equal(body.error.code, 'rate_limited');
    assert.match(headers.get('Content-Type'), /^application\/json/);
    const retryAfter = Number(headers.get('Retry-After'));
    assert.ok(Number.isInteger(retryAfter), headers.get('Retry-After'));
    assert.ok(retryAfter >= 1 && retryAfter <= PERIOD_SECONDS, headers.get('Retry-After'));
  }

  test('the misses past the budget are 429 with Retry-After; hits, 304s and originals still pass', async () => {
    const ip = '203.0.113.7';
    const first = await from(ip, transformUrl(101));
    for (const width of [102, 103]) {
      assert.equal((await from(ip, transformUrl(width))).headers.get('X-Edgepix-Cache'), 'MISS');
    }
    assert.equal(first.headers.get('X-Edgepix-Cache'), 'MISS');
    await expectLimited(ip, transformUrl(104));
    await expectLimited(ip, transformUrl(104)); // refused misses are not stored

    const hit = await from(ip, transformUrl(101));
    assert.equal(hit.status, 200);
    assert.equal(hit.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.equal((await from(ip, transformUrl(101), { 'If-None-Match': first.headers.get('ETag') })).status, 304);
    assert.equal((await from(ip, `/${SMALL}`)).status, 200);
    // Errors decided before any decode are not misses either.
    assert.equal((await from(ip, `/cdn-cgi/image/width=banana/${SMALL}`)).status, 400);
  });

  test('each client has its own budget; an IPv6 client is its /64', async () => {
    assert.equal((await from('198.51.100.9', transformUrl(104))).status, 200);
    for (const width of [111, 112, 113]) assert.equal((await from('2001:db8:1:2::1', transformUrl(width))).status, 200);
    await expectLimited('2001:db8:1:2:ffff::5', transformUrl(114)); // same /64
    assert.equal((await from('2001:db8:1:3::1', transformUrl(114))).status, 200); // next /64
  });

  test('misses of the images API count against the same budget', async () => {
    const admin = (method, urlPath, body) => adminCall(worker.baseUrl, method, urlPath, body);
    assert.equal((await admin('PUT', '/admin/images/gradient', { source: { kind: 'r2', key: SMALL } })).status, 201);
    for (const width of [121, 122, 123]) {
      assert.equal((await admin('PUT', `/admin/variants/w${width}`, { options: `width=${width}` })).status, 201);
    }
    const ip = '192.0.2.44';
    for (const width of [121, 122, 123]) assert.equal((await from(ip, `/images/gradient/w${width}`)).status, 200);
    await expectLimited(ip, transformUrl(130));
    assert.equal((await from(ip, '/images/gradient/w121')).headers.get('X-Edgepix-Cache'), 'HIT');
  });
});
