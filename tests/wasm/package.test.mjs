// wasm/ is the npm package `edgepix`: what `npm pack` would publish is the loader, its types, the module, README and
// package.json — nothing of the Worker, the bench or the tests — and it has no dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { root } from '../support/golden.mjs';

const packageDir = `${root}wasm/`;
const manifest = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8'));
const PACKAGE_FILES = [
  'README.md', 'browser.js', 'core.js', 'edgepix.wasm', 'error-codes.d.ts', 'error-codes.js', 'errors.js',
  'index.d.ts', 'node.js', 'package.json', 'sbom.cdx.json', 'workerd.js',
];

test('npm pack lists exactly the package files (the built module included, though git ignores it)', () => {
  assert.ok(existsSync(`${packageDir}edgepix.wasm`), 'build the module first: scripts/build wasm');
  assert.ok(existsSync(`${packageDir}sbom.cdx.json`), 'scripts/build wasm writes the bill of materials too');
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: packageDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }));
  assert.equal(pack.name, 'edgepix');
  assert.deepEqual(pack.files.map((file) => file.path).sort(), PACKAGE_FILES);
});

test('the package has no dependencies, and its version is the core\'s (CMakeLists.txt)', () => {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
    assert.equal(manifest[field], undefined, field);
  }
  assert.equal(manifest.private, undefined);
  const cmake = readFileSync(`${root}CMakeLists.txt`, 'utf8');
  assert.equal(manifest.version, /project\(edgepix VERSION (\d+\.\d+\.\d+)/.exec(cmake)[1]);
  const project = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  assert.equal(project.private, true);
  assert.deepEqual(project.workspaces, ['wasm']);
});

test('every entry the exports name exists, and the package imports nothing outside itself', () => {
  const conditions = manifest.exports['.'];
  assert.deepEqual(Object.keys(conditions), ['types', 'workerd', 'worker', 'browser', 'node', 'default']);
  for (const target of Object.values(conditions)) assert.ok(existsSync(`${packageDir}${target}`), target);
  for (const name of readdirSync(packageDir).filter((file) => /\.(js|d\.ts)$/.test(file))) {
    const text = readFileSync(`${packageDir}${name}`, 'utf8');
    for (const [, specifier] of text.matchAll(/\bfrom '([^']+)'/g)) {
      assert.match(specifier, /^(\.\/[\w.-]+|node:[\w/]+)$/, `${name} imports ${specifier}`);
    }
  }
});

test('the project resolves `edgepix` to the workspace package, the Node entry in Node', async () => {
  assert.equal(fileURLToPath(import.meta.resolve('edgepix')), `${packageDir}node.js`);
  const edgepix = await import('edgepix');
  assert.deepEqual(Object.keys(edgepix.STATUS_BY_CODE).sort(),
    Object.keys((await import('../../wasm/error-codes.js')).STATUS_BY_CODE).sort());
  assert.equal(typeof edgepix.transform, 'function');
});

test('the package README names every error code with its status', async () => {
  const readme = readFileSync(`${packageDir}README.md`, 'utf8');
  const { STATUS_BY_CODE } = await import('../../wasm/error-codes.js');
  for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
    assert.match(readme, new RegExp(`^\\|[^\\n]*\`${code}\`[^\\n]*\\| ${status} \\|`, 'm'), code);
  }
});
