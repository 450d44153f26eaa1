// worker/errors.js as a unit, in Node: every coded error answers JSON with the status the one list gives, and a
// code the list lacks answers 500 internal, never a 200 or an unlisted status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgepixError } from 'edgepix';
import { CodedError } from '../../worker/coded-error.js';
import { HttpError, toErrorResponse } from '../../worker/errors.js';

const request = new Request('http://edgepix.test/photos/a.jpg');

async function answer(error) {
  const quiet = console.error;
  console.error = () => {}; // an unknown code is logged as the bug it is; the test wants only the answer
  try {
    const response = toErrorResponse(error, request);
    return { status: response.status, type: response.headers.get('Content-Type'),
      cacheControl: response.headers.get('Cache-Control'), body: await response.json() };
  } finally {
    console.error = quiet;
  }
}

test('an unknown code answers 500 internal JSON, whichever error carries it', async () => {
  for (const error of [new HttpError('no_such_code', 'x'), new CodedError('no_such_code', 'x'),
    new EdgepixError('no_such_code', 200, 'x'), new TypeError('x')]) {
    const { status, type, cacheControl, body } = await answer(error);
    assert.equal(status, 500, error.name);
    assert.match(type, /^application\/json/);
    assert.equal(cacheControl, 'no-store');
    assert.equal(body.error.code, 'internal');
  }
});

test('listed codes answer their status: the Worker\'s, the storage pieces\' and the core\'s', async () => {
  assert.deepEqual(await answer(new HttpError('method_not_allowed', 'no', { Allow: 'GET' })),
    { status: 405, type: 'application/json', cacheControl: 'no-store',
      body: { error: { code: 'method_not_allowed', message: 'no' } } });
  assert.equal((await answer(new CodedError('origin_failed', 'the origin answered 500'))).status, 502);
  assert.equal((await answer(new CodedError('too_large', 'big'))).status, 413);
  // The core's status is the list's, whatever the error object says.
  assert.equal((await answer(new EdgepixError('signature_expired', 400, 'late'))).status, 403);
});
