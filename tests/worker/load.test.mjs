// The loopback load test (bench/load.mjs), short: under a mix of hits, misses, bad inputs, uploads and direct
// uploads at once, nothing fails on the server side, nothing acknowledged is lost, and nothing answered is wrong.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  BAD_INPUTS, LOAD_VARS, checkTransforms, loadObjects, runLoad, verifyUploads,
} from '../../bench/load.mjs';
import { readObjects } from '../../scripts/seed.mjs';
import { startWorker } from './harness.mjs';

const SECONDS = 6;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

describe(`load on loopback (${SECONDS} s of five classes at once)`, () => {
  let worker;
  let report;
  before(async () => {
    worker = await startWorker({ objects: loadObjects(), vars: LOAD_VARS });
    report = await runLoad(worker, { seconds: SECONDS });
    for (const s of report.classes) {
      console.log(`# ${s.class}: ${s.requests} requests, ${s.throughput} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, ` +
        `statuses ${JSON.stringify(s.statuses)}`);
    }
  });
  after(() => worker?.stop());

  test('every class ran; no 5xx, no socket errors or timeouts, and no 429 standing in for the work', () => {
    for (const s of report.classes) {
      assert.ok(s.requests > 0, `${s.class} sent nothing`);
      assert.equal(s.errors, 0, `${s.class}: ${s.errors} socket errors`);
      assert.equal(s.timeouts, 0, `${s.class}: ${s.timeouts} timeouts`);
      const serverErrors = Object.keys(s.statuses).filter((code) => code >= 500);
      assert.deepEqual(serverErrors, [], `${s.class}: ${JSON.stringify(s.statuses)}`);
      assert.equal(s.statuses[429], undefined, `${s.class} was rate limited: ${JSON.stringify(s.statuses)}`);
    }
    for (const s of report.classes.filter((c) => c.class !== 'bad')) {
      assert.deepEqual(Object.keys(s.statuses), ['200'], `${s.class}: ${JSON.stringify(s.statuses)}`);
    }
    assert.deepEqual(report.uploadRefusals, []);
  });

  test('the hit class measured cache hits', () => {
    assert.deepEqual(Object.keys(report.hitCache), ['HIT'], JSON.stringify(report.hitCache));
  });

  test('each bad input got its exact status and error code, every one of them', () => {
    assert.deepEqual(report.badMismatches, []);
    const bad = report.classes.find((c) => c.class === 'bad');
    for (const [, status] of BAD_INPUTS) assert.ok(bad.statuses[status] > 0, `no ${status} answered`);
  });

  test('no lost upload: every acknowledged one is listed by the Images API, and its blob is the bytes sent', async () => {
    assert.ok(report.uploads.some((u) => u.via === 'v1'), 'no upload was acknowledged');
    assert.ok(report.uploads.some((u) => u.via === 'direct'), 'no direct upload was acknowledged');
    const { acknowledged, missing, differing } = await verifyUploads(worker, report.uploads);
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged} acknowledged uploads are not listed`);
    assert.deepEqual(differing, [], `${differing.length} of ${acknowledged} have other bytes`);
  });

  test('no wrong answer: a sample of the transforms decodes to the size and format asked for', async () => {
    assert.ok(report.missNumbers.length >= 4, `only ${report.missNumbers.length} misses`);
    const { checked, wrong } = await checkTransforms(worker, report.missNumbers);
    assert.ok(checked >= 5, `only ${checked} checked`);
    assert.deepEqual(wrong, []);
  });

  // Last: it ends the Worker to read R2's persisted state directly.
  test('in R2 itself, each acknowledged upload is one object holding the bytes sent', async () => {
    await worker.halt();
    const objects = await readObjects('admin/images/', { persistTo: worker.stateDir });
    for (const upload of report.uploads) {
      const keys = [...objects.keys()].filter((key) => key.startsWith(`admin/images/${upload.id}/`));
      assert.equal(keys.length, 1, `${upload.id}: ${JSON.stringify(keys)}`);
      assert.equal(sha256(objects.get(keys[0])), upload.sha256, `${upload.id} (${upload.via})`);
    }
  });
});
