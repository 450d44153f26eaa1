// The wasm module's own memcpy, memmove and memset (src/platform/wasi/memory.c): the preset builds a WASI
// command from them and tests/platform/memory_test.c, which compares them with byte-by-byte references over every
// short length, misalignment and overlap. Run here, in Node's WASI, the engine the module runs on.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const program = new URL('../../build/wasm/edgepix_memory_test.wasm', import.meta.url);

test('memcpy, memmove and memset agree with byte-by-byte references', async () => {
  const wasi = new WASI({ version: 'preview1', args: ['memory_test'], returnOnExit: true });
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(readFileSync(program)),
    wasi.getImportObject());
  assert.equal(wasi.start(instance), 0, 'the program reports a mismatch on stdout');
});
