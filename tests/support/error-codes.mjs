// Reads the one list of error codes (src/core/error_codes.def) and renders the JS tables written from it.
import { readFileSync } from 'node:fs';
import { root } from './golden.mjs';

/** [{ code, status, raisedBy }] in the list's order. */
export function errorList() {
  const text = readFileSync(`${root}src/core/error_codes.def`, 'utf8');
  return [...text.matchAll(/^EP_ERROR\((\w+), (\d{3}), (core|worker)\)/gm)]
    .map(([, code, status, raisedBy]) => ({ code, status: Number(status), raisedBy }));
}

function render(raisedBy, what) {
  const rows = errorList().filter((row) => row.raisedBy === raisedBy && row.code !== 'ok');
  return [
    '// Written by scripts/error-codes.mjs from src/core/error_codes.def, the one list of error codes: do not edit.',
    `// ${what}`,
    'export const STATUS_BY_CODE = Object.freeze({',
    ...rows.map(({ code, status }) => `  ${code}: ${status},`),
    '});',
    '',
  ].join('\n');
}

// The package's types for the same table: each code with its status as a literal type, and the codes' union.
function renderTypes() {
  const rows = errorList().filter((row) => row.raisedBy === 'core' && row.code !== 'ok');
  return [
    '// Written by scripts/error-codes.mjs from src/core/error_codes.def, the one list of error codes: do not edit.',
    '// The codes the core raises (EdgepixError.code), and the HTTP status each answers.',
    'export declare const STATUS_BY_CODE: {',
    ...rows.map(({ code, status }) => `  readonly ${code}: ${status};`),
    '};',
    'export type ErrorCode = keyof typeof STATUS_BY_CODE;',
    '',
  ].join('\n');
}

export function errorTables() {
  return [
    { path: `${root}wasm/error-codes.js`,
      text: render('core', 'The codes the core raises, and the HTTP status each answers.') },
    { path: `${root}wasm/error-codes.d.ts`, text: renderTypes() },
    { path: `${root}worker/error-codes.js`,
      text: render('worker', 'The codes the Worker raises itself, and the HTTP status each answers.') },
  ];
}
