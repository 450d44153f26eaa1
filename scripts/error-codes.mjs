#!/usr/bin/env node
// Writes the JS error tables from the one list, src/core/error_codes.def:
//   wasm/error-codes.js    the core's codes (the npm package's EdgepixError codes)
//   wasm/error-codes.d.ts  their types (the codes' union, ErrorCode, and each status)
//   worker/error-codes.js  the Worker's own codes
//   node scripts/error-codes.mjs          write them
//   node scripts/error-codes.mjs --check  exit 1 when any differs from what the list gives
import { readFileSync, writeFileSync } from 'node:fs';
import { errorTables } from '../tests/support/error-codes.mjs';

const check = process.argv.includes('--check');
let stale = false;
for (const { path, text } of errorTables()) {
  const current = (() => { try { return readFileSync(path, 'utf8'); } catch { return null; } })();
  if (current === text) continue;
  if (check) {
    console.error(`${path} is not what src/core/error_codes.def gives: run node scripts/error-codes.mjs`);
    stale = true;
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale ? 1 : 0);
