// wasm-image-optimization: one Emscripten module; in Node its compiled module is handed over through Emscripten's
// instantiateWasm hook (its Node entry would otherwise look for the file next to a bundle).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import createModule from 'wasm-image-optimization/wasm-image-optimization.js';
import { ImageConverterBase } from 'wasm-image-optimization';

export const name = 'wasm-image-optimization';
export const kind = 'wasm';

export async function load() {
  const wasmPath = fileURLToPath(import.meta.resolve('wasm-image-optimization/wasm-image-optimization.wasm'));
  const compiled = await WebAssembly.compile(readFileSync(wasmPath));
  const factory = (moduleArg) => createModule({
    ...moduleArg,
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled));
      return {};
    },
  });
  const converter = new ImageConverterBase(factory);
  return {
    cannot: () => null,
    run: async (job, input) => (await converter.optimizeImage({
      image: input, width: job.width, format: job.format, quality: job.quality,
    })).data,
  };
}
