// The Worker calls the core once per request: a miss is parsed, negotiated and decoded exactly once, a cache hit
// and a 304 decode nothing. EDGEPIX_DEBUG_CORE_COUNTERS makes each answer carry the core's work for it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetchBytes, startWorker } from './harness.mjs';

const PHOTO = 'photos/fossa.jpg';
const work = (answer) => JSON.parse(answer.headers.get('X-Edgepix-Core-Counters'));

describe('core calls per request', () => {
  let worker;
  before(async () => {
    worker = await startWorker({ vars: { EDGEPIX_DEBUG_CORE_COUNTERS: 'true' } });
  });
  after(() => worker?.stop());
  const get = (urlPath, init) => fetchBytes(worker.baseUrl, urlPath, init);

  test('a miss decides once and decodes once; a hit and a 304 decode nothing', async () => {
    const url = `/cdn-cgi/image/width=300,format=auto/${PHOTO}`;
    const accept = { headers: { Accept: 'image/webp,*/*' } };
    const miss = await get(url, accept);
    assert.equal(miss.status, 200, new TextDecoder().decode(miss.bytes));
    assert.equal(miss.headers.get('X-Edgepix-Cache'), 'MISS');
    assert.deepEqual(work(miss), { optionsParsed: 1, negotiated: 1, decoded: 1 });

    const hit = await get(url, accept);
    assert.equal(hit.headers.get('X-Edgepix-Cache'), 'HIT');
    assert.deepEqual(work(hit), { optionsParsed: 1, negotiated: 1, decoded: 0 });

    const notModified = await get(url, { headers: { ...accept.headers, 'If-None-Match': miss.headers.get('ETag') } });
    assert.equal(notModified.status, 304);
    assert.deepEqual(work(notModified), { optionsParsed: 1, negotiated: 1, decoded: 0 });
  });

  test('without the var, answers carry no counters', async () => {
    await worker.restart({});
    const answer = await get(`/cdn-cgi/image/width=200/${PHOTO}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('X-Edgepix-Core-Counters'), null);
  });
});
