// Starts the real Worker under `wrangler dev` (workerd, local R2 and Cache API) once per test file, with its own
// persisted state seeded beforehand. Outputs are checked with tests/support/decoders.mjs (Debian's decoders).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { putObjects, sampleObjects } from '../../scripts/seed.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER_BIN = path.join(projectRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const READY_LINE = /Ready on (http:\/\/127\.0\.0\.1:\d+)/;
const START_TIMEOUT_MS = 60_000;

/**
 * Seeds a fresh persist dir with the sample images plus `objects` (unless `seed` is false: seeding starts a workerd
 * of its own, seconds a file saves when it uploads through the Worker), starts `wrangler dev` on it and resolves to
 * { baseUrl, workDir, stateDir, stop, halt, restart }. `vars` are passed as --var. Everything wrangler writes stays
 * under workDir. `restart(vars)` starts a new `wrangler dev` with other vars on the same state (e.g. a rotated
 * secret) and updates `baseUrl`; `restart(vars, { kill: true })` crashes the old one first instead of ending it. `halt()` ends `wrangler dev` and keeps its state, for a test to read it
 * (seed.mjs's listObjectKeys on stateDir); `stop()` then removes it. `script` runs another entry module with
 * wrangler.toml's bindings (a test Worker that wraps the real one, e.g. with hooks).
 */
export async function startWorker({ objects = [], vars = {}, seed = true, script = null } = {}) {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'edgepix-worker-'));
  const dirs = Object.fromEntries(['state', 'config', 'cache', 'tmp'].map((name) => [name, path.join(workDir, name)]));
  Object.values(dirs).forEach((dir) => mkdirSync(dir));
  const env = {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_HIDE_BANNER: 'true', // the banner asks the npm registry for a newer wrangler on every start
    XDG_CONFIG_HOME: dirs.config,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
  };
  // Seeding runs in this process (getPlatformProxy), so it must see the same isolated directories.
  Object.assign(process.env, env);
  if (seed) await putObjects([...sampleObjects(), ...objects], { persistTo: dirs.state });

  const worker = { baseUrl: undefined, workDir, stateDir: dirs.state };
  let child;
  const launch = async (launchVars) => {
    const varArgs = Object.entries(launchVars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
    // Port 0 for the inspector too: wrangler's own pick (9229 if free) races when test files run in parallel.
    child = spawn(process.execPath, [
      WRANGLER_BIN, 'dev', ...(script ? [script] : []), '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0',
      // --test-scheduled: GET /__scheduled runs the cron handler (the upload sweep) on demand.
      '--persist-to', dirs.state, '--test-scheduled', ...varArgs,
    ], { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.baseUrl = await waitForReady(child);
  };
  worker.stop = async () => {
    await killGroup(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  worker.halt = () => killGroup(child);
  worker.restart = async (newVars, { kill = false } = {}) => {
    await killGroup(child, kill ? 'SIGKILL' : 'SIGTERM');
    await launch(newVars);
  };
  try {
    await launch(vars);
    return worker;
  } catch (err) {
    await worker.stop();
    throw err;
  }
}

function waitForReady(child) {
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why) => reject(new Error(`wrangler dev ${why}; its output:\n${output}`));
    const timer = setTimeout(() => fail(`printed no Ready line in ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onData = (chunk) => {
      if (process.env.EDGEPIX_TEST_WORKER_LOG) process.stderr.write(chunk); // debugging: the Worker's own log
      output += chunk;
      const ready = READY_LINE.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(`exited with ${code} before it was ready`);
    });
  });
}

/**
 * wrangler leaves workerd running if only its own pid is killed: signal the whole process group. SIGTERM lets
 * workerd wind down, so a request in flight sees its body fail and its code runs on; SIGKILL is a crash, where no
 * code runs after the signal.
 */
async function killGroup(child, first = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // the group is already gone
    }
  };
  signal(first);
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  child.stdout.destroy();
  child.stderr.destroy();
}

/** Fetches and reads the whole body, so every assertion sees status, headers and bytes together. */
export async function fetchBytes(baseUrl, urlPath, init = {}) {
  const response = await fetch(new URL(urlPath, baseUrl), { redirect: 'manual', ...init });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes };
}

export async function fetchJson(baseUrl, urlPath, init = {}) {
  const { status, headers, bytes } = await fetchBytes(baseUrl, urlPath, init);
  return { status, headers, body: JSON.parse(new TextDecoder().decode(bytes)) };
}

/** Dev-only secrets the tests start the Worker with (passed as --var, never read from .dev.vars). */
export const TEST_ADMIN_TOKEN = 'test-only-admin-token';

/** Calls the admin API with the test token; `body` is sent as JSON unless it is bytes. */
export async function adminCall(baseUrl, method, urlPath, body, { token = TEST_ADMIN_TOKEN, headers = {} } = {}) {
  const isBytes = body instanceof Uint8Array;
  const init = {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !isBytes ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
  };
  return fetchJson(baseUrl, urlPath, init);
}

/** A small JPEG drawn by ImageMagick (stripped, so the same call gives the same bytes): width×height, one colour. */
export function drawnJpeg(width, height, colour = 'steelblue') {
  return new Uint8Array(execFileSync('/usr/bin/convert', [
    '-size', `${width}x${height}`, `xc:${colour}`,
    '-fill', 'white', '-draw', `circle ${width / 2},${height / 2} ${width / 2},${height / 4}`,
    '-strip', '-quality', '85', 'JPEG:-',
  ]));
}
