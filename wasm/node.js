// Node entry: compiles the module file next to this one, once per process.
import { readFile } from 'node:fs/promises';
import { createCore } from './core.js';

export { EdgepixError } from './errors.js';
export { STATUS_BY_CODE } from './error-codes.js';
export { createCore } from './core.js';
export const {
  transform, decide, plan, counters, probe, signUrl, verifyUrl, safeEqual, memoryBytes, classify, placeholder,
  checkPolicy, verdict, memoryStats, configure,
} = createCore(async () =>
  WebAssembly.compile(await readFile(new URL('./edgepix.wasm', import.meta.url))));
