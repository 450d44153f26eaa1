// The glue over the C ABI in src/api.h, shared by the Workers, Node and browser entry points: copy bytes in,
// call, read the ep_output (four u32: data, size, meta, meta_size), copy bytes out, free.
// One instance per isolate, created on first use and reused; an instance that traps is dropped and rebuilt on
// the next call, so one bad input can never poison later ones.
import { EdgepixError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The few WASI calls wasi-libc's start-up and stdio reach. The core does no I/O: these answer "nothing here".
function wasiImports(memory) {
  const view = () => new DataView(memory().buffer);
  const zeroCounts = (countPtr, sizePtr) => {
    view().setUint32(countPtr, 0, true);
    view().setUint32(sizePtr, 0, true);
    return 0;
  };
  const EBADF = 8;
  const ESPIPE = 70;
  return {
    environ_sizes_get: zeroCounts,
    environ_get: () => 0,
    args_sizes_get: zeroCounts,
    args_get: () => 0,
    fd_prestat_get: () => EBADF,
    fd_prestat_dir_name: () => EBADF,
    fd_fdstat_get: () => EBADF,
    fd_close: () => 0,
    fd_seek: () => ESPIPE,
    fd_write: (fd, iovs, iovsLength, writtenPtr) => {
      let written = 0;
      for (let i = 0; i < iovsLength; i++) written += view().getUint32(iovs + i * 8 + 4, true);
      view().setUint32(writtenPtr, written, true);
      return 0;
    },
    clock_time_get: (id, precision, timePtr) => {
      view().setBigUint64(timePtr, BigInt(Math.round(performance.now() * 1e6)), true);
      return 0;
    },
    proc_exit: (code) => {
      throw new WebAssembly.RuntimeError(`the core exited with code ${code}`);
    },
  };
}

async function instantiate(module) {
  let exports;
  const memory = () => exports.memory;
  const imports = {
    wasi_snapshot_preview1: wasiImports(memory),
    env: { emscripten_notify_memory_growth: () => {} }, // Emscripten's STANDALONE_WASM build asks for this
  };
  const instance = await WebAssembly.instantiate(module, imports);
  exports = instance.exports;
  if (exports._initialize) exports._initialize(); // reactor start-up (static constructors)
  return exports;
}

/** @param {() => Promise<WebAssembly.Module>} loadModule */
export function createCore(loadModule) {
  let modulePromise;
  let exportsPromise;

  // A failed load or instantiation is not remembered: the next call tries again from scratch.
  const getExports = () => {
    exportsPromise ??= (modulePromise ??= loadModule()).then(instantiate).catch((error) => {
      modulePromise = exportsPromise = undefined;
      throw error;
    });
    return exportsPromise;
  };

  // Calls export `name` with `args`: Uint8Array (copied in: pointer, length), an array of them (copied in, then
  // an array of {pointer, size}: pointer, count) or a number. Reads and frees the answer. `instance`, when given,
  // is the exports the call must run on (a decision's): if the instance was rebuilt since, `onStale` answers.
  async function call(name, args, { instance, onStale } = {}) {
    let exports;
    const pointers = [];
    try {
      exports = await getExports();
      if (instance && instance !== exports) return onStale();
      const copy = (bytes) => {
        const pointer = exports.ep_alloc(bytes.length);
        if (!pointer) throw new EdgepixError('out_of_memory', 413, 'out of memory copying the input');
        pointers.push(pointer);
        new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
        return pointer;
      };
      const flat = args.flatMap((arg) => {
        if (typeof arg === 'number') return [arg];
        if (arg instanceof Uint8Array) return [copy(arg), arg.length];
        const list = new Uint32Array(arg.flatMap((bytes) => [copy(bytes), bytes.length]));
        return [copy(new Uint8Array(list.buffer)), arg.length];
      });
      const output = exports[name](...flat);
      if (!output) throw new EdgepixError('out_of_memory', 413, 'out of memory preparing the answer');
      const [data, size, meta, metaSize] = new Uint32Array(exports.memory.buffer, output, 4);
      const answer = JSON.parse(decoder.decode(new Uint8Array(exports.memory.buffer, meta, metaSize)));
      const bytes = size ? new Uint8Array(exports.memory.buffer, data, size).slice() : undefined;
      exports.ep_output_free(output);
      if (answer.error) throw new EdgepixError(answer.error.code, answer.error.status, answer.error.message);
      return { answer, bytes, exports };
    } catch (error) {
      if (error instanceof EdgepixError) throw error;
      // A trap leaves the instance in an unknown state: drop it; the next call gets a fresh one. (A load
      // failure lands here too, with nothing to drop.)
      exportsPromise = undefined;
      throw new EdgepixError('internal', 500, `the image core failed: ${error.message}`);
    } finally {
      if (exportsPromise && exports) for (const pointer of pointers) exports.ep_free(pointer);
    }
  }

  const text = (value) => encoder.encode(value ?? '');
  const decision = (answer) => ({ cacheKey: answer.cacheKey, varyAccept: answer.varyAccept, vary: answer.vary,
    acceptCH: answer.acceptCH, onError: answer.onError ?? null });
  const output = ({ answer, bytes }) => ({ bytes, contentType: answer.contentType, format: answer.format,
    width: answer.width, height: answer.height, frames: answer.frames ?? 1, ...decision(answer) });
  const oneShot = (request, headers, inputs) => call('ep_transform', [request, headers, inputs]).then(output);

  // A decided request: run it once on its inputs, or release it. Either frees the core's decision; both may be
  // called in any order and more than once (a finally can always release).
  function decided(answer, exports, request, headers) {
    let handle = answer.handle;
    const take = () => {
      const taken = handle;
      handle = undefined;
      return taken;
    };
    return {
      ...decision(answer),
      async run(input) {
        const taken = take();
        if (taken === undefined) throw new TypeError('this decision was already run or released');
        // Rebuilt since the decision (a trap in between): the handle died with the old instance; decide again.
        return output(await call('ep_run', [taken, inputList(input)], {
          instance: exports, onStale: () => call('ep_transform', [request, headers, inputList(input)]) }));
      },
      release() {
        const taken = take();
        if (taken !== undefined && exportsPromise) exportsPromise.then((current) => {
          if (current === exports) exports.ep_release(taken);
        }, () => {});
      },
    };
  }

  async function decide(options, init = {}) {
    const request = requestText(options, init);
    const headers = headerBlock(init);
    const { answer, exports } = await call('ep_decide', [request, headers]);
    return decided(answer, exports, request, headers);
  }

  return {
    /** One call: decide and run. `input` is the base image, or [base, ...overlay sources]. */
    async transform(input, options, init = {}) {
      return oneShot(requestText(options, init), headerBlock(init), inputList(input));
    },
    /** The decision without an image; run(inputs) or release() it. */
    decide,
    /** The decision's fields alone (validates options; nothing is kept). */
    async plan(options, init = {}) {
      const made = await decide(options, init);
      made.release();
      const { run, release, ...fields } = made;
      return fields;
    },
    /** Work done by this instance so far: { optionsParsed, negotiated, decoded }. */
    async counters() {
      return (await call('ep_counters', [])).answer;
    },
    async probe(input) {
      return (await call('ep_probe', [toBytes(input)])).answer;
    },
    async signUrl(url, key, { expiresAt } = {}) {
      const seconds = expiresAt instanceof Date ? Math.floor(expiresAt.getTime() / 1000) : expiresAt ?? -1;
      return (await call('ep_sign_url', [text(String(url)), text(key), seconds])).answer.url;
    },
    async verifyUrl(url, keys, now = Math.floor(Date.now() / 1000)) {
      if (keys.some((key) => key.includes('\n'))) throw new TypeError('signing keys cannot contain a newline');
      return (await call('ep_verify_url', [text(String(url)), text(keys.join('\n')), now])).answer;
    },
    async safeEqual(a, b) {
      return (await call('ep_safe_equal', [text(a), text(b)])).answer.equal;
    },
    /** What the image is (src/classify/features.h): header facts, colours, placeholders' hashes, pHash, ... */
    async classify(input) {
      return (await call('ep_classify', [toBytes(input)])).answer;
    },
    /** The ThumbHash (base64) decoded to a PNG of at most 32 px: { bytes, width, height }. */
    async placeholder(thumbhash) {
      if (typeof thumbhash !== 'string') throw new TypeError('the ThumbHash must be a base64 string');
      const { answer, bytes } = await call('ep_placeholder', [text(thumbhash)]);
      return { bytes, width: answer.width, height: answer.height };
    },
    // Size of the module's linear memory: it only grows, so this is the high-water mark of all calls so far.
    async memoryBytes() {
      return (await getExports()).memory.buffer.byteLength;
    },
    /** The moderation policy validated and normalised (defaults filled in); bad_policy names the place at fault. */
    async checkPolicy(policy) {
      return (await call('ep_policy', [policyText(policy)])).answer;
    },
    /** The policy's verdict on `features` (classify's, plus fileSize and optionally labels). */
    async verdict(policy, features) {
      return (await call('ep_verdict', [policyText(policy), text(JSON.stringify(features))])).answer;
    },
  };
}

// The request as the core reads it (src/plan/request.h): an option string, or the binding's shapes
// ({ transform, output, draw }), plus init.limits.
// A string is always sent as {"options": …}, so that text from a URL is never read as JSON.
function requestText(options, { limits } = {}) {
  if (typeof options === 'string') return encoder.encode(JSON.stringify({ options, limits }));
  if (options === null || typeof options !== 'object') throw new TypeError('options must be a string or an object');
  return encoder.encode(JSON.stringify(limits === undefined ? options : { ...options, limits }));
}

// A policy as JSON text: a string is sent as it is (the core reports where it fails to parse), anything else as
// JSON.stringify writes it.
const policyText = (policy) => encoder.encode(typeof policy === 'string' ? policy : JSON.stringify(policy) ?? '');

const inputList = (input) => (Array.isArray(input) ? input : [input]).map(toBytes);

// The request headers as the core reads them: "name: value" lines. `accept` (when given) overrides Accept.
function headerBlock({ accept, headers } = {}) {
  const lines = [];
  const entries = headers === undefined ? [] : Array.isArray(headers) ? headers
    : typeof headers.entries === 'function' ? headers.entries()
    : Object.entries(headers);
  for (const [name, value] of entries) {
    if (accept !== undefined && name.toLowerCase() === 'accept') continue;
    lines.push(`${name}: ${String(value).replace(/[\r\n]/g, ' ')}`);
  }
  if (accept !== undefined) lines.push(`accept: ${String(accept).replace(/[\r\n]/g, ' ')}`);
  return encoder.encode(lines.join('\n'));
}

function toBytes(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new TypeError('input must be a Uint8Array, ArrayBuffer or ArrayBufferView');
}
