// Output digests of the golden cases (tests/golden/cases.tsv): what scripts/golden-digests.mjs records and
// tests/wasm/golden-bytes.test.mjs compares. Native outputs come from the CLI, wasm ones from the shipped module.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../wasm/node.js';
import { fixture, fixturesDir, goldenCases, nativeCli, root, wasmBuilds } from './golden.mjs';

export const digestTablePath = `${root}tests/golden/sha256.tsv`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** [{ name, wasm, native }] for every case that answers 200 with an image or JSON. */
export async function goldenDigests() {
  const core = createCore(async () => WebAssembly.compile(readFileSync(wasmBuilds['wasm (clang wasm32-wasi)'])));
  const scratch = mkdtempSync(join(tmpdir(), 'edgepix-digests-'));
  try {
    const rows = [];
    for (const c of goldenCases().filter((c) => c.status === 200)) {
      const { bytes } = await core.transform(fixture(c.fixture), c.options, { accept: c.accept });
      const out = join(scratch, c.name);
      execFileSync(nativeCli, ['transform', join(fixturesDir(), c.fixture), out, c.options, c.accept],
        { stdio: 'ignore' });
      rows.push({ name: c.name, wasm: sha256(bytes), native: sha256(readFileSync(out)) });
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function formatDigestTable(rows) {
  const header = [
    '# sha256 of each successful golden case\'s output: the shipped wasm module and the native CLI.',
    '# Written by `node scripts/golden-digests.mjs --write`; checked by tests/wasm/golden-bytes.test.mjs.',
    '# Columns: name, wasm sha256, native sha256.',
  ];
  return [...header, ...rows.map((r) => `${r.name}\t${r.wasm}\t${r.native}`)].join('\n') + '\n';
}

export function readDigestTable() {
  return new Map(readFileSync(digestTablePath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const [name, wasm, native] = line.split('\t');
      return [name, { wasm, native }];
    }));
}
