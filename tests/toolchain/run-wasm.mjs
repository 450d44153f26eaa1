// Runs one export of a wasm reactor module under Node with the minimal WASI surface the shipped module may use,
// and fails if the module imports anything else. Usage: node run-wasm.mjs [--host-imports] MODULE.wasm EXPORT
// [INT_ARG...]. --host-imports also offers the rest of what wasm/core.js gives the shipped module (stderr's
// close/seek/fdstat answered "nothing here", a clock): libraries with diagnostics on stderr (aom, dav1d) or a
// timestamp (lcms2) need them. Calls the export twice in the same instance (the second call shows the instance
// is still usable) and prints both results; exits 0 only when both were 0.
import { readFileSync } from 'node:fs';

const hostImports = process.argv[2] === '--host-imports';
const [modulePath, exportName, ...args] = process.argv.slice(hostImports ? 3 : 2);
const WASI_EBADF = 8;
const WASI_ESPIPE = 70;
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

if (hostImports) {
  // As wasm/core.js answers them.
  Object.assign(wasi, {
    fd_prestat_dir_name: () => WASI_EBADF,
    fd_fdstat_get: () => WASI_EBADF,
    fd_close: () => 0,
    fd_seek: () => WASI_ESPIPE,
    clock_time_get: (id, precision, timePtr) => {
      new DataView(memory.buffer).setBigUint64(timePtr, BigInt(Math.round(performance.now() * 1e6)), true);
      return 0;
    },
  });
}

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
