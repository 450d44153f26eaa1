// The npm package's browser entry (wasm/browser.js) in a real browser: Debian's Chromium, headless, driven by
// playwright-core. It loads the module the way a site would (compileStreaming over HTTP, so the server must
// answer application/wasm), transforms a JPEG, and lets Chromium's own decoder check the WebP it produced.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { fixture, root } from '../support/golden.mjs';

const CHROMIUM = '/usr/lib/chromium/chromium'; // the binary: /usr/bin/chromium is a wrapper script adding flags
const TIMEOUT_MS = 10_000;

// Only these URLs exist: the package folder, the test page and the two fixtures it reads.
const PAGE = `<!doctype html><meta charset="utf-8"><title>edgepix browser test</title>
<link rel="icon" href="data:,"><!-- else Chromium asks for /favicon.ico -->
<script type="module">
  import { transform, probe, EdgepixError } from './wasm/browser.js';
  window.edgepix = { transform, probe, EdgepixError };
</script>`;
const FIXTURES = ['photo-1200.jpg', 'truncated-photo-1200.jpg', 'alpha.png', 'avif-alpha.avif', 'avif-alpha.ref.png'];
// compileStreaming refuses a module served with any type but application/wasm.
const CONTENT_TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript' };

function startServer() {
  const files = new Map([['/', { type: 'text/html; charset=utf-8', body: PAGE }]]);
  for (const name of FIXTURES) files.set(`/fixtures/${name}`, { type: 'image/jpeg', body: fixture(name) });
  const strays = []; // requests for anywhere but this server: Chromium is told to proxy them here
  const server = createServer((request, response) => {
    if (!request.url.startsWith('/')) {
      strays.push(request.url);
      return response.writeHead(502).end();
    }
    const file = files.get(request.url) ?? packageFile(request.url);
    if (!file) return response.writeHead(404).end();
    response.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  server.on('connect', (request, socket) => {
    strays.push(`CONNECT ${request.url}`);
    socket.destroy();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, strays })));
}

// Read on each request so the test always serves the working tree's wasm/ folder, never a stale copy.
function packageFile(url) {
  const match = /^\/wasm\/([\w-]+(\.[a-z]+)+)$/.exec(url);
  const type = match && CONTENT_TYPES[match[2]];
  if (!type) return undefined;
  try {
    return { type, body: readFileSync(path.join(root, 'wasm', match[1])) };
  } catch {
    return undefined;
  }
}

async function launchChromium(workDir, proxyPort) {
  const dirs = Object.fromEntries(['profile', 'config', 'cache', 'tmp', 'home'].map((name) => {
    const dir = path.join(workDir, name);
    mkdirSync(dir);
    return [name, dir];
  }));
  return chromium.launchPersistentContext(dirs.profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: TIMEOUT_MS,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Even with the flags above Chromium calls Google (component updater, accounts): send everything not on
      // loopback to our server, which refuses and records it, and resolve no names, so nothing leaves.
      `--proxy-server=http://127.0.0.1:${proxyPort}`,
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
    // Chromium writes under these (and ~/.pki): keep all of it in the temp dir that `after` removes.
    env: { ...process.env, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, TMPDIR: dirs.tmp,
      HOME: dirs.home },
  });
}

