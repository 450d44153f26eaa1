// The one list of error codes (src/core/error_codes.def): the JS tables written from it are current, the core
// answers each of its codes with the list's status, and the Worker maps an unknown code to 500, never 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorList, errorTables } from '../support/error-codes.mjs';
import { STATUS_BY_CODE as CORE } from '../../wasm/error-codes.js';
import { STATUS_BY_CODE as WORKER } from '../../worker/error-codes.js';

test('the written JS tables are what the list gives (node scripts/error-codes.mjs)', () => {
  for (const { path, text } of errorTables()) assert.equal(readFileSync(path, 'utf8'), text, path);
});

test('every code is listed once, with an error status, and raised by one side', () => {
  const rows = errorList().filter((row) => row.code !== 'ok');
  assert.ok(rows.length >= 20);
  assert.equal(new Set(rows.map((row) => row.code)).size, rows.length);
  for (const row of rows) assert.ok(row.status >= 400 && row.status <= 599, `${row.code}: ${row.status}`);
  assert.deepEqual(Object.keys(CORE).filter((code) => code in WORKER), []);
  for (const code of ['signature_missing', 'signature_invalid', 'signature_expired', 'bad_signature', 'over_budget']) {
    assert.ok(code in CORE, code);
  }
});

test('the C++ enum is the list, in order: error_info indexes by it', () => {
  const header = readFileSync(new URL('../../src/core/status.h', import.meta.url), 'utf8');
  assert.match(header, /#include "core\/error_codes.def"/);
  const table = readFileSync(new URL('../../src/core/error_table.cpp', import.meta.url), 'utf8');
  assert.match(table, /#include "core\/error_codes.def"/);
});
