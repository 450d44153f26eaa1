// Reads tests/golden/cases.tsv (shared with the Catch2 golden test) and finds the generated fixtures.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
// Both wasm builds (clang wasm32-wasi: the shipped module; Emscripten: kept portable), and the native CLI whose
// output they are checked against.
export const wasmBuilds = {
  'wasm (clang wasm32-wasi)': `${root}wasm/edgepix.wasm`,
  'wasm-emscripten': `${root}build/wasm-emscripten/edgepix.wasm`,
};
export const nativeCli = `${root}build/native/edgepix`;

export function goldenCases() {
  return readFileSync(`${root}tests/golden/cases.tsv`, 'utf8').split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [name, fixture, options, accept, status, format, width, height] = line.split('\t');
      return { name, fixture, options, accept: accept === '-' ? '' : accept, status: Number(status), format,
        width: Number(width), height: Number(height) };
    });
}

let dir;
export function fixturesDir() {
  dir ??= process.env.EDGEPIX_FIXTURES ??
    execFileSync('node', [`${root}scripts/fixtures.mjs`], { encoding: 'utf8' }).trim().split('\n').pop();
  return dir;
}
export const fixture = (name) => readFileSync(`${fixturesDir()}/${name}`);
