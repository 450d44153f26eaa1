// Sizes: the whole Worker as `wrangler deploy --dry-run` bundles it (gzip -9 of every uploaded file), and the
// wasm module's bytes per linked library. For the breakdown the module is linked again with a link map and put
// through the build's own wasm-opt steps with names kept (-g); the result is checked against the shipped module's
// code section, so the attribution is of the bytes that ship.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CODE_SECTION, functions, sectionSize } from './wasm-module.mjs';
import { libraryOf, parseLinkMap } from './link-map.mjs';

const root = new URL('../', import.meta.url).pathname;
const gzipBytes = (bytes) => gzipSync(bytes, { level: 9 }).length;

export function workerSize() {
  const dir = mkdtempSync(join(tmpdir(), 'edgepix-worker-'));
  try {
    const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false',
      XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') };
    const log = execFileSync(`${root}node_modules/.bin/wrangler`, ['deploy', '--dry-run', '--outdir', join(dir, 'out')],
      { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    // Source maps and wrangler's README are not uploaded.
    const files = readdirSync(join(dir, 'out')).filter((f) => !f.endsWith('.map') && f !== 'README.md').map((f) => {
      const bytes = readFileSync(join(dir, 'out', f));
      return { file: f.replace(/^[0-9a-f]{40}-/, ''), bytes: bytes.length, gzip: gzipBytes(bytes) };
    });
    const total = { bytes: files.reduce((s, f) => s + f.bytes, 0), gzip: files.reduce((s, f) => s + f.gzip, 0) };
    const wranglerSays = log.match(/Total Upload: ([^\n]+)/)?.[1]?.trim();
    return { files, total, wranglerSays };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const quoted = (line) => [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);

// The wasm preset's link step as the clang driver runs it (-###): wasm-ld, then — when the driver finds wasm-opt —
// `wasm-opt -O<n>` on its output; then the build's own wasm-opt step. tests/wasm/sbom.test.mjs relinks with it too.
export function buildSteps() {
  const commands = (target) => execFileSync('ninja', ['-C', `${root}build/wasm`, '-t', 'commands', target],
    { encoding: 'utf8' }).trim().split('\n');
  const link = commands('edgepix_module').find((c) => c.includes('-o edgepix-linked.wasm'))
    .replace(/^: && /, '').replace(/ && :$/, '');
  const driver = spawnSync('/bin/sh', ['-c', link.replace('-o edgepix-linked.wasm', "-o OUT.wasm '-###'")],
    { cwd: `${root}build/wasm`, encoding: 'utf8' }).stderr.split('\n');
  const wasmLd = quoted(driver.find((l) => /^ "[^"]*wasm-ld[^"]*"/.test(l)));
  const implicit = driver.find((l) => /^ "[^"]*wasm-opt"/.test(l));
  const withoutPaths = (args) => args.filter((a, i) => !/OUT\.wasm|edgepix-linked\.wasm/.test(a) && a !== '-o' &&
    args[i - 1] !== '-o');
  const implicitArgs = implicit ? withoutPaths(quoted(implicit).slice(1)) : null;
  const final = commands('edgepix_wasm_optimized').find((c) => c.includes('wasm-opt'));
  const finalArgs = final ? withoutPaths(final.split('&& ').pop().split(' ').slice(1)) : null;
  return { wasmLd, implicitArgs, finalArgs };
}

export function moduleBreakdown({ optimise = true, shippedPath = `${root}wasm/edgepix.wasm` } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'edgepix-size-'));
  try {
    const { wasmLd, implicitArgs, finalArgs } = buildSteps();
    // wasm-ld alone: its output keeps the function names the link map describes.
    const [ld, ...ldArgs] = wasmLd.map((a, i, all) => (all[i - 1] === '-o' ? `${dir}/linked.wasm` : a));
    execFileSync(ld, [...ldArgs, `--Map=${dir}/link.map`], { cwd: `${root}build/wasm` });
    let current = `${dir}/linked.wasm`;
    const optimisations = optimise ? [['implicit', implicitArgs], ['final', finalArgs]] : [];
    for (const [step, args] of optimisations) {
      if (!args) continue;
      execFileSync('wasm-opt', [...args, '-g', current, '-o', `${dir}/${step}.wasm`]);
      current = `${dir}/${step}.wasm`;
    }
    const named = readFileSync(current);
    const shipped = readFileSync(shippedPath);
    const linkMap = parseLinkMap(readFileSync(`${dir}/link.map`, 'utf8'));
    const linked = readFileSync(`${dir}/linked.wasm`);

    const libraries = new Map();
    const entry = (name) => {
      if (!libraries.has(name)) libraries.set(name, { name, linkedCode: 0, code: 0, data: 0, chunks: [] });
      return libraries.get(name);
    };
    for (const fn of functions(linked)) entry(linkMap.functionLibrary.get(fn.name) ?? 'unnamed').linkedCode += fn.size;
    for (const fn of functions(named)) {
      const library = entry(linkMap.functionLibrary.get(fn.name) ?? 'wasm-opt helpers (no source symbol)');
      library.code += fn.size;
      library.chunks.push(named.subarray(fn.start, fn.start + fn.size));
    }
    for (const chunk of linkMap.data) {
      const library = entry(chunk.library);
      library.data += chunk.size;
      library.chunks.push(linked.subarray(chunk.offset, chunk.offset + chunk.size));
    }
    // Each library's share of the gzipped module: its bytes gzipped alone, scaled so the shares add up to the
    // module's real gzip size (section headers, imports, exports and tables go with them pro rata).
    const moduleGzip = gzipBytes(shipped);
    const rows = [...libraries.values()].map((l) => ({ ...l, alone: gzipBytes(Buffer.concat(l.chunks)) }));
    const aloneTotal = rows.reduce((s, l) => s + l.alone, 0);
    return {
      module: { bytes: shipped.length, gzip: moduleGzip, code: sectionSize(shipped, CODE_SECTION),
        data: sectionSize(shipped, 11) },
      matchesShipped: sectionSize(named, CODE_SECTION) === sectionSize(shipped, CODE_SECTION),
      steps: ['wasm-ld', optimise && implicitArgs && `wasm-opt ${implicitArgs.join(' ')} (clang's own)`,
        optimise && finalArgs && `wasm-opt ${finalArgs.join(' ')}`].filter(Boolean),
      libraries: rows.map(({ name, linkedCode, code, data, alone }) => ({ name, linkedCode, code, data,
        gzipShare: Math.round((alone / aloneTotal) * moduleGzip) }))
        .sort((a, b) => b.gzipShare - a.gzipShare),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { libraryOf };
