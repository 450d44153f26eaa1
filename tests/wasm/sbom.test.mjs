// The bill of materials (scripts/sbom.mjs) against what it describes: third_party/manifest's pins, Debian's
// copyright files for the licences, and the module itself — wasm-ld's link map of the wasm preset's link and
// strings in the shipped bytes — so a library added, dropped or made opt-in cannot leave the list behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSteps } from '../../bench/size.mjs';
import { TOOLCHAIN_RUNTIME, buildSbom, readManifest } from '../../scripts/sbom.mjs';
import { root } from '../support/golden.mjs';

const sbom = buildSbom();
const manifest = readManifest();
const defaults = manifest.filter((entry) => !entry.optIn);
const cache = process.env.EDGEPIX_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'edgepix');
const depsPrefix = path.join(cache, 'wasm', 'prefix');

// The Debian package a component stands for: its source package (manifest) or binary package (toolchain runtime).
const packageOf = (component) => component.properties
  .find((p) => p.name === 'edgepix:debian-binary-package' || p.name === 'edgepix:debian-source-package').value;
const isRuntime = (component) => component['bom-ref'].startsWith('debian-binary:');

test('the BOM is CycloneDX 1.5 with the fields its schema requires, about edgepix at the package\'s version', () => {
  const npmPackage = JSON.parse(readFileSync(`${root}wasm/package.json`, 'utf8'));
  assert.equal(sbom.bomFormat, 'CycloneDX');
  assert.equal(sbom.specVersion, '1.5');
  assert.match(sbom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(sbom.version, 1);
  assert.deepEqual([sbom.metadata.component.name, sbom.metadata.component.version], ['edgepix', npmPackage.version]);
  const refs = sbom.components.map((c) => c['bom-ref']);
  assert.equal(new Set(refs).size, refs.length, 'bom-refs are unique');
  for (const component of sbom.components) {
    assert.equal(component.type, 'library', component.name);
    assert.ok(component.name && component.version, JSON.stringify(component));
    assert.match(component.purl, /^pkg:deb\/debian\/[^@/]+@[^?]+\?arch=(source|all|wasm32)$/, component.purl);
    assert.ok(component.hashes.length > 0, component.name);
    for (const hash of component.hashes) assert.match(`${hash.alg} ${hash.content}`, /^SHA-256 [0-9a-f]{64}$/);
    assert.equal(component.licenses.length, 1, component.name);
    assert.match(component.licenses[0].expression, /^[A-Za-z0-9.+() -]+$/, component.name);
  }
  assert.deepEqual(sbom.dependencies, [{ ref: 'edgepix', dependsOn: refs }]);
  // The same inputs give the same bytes, serial number included.
  assert.deepEqual(buildSbom(), sbom);
});

test('every default manifest package is listed with its pinned version and sha256s; nothing else but the runtime', () => {
  const sources = sbom.components.filter((c) => !isRuntime(c));
  assert.deepEqual(sources.map((c) => c.name), defaults.map((entry) => entry.name));
  for (const entry of defaults) {
    const component = sources.find((c) => c.name === entry.name);
    assert.equal(component.version, entry.version, entry.name);
    assert.equal(component.purl.replace(/%2B/g, '+'), `pkg:deb/debian/${entry.name}@${entry.version}?arch=source`);
    const pinned = entry.files.map((f) => f.sha256).sort();
    assert.deepEqual(component.hashes.map((h) => h.content).sort(), pinned, entry.name);
    assert.deepEqual(component.externalReferences.map((r) => `${r.hashes[0].content}  ${r.url}`).sort(),
      entry.files.map((f) => `${f.sha256}  ${f.file}`).sort(), entry.name);
  }
  const runtime = sbom.components.filter(isRuntime);
  assert.deepEqual(runtime.map(packageOf), TOOLCHAIN_RUNTIME.map((r) => r.debianPackage));
  for (const component of runtime) {
    const [version, source] = execFileSync('dpkg-query', ['-W', '-f', '${Version} ${source:Package}', packageOf(component)],
      { encoding: 'utf8' }).split(' ');
    assert.equal(component.version, version, component.name);
    assert.ok(component.properties.some((p) => p.name === 'edgepix:debian-source-package' && p.value === source));
  }
});

test('an opt-in manifest package is not listed (it is not built into the module unless asked for)', () => {
  const trial = `libtrial 1.0-1 opt-in\n  ${'0'.repeat(64)}  libtrial_1.0-1.dsc\n`;
  const text = `${readFileSync(`${root}third_party/manifest`, 'utf8')}\n${trial}`;
  const withOptIn = buildSbom({ manifest: readManifest(text) });
  assert.ok(readManifest(text).find((entry) => entry.name === 'libtrial').optIn);
  assert.ok(!withOptIn.components.some((c) => c.name === 'libtrial'));
});

// How each SPDX identifier of third_party/licences shows in a Debian copyright file (DEP-5 short names, or the
// licence's own words where the file is free-form, as libwebp's is).
const COPYRIGHT_WORDING = {
  Zlib: /\bzlib\b/i,
  IJG: /\bIJG\b|Independent JPEG Group/,
  'BSD-3-Clause': /BSD-3-clause|Neither the name of/i,
  'BSD-2-Clause': /BSD-2-clause/i,
  'libpng-2.0': /^License: libpng/im,
  MIT: /\b(MIT|Expat)\b/,
  Unlicense: /public.domain/i,
  'LGPL-3.0-or-later': /LGPL-3\+/,
  'CC0-1.0': /CC0-1\.0/,
  'Apache-2.0': /Apache-2/i,
  'LLVM-exception': /LLVM.EXCEPTIONS?/i,
};

test('each licence identifier appears in the Debian copyright file of its package', (t) => {
  if (!existsSync(depsPrefix)) return t.skip(`no ${depsPrefix}: run scripts/deps wasm`);
  for (const component of sbom.components) {
    const copyright = isRuntime(component)
      ? `/usr/share/doc/${packageOf(component)}/copyright`
      : path.join(depsPrefix, 'share', 'doc', component.name, 'copyright');
    const text = readFileSync(copyright, 'utf8');
    const identifiers = component.licenses[0].expression.split(/[\s()]+/).filter((w) => w && !/^(AND|OR|WITH)$/.test(w));
    for (const identifier of identifiers) {
      assert.ok(COPYRIGHT_WORDING[identifier], `no wording known for ${identifier}: add it to COPYRIGHT_WORDING`);
      assert.match(text, COPYRIGHT_WORDING[identifier], `${component.name}: ${identifier} not in ${copyright}`);
    }
  }
});

// A string each library compiles into the shipped module (its own messages), so the bytes that ship are checked,
// not only the build tree. compiler-rt's builtins (integer and float helpers) have no strings: the link map covers
// them below.
const SIGNATURES = {
  zlib: 'incorrect header check',
  'libjpeg-turbo': 'libjpeg-turbo Project',
  'libpng1.6': 'Too many IDATs found',
  libwebp: 'Incorrect keyframe parameters.',
  libstb: 'no clear code',
  lcms2: 'Absolute colorimetric',
  aom: 'AOMedia Project AV1 Encoder v',
  dav1d: "Input validation check '%s' failed in %s!",
  libde265: '_profile_idc',
  'wasi-libc': 'Address family not supported by protocol',
  'libc++': 'NSt3__219__shared_weak_countE',
  'compiler-rt-builtins': null,
};

test('the shipped module holds a signature string of every listed library', () => {
  const shipped = readFileSync(`${root}wasm/edgepix.wasm`).toString('latin1');
  for (const component of sbom.components) {
    assert.ok(component.name in SIGNATURES, `no signature for ${component.name}: add one to SIGNATURES`);
    const signature = SIGNATURES[component.name];
    if (signature) assert.ok(shipped.includes(signature), `${component.name}: "${signature}" not in wasm/edgepix.wasm`);
  }
  // aom prints its upstream version: the one the manifest pins.
  const aomUpstream = manifest.find((e) => e.name === 'aom').version.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
  assert.ok(shipped.includes(`AOMedia Project AV1 Encoder v${aomUpstream}`), `aom ${aomUpstream}`);
});

// The packages the wasm preset's link takes members from, read off wasm-ld's link map: a library archive of the
// deps prefix resolves to its package's directory (NAME-VERSION-HASH), a toolchain file to its Debian package, and
// stb_image (a header compiled into gif.cpp) shows as its stbi__ functions.
function linkedPackages(buildDir) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgepix-sbom-'));
  try {
    const { wasmLd } = buildSteps();
    const [ld, ...args] = wasmLd.map((a, i, all) => (all[i - 1] === '-o' ? `${dir}/linked.wasm` : a));
    execFileSync(ld, [...args, `--Map=${dir}/link.map`], { cwd: buildDir });
    const map = readFileSync(`${dir}/link.map`, 'utf8');
    const inputs = new Set([...map.matchAll(/^\s+-\s+[0-9a-f]+\s+[0-9a-f]+\s{9}(\/[^\s(:]+)[(:]/gm)].map((m) => m[1]));
    const packages = new Set();
    for (const input of inputs) {
      const real = realpathSync(input);
      const fromDeps = defaults.find((e) => path.basename(path.dirname(path.dirname(real)))
        .startsWith(`${e.name}-${e.version.replace(/^\d+:/, '')}-`));
      packages.add(fromDeps ? fromDeps.name : execFileSync('dpkg', ['-S', real], { encoding: 'utf8' }).split(':')[0]);
    }
    if (/libedgepix_core\.a\(gif\.cpp\.obj\):\(\S*stbi__/.test(map)) packages.add('libstb');
    return packages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the listed packages are exactly those the wasm preset links members from', (t) => {
  const buildDir = `${root}build/wasm`;
  if (!existsSync(`${buildDir}/build.ninja`)) return t.skip('no build/wasm: scripts/build wasm');
  const linked = linkedPackages(buildDir);
  assert.deepEqual([...linked].sort(), sbom.components.map(packageOf).sort());
});
