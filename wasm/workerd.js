// Workers entry: the module is imported (Workers forbid compiling wasm from bytes at run time).
import module from './edgepix.wasm';
import { createCore } from './core.js';

export { EdgepixError } from './errors.js';
export { STATUS_BY_CODE } from './error-codes.js';
export const {
  transform, decide, plan, counters, probe, signUrl, verifyUrl, safeEqual, memoryBytes, classify, placeholder,
  checkPolicy, verdict, memoryStats, configure,
} = createCore(async () => module);