describe('the browser entry in headless Chromium', () => {
  let workDir;
  let server;
  let strays;
  let context;
  let page;
  let origin;
  const pageErrors = [];
  const pageRequests = [];

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'edgepix-browser-'));
    ({ server, strays } = await startServer());
    origin = `http://127.0.0.1:${server.address().port}`;
    context = await launchChromium(workDir, server.address().port);
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    page.on('request', (request) => pageRequests.push(request.url()));
    page.on('response', (response) => response.status() >= 400 &&
      pageErrors.push(`${response.status()} for ${response.url()}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.edgepix).catch((error) => {
      throw new Error(`the page never loaded wasm/browser.js: ${pageErrors.join('; ') || error.message}`);
    });
  });

  after(async () => {
    // close() ends the browser process; playwright-core also kills it if this process exits first.
    await context?.close().catch(() => {});
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('transforms a JPEG to a 300×225 WebP that Chromium itself decodes to 300×225', async () => {
    const result = await page.evaluate(async () => {
      const input = new Uint8Array(await (await fetch('/fixtures/photo-1200.jpg')).arrayBuffer());
      const output = await window.edgepix.transform(input, 'width=300,format=webp');
      // An independent decoder: Chromium's WebP decoder, not libwebp inside our module.
      const bitmap = await createImageBitmap(new Blob([output.bytes], { type: output.contentType }));
      return { width: output.width, height: output.height, contentType: output.contentType,
        head: [...output.bytes.subarray(0, 12)], length: output.bytes.length,
        decoded: [bitmap.width, bitmap.height] };
    });
    assert.deepEqual([result.width, result.height, result.contentType], [300, 225, 'image/webp']);
    const head = Buffer.from(result.head);
    assert.match(head.toString('latin1'), /^RIFF[\s\S]{4}WEBP$/);
    assert.equal(head.readUInt32LE(4), result.length - 8, 'RIFF size covers the whole file');
    assert.deepEqual(result.decoded, [300, 225]);
  });

  test('AVIF out (opaque and with alpha) decodes in Chromium as libavif\'s own files do', async () => {
    const result = await page.evaluate(async () => {
      const read = async (name) => new Uint8Array(await (await fetch(`/fixtures/${name}`)).arrayBuffer());
      const pixelsOf = async (bytes, type) => {
        const bitmap = await createImageBitmap(new Blob([bytes], { type }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        return { width: bitmap.width, height: bitmap.height,
          data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
      };
      // How this Chromium reads alpha: a file libavif's avifenc wrote against avifdec's decode of it. (Some
      // builds expand alpha as if it were limited range, whatever the file says; ours must read the same way.)
      const reference = await pixelsOf(await read('avif-alpha.avif'), 'image/avif');
      const truth = await pixelsOf(await read('avif-alpha.ref.png'), 'image/png');
      const expand = (a) => Math.min(255, Math.max(0, Math.round((a - 16) * 255 / 219)));
      let asIs = 0;
      let expanded = 0;
      for (let i = 3; i < truth.data.length; i += 4) {
        asIs += Math.abs(reference.data[i] - truth.data[i]);
        expanded += Math.abs(reference.data[i] - expand(truth.data[i]));
      }
      const alphaOf = expanded < asIs ? expand : (a) => a;
      const answers = [];
      for (const name of ['photo-1200.jpg', 'alpha.png']) {
        const input = await read(name);
        const avif = await window.edgepix.transform(input, 'width=300,format=avif');
        const png = await window.edgepix.transform(input, 'width=300,format=png');
        // Chromium's own AVIF decoder against our PNG of the same resize.
        const a = await pixelsOf(avif.bytes, avif.contentType);
        const b = await pixelsOf(png.bytes, png.contentType);
        let difference = 0;
        let alphaDifference = 0;
        for (let i = 0; i < a.data.length; i += 4) {
          for (let c = 0; c < 3; c++) difference += Math.abs(a.data[i + c] - b.data[i + c]) * b.data[i + 3] / 255;
          alphaDifference += Math.abs(a.data[i + 3] - alphaOf(b.data[i + 3]));
        }
        const pixels = a.data.length / 4;
        answers.push({ name, contentType: avif.contentType, size: [avif.width, avif.height],
          decoded: [a.width, a.height], meanDifference: difference / (pixels * 3),
          meanAlphaDifference: alphaDifference / pixels });
      }
      return answers;
    });
    for (const answer of result) {
      assert.equal(answer.contentType, 'image/avif', answer.name);
      assert.deepEqual(answer.decoded, answer.size, answer.name);
      assert.ok(answer.meanDifference < 3, `${answer.name}: mean difference ${answer.meanDifference}`);
      assert.ok(answer.meanAlphaDifference < 1, `${answer.name}: mean alpha difference ${answer.meanAlphaDifference}`);
    }
  });

  test('a truncated JPEG rejects with EdgepixError 422, and the next call still works', async () => {
    const result = await page.evaluate(async () => {
      const read = async (name) => new Uint8Array(await (await fetch(`/fixtures/${name}`)).arrayBuffer());
      const { transform, probe, EdgepixError } = window.edgepix;
      let failure;
      try {
        await transform(await read('truncated-photo-1200.jpg'), 'width=300,format=webp');
      } catch (error) {
        failure = { isEdgepixError: error instanceof EdgepixError, name: error.name, code: error.code,
          status: error.status };
      }
      const photo = await read('photo-1200.jpg');
      const probed = await probe(photo);
      const output = await transform(photo, 'width=300,format=webp');
      return { failure, probed: [probed.format, probed.width, probed.height], after: [output.width, output.height] };
    });
    assert.deepEqual(result.failure,
      { isEdgepixError: true, name: 'EdgepixError', code: 'corrupt_image', status: 422 });
    assert.deepEqual(result.probed, ['jpeg', 1200, 900]);
    assert.deepEqual(result.after, [300, 225]);
  });

  test('the page logged no errors and asked for nothing beyond this server', (t) => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(pageRequests.filter((url) => !url.startsWith(`${origin}/`)), []);
    assert.ok(pageRequests.includes(`${origin}/wasm/edgepix.wasm`), 'the module came from the package folder');
    // The browser's own background calls are Chromium's business, not the package's: refused, only reported.
    for (const stray of strays) t.diagnostic(`refused Chromium background request: ${stray}`);
  });
});
