// Browser entry: streams and compiles the module file next to this one (served as application/wasm).
import { createCore } from './core.js';

export { EdgepixError } from './errors.js';
export { STATUS_BY_CODE } from './error-codes.js';
export const {
  transform, decide, plan, counters, probe, signUrl, verifyUrl, safeEqual, memoryBytes, classify, placeholder,
  checkPolicy, verdict, memoryStats, configure,
} = createCore(() =>
  WebAssembly.compileStreaming(fetch(new URL('./edgepix.wasm', import.meta.url))));
