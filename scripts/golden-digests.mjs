#!/usr/bin/env node
// The sha256 of every successful golden case's output, from the shipped wasm module and from the native CLI.
// Recorded once into tests/golden/sha256.tsv before a change that must not alter output bytes (a refactor), then
// checked by tests/wasm/golden-bytes.test.mjs:
//   node scripts/golden-digests.mjs --write    record the table from the current builds
//   node scripts/golden-digests.mjs            print the table
// Bump the table only together with a change that is meant to change outputs (and EDGEPIX_VERSION with it).
import { writeFileSync } from 'node:fs';
import { goldenDigests, digestTablePath, formatDigestTable } from '../tests/support/golden-digests.mjs';

const table = formatDigestTable(await goldenDigests());
if (process.argv.includes('--write')) {
  writeFileSync(digestTablePath, table);
  console.log(`wrote ${digestTablePath}`);
} else {
  process.stdout.write(table);
}
