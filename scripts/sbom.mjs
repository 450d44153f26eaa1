// The bill of materials of the shipped module (wasm/edgepix.wasm, the `wasm` preset) and so of the npm package
// `edgepix`, which has no dependencies: CycloneDX 1.5 JSON on stdout, or into --out FILE.
//
//   node scripts/sbom.mjs [--out FILE]
//
// Components: the Debian source packages of third_party/manifest that the default build links (opt-in ones are
// built only when asked for, so they are not in the module), and the toolchain runtime that the link adds from
// Debian binary packages. Licences come from third_party/licences. The output depends on nothing but those
// files and the installed packages, so the same inputs give the same bytes (the serial number included).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// What clang's wasm32-wasi driver links after our archives (-lc++ -lc++abi -lc and the builtins), as far as any
// member of it lands in the module. Debian's libc++.a carries libc++abi's objects too, so wasm-ld takes them
// (new/delete, __cxa_pure_virtual) from there and nothing from libc++abi-14-dev-wasm32's libc++abi.a, which is
// not listed. tests/wasm/sbom.test.mjs checks this against wasm-ld's link map.
export const TOOLCHAIN_RUNTIME = [
  { name: 'wasi-libc', debianPackage: 'wasi-libc',
    files: ['/usr/lib/wasm32-wasi/libc.a', '/usr/lib/wasm32-wasi/crt1-reactor.o'] },
  { name: 'libc++', debianPackage: 'libc++-14-dev-wasm32', files: ['/usr/lib/wasm32-wasi/libc++.a'] },
  { name: 'compiler-rt-builtins', debianPackage: 'libclang-rt-14-dev-wasm32',
    files: ['/usr/lib/llvm-14/lib/clang/14.0.6/lib/wasi/libclang_rt.builtins-wasm32.a'] },
];

/** third_party/manifest as [{ name, version, optIn, files: [{ sha256, file }] }], in build order. */
export function readManifest(text = readFileSync(`${root}third_party/manifest`, 'utf8')) {
  const packages = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const fields = line.trim().split(/\s+/);
    if (!/^\s/.test(line)) {
      packages.push({ name: fields[0], version: fields[1], optIn: fields[2] === 'opt-in', files: [] });
    } else {
      packages.at(-1).files.push({ sha256: fields[0], file: fields[1] });
    }
  }
  return packages;
}

/** third_party/licences as a Map from component key (source or binary package) to its SPDX expression. */
export function readLicences(text = readFileSync(`${root}third_party/licences`, 'utf8')) {
  const rows = text.split('\n').filter((line) => !/^\s*(#|$)/.test(line));
  return new Map(rows.map((line) => {
    const [, key, expression] = line.match(/^(\S+)\s+(.+?)\s*$/);
    return [key, expression];
  }));
}

// purl's version is percent-encoded except for the characters Debian versions use that it allows as they are.
const purlVersion = (version) => encodeURIComponent(version).replace(/%3A/g, ':');
const debPurl = (name, version, arch) => `pkg:deb/debian/${encodeURIComponent(name)}@${purlVersion(version)}?arch=${arch}`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function licenceOf(licences, key) {
  const expression = licences.get(key);
  if (!expression) throw new Error(`third_party/licences has no row for ${key}`);
  return [{ expression }];
}

function sourceComponent(entry, licences) {
  const hashes = entry.files.map(({ sha256: content }) => ({ alg: 'SHA-256', content }));
  return {
    type: 'library',
    'bom-ref': `debian-source:${entry.name}`,
    name: entry.name,
    version: entry.version,
    purl: debPurl(entry.name, entry.version, 'source'),
    hashes,
    licenses: licenceOf(licences, entry.name),
    // Which hash is which file: the files `apt-get source NAME=VERSION` downloads, as the manifest pins them.
    externalReferences: entry.files.map(({ sha256: content, file }) => ({
      type: 'source-distribution', url: file, hashes: [{ alg: 'SHA-256', content }],
    })),
    properties: [{ name: 'edgepix:debian-source-package', value: entry.name }],
  };
}

function runtimeComponent(runtime, licences, dpkgQuery) {
  const [version, source, sourceVersion, arch] = dpkgQuery(runtime.debianPackage);
  return {
    type: 'library',
    'bom-ref': `debian-binary:${runtime.debianPackage}`,
    name: runtime.name,
    version,
    purl: debPurl(runtime.debianPackage, version, arch),
    // The archives the link takes members from, as installed: the bytes in the module come from these.
    hashes: runtime.files.map((file) => ({ alg: 'SHA-256', content: sha256(readFileSync(file)) })),
    licenses: licenceOf(licences, runtime.debianPackage),
    properties: [
      { name: 'edgepix:debian-binary-package', value: runtime.debianPackage },
      { name: 'edgepix:debian-source-package', value: source },
      { name: 'edgepix:debian-source-version', value: sourceVersion },
      ...runtime.files.map((file) => ({ name: 'edgepix:linked-file', value: file })),
    ],
  };
}

// A binary package's version, its source package and that source's version (they differ for binNMUs), its arch.
function installedPackage(name) {
  const format = '${Version}\t${source:Package}\t${source:Version}\t${Architecture}';
  const line = execFileSync('dpkg-query', ['-W', '-f', format, name], { encoding: 'utf8' });
  return line.split('\t');
}

// A name-based UUID (the version 5 layout over sha256): the same BOM content always gets the same serial number.
function contentUuid(content) {
  const bytes = createHash('sha256').update(content).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function buildSbom({ manifest = readManifest(), licences = readLicences(), dpkgQuery = installedPackage } = {}) {
  const npmPackage = JSON.parse(readFileSync(`${root}wasm/package.json`, 'utf8'));
  // The npm package's own dependencies would be components too; it has none (tests/wasm/package.test.mjs).
  const dependencies = Object.keys({ ...npmPackage.dependencies, ...npmPackage.peerDependencies });
  if (dependencies.length) throw new Error(`wasm/package.json has dependencies (${dependencies}); list them here`);

  const components = [
    ...manifest.filter((entry) => !entry.optIn).map((entry) => sourceComponent(entry, licences)),
    ...TOOLCHAIN_RUNTIME.map((runtime) => runtimeComponent(runtime, licences, dpkgQuery)),
  ];
  const body = {
    metadata: {
      component: {
        type: 'library',
        'bom-ref': 'edgepix',
        name: npmPackage.name,
        version: npmPackage.version,
        description: 'wasm/edgepix.wasm (the wasm preset) and the npm package that ships it',
        licenses: [{ expression: npmPackage.license }],
        purl: `pkg:npm/${npmPackage.name}@${npmPackage.version}`,
      },
      tools: { components: [{ type: 'application', name: 'edgepix scripts/sbom.mjs' }] },
    },
    components,
    dependencies: [{ ref: 'edgepix', dependsOn: components.map((component) => component['bom-ref']) }],
  };
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${contentUuid(JSON.stringify(body))}`,
    version: 1,
    ...body,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--out');
  const json = `${JSON.stringify(buildSbom(), null, 2)}\n`;
  if (outIndex > 0) writeFileSync(process.argv[outIndex + 1], json);
  else process.stdout.write(json);
}
