// Runs one export of a wasm reactor module under Node with the minimal WASI surface the shipped module may use,
// and fails if the module imports anything else. Usage: node run-wasm.mjs MODULE.wasm EXPORT [INT_ARG...]
// Calls the export twice in the same instance (the second call shows the instance is still usable) and prints
// both results; exits 0 only when both were 0.
import { readFileSync } from 'node:fs';

const [modulePath, exportName, ...args] = process.argv.slice(2);
const WASI_EBADF = 8;
let memory;

class ProcExit extends Error {
  constructor(code) { super(`proc_exit(${code})`); this.code = code; }
}

const wasi = {
  // wasi-libc start-up asks for preopened directories until EBADF, and for the environment's size.
  fd_prestat_get: () => WASI_EBADF,
  environ_sizes_get: (countPtr, sizePtr) => {
    const view = new DataView(memory.buffer);
    view.setUint32(countPtr, 0, true);
    view.setUint32(sizePtr, 0, true);
    return 0;
  },
  proc_exit: (code) => { throw new ProcExit(code); },
  // Diagnostics from printf/fputs go to our stderr.
  fd_write: (fd, iovs, iovsLen, writtenPtr) => {
    const view = new DataView(memory.buffer);
    let written = 0;
    for (let i = 0; i < iovsLen; i++) {
      const base = view.getUint32(iovs + i * 8, true);
      const len = view.getUint32(iovs + i * 8 + 4, true);
      process.stderr.write(new Uint8Array(memory.buffer, base, len));
      written += len;
    }
    view.setUint32(writtenPtr, written, true);
    return 0;
  },
};

const module = new WebAssembly.Module(readFileSync(modulePath));
const unexpected = WebAssembly.Module.imports(module)
  .filter(({ module: from, name }) => from !== 'wasi_snapshot_preview1' || !(name in wasi))
  .map(({ module: from, name }) => `${from}.${name}`);
if (unexpected.length) {
  console.error(`${modulePath}: unexpected imports: ${unexpected.join(', ')}`);
  process.exit(2);
}
const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi });
memory = instance.exports.memory;
instance.exports._initialize?.();
const results = [1, 2].map(() => instance.exports[exportName](...args.map(Number)));
console.log(`${exportName}: ${results.join(', ')}`);
process.exit(results.every((result) => result === 0) ? 0 : 1);
