// The glue over the C ABI in src/api.h, shared by the Workers, Node and browser entry points: copy bytes in,
// call, read the ep_output (four u32: data, size, meta, meta_size), copy bytes out, free.
// One instance per isolate, created on first use and reused; an instance that traps is dropped and rebuilt on
// the next call, so one bad input can never poison later ones; so is one whose memory grew past a threshold, so
// that one big image does not hold the isolate's memory for the rest of its life.
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

// Wasm memory never shrinks: an instance that grew past this many bytes is dropped once no call is using it, and
// the next call instantiates again from the compiled module, so the isolate returns to its baseline. 48 MB leaves a
// typical photo transform (a 12 MP JPEG to 1000 px needs 13 MB) on one instance for its whole life; only the big
// ones (progressive originals, up to the plan's 96 MB) cost a rebuild.
//
// A dropped instance's memory comes back only when the engine collects it, and V8 takes its time: under workerd,
// twelve recycles in a row held 12 × 54 MB before one collection took them (bench/worker-memory.mjs). So the
// dropped instance is kept by a weak reference; until it is collected, the next call takes it back instead of
// instantiating a second one beside it. Memory then never exceeds what one instance would hold, and returns to the
// baseline as soon as the engine collects.
export const DEFAULT_MEMORY_RECYCLE_BYTES = 48 * 1024 * 1024;

/**
 * @param {() => Promise<WebAssembly.Module>} loadModule
 * @param {{ memoryRecycleBytes?: number }} [settings] 0 or Infinity: never recycle on size.
 */
export function createCore(loadModule, settings = {}) {
  let modulePromise;
  let current; // the instance new calls run on: { ready, exports, leases }
  let recycleBytes = DEFAULT_MEMORY_RECYCLE_BYTES;
  let dropped; // a WeakRef to the exports of the instance last dropped for its size
  let recycles = 0;
  let reused = 0;
  let peakBytes = 0;
  const configure = ({ memoryRecycleBytes } = {}) => {
    if (memoryRecycleBytes === undefined) return;
    if (!(memoryRecycleBytes >= 0)) throw new TypeError('memoryRecycleBytes must be a non-negative number');
    recycleBytes = memoryRecycleBytes || Infinity;
  };
  configure(settings);

  // A failed load or instantiation is not remembered: the next call tries again from scratch.
  const newInstance = () => {
    const instance = { exports: undefined, leases: 0 };
    instance.ready = (modulePromise ??= loadModule()).then(instantiate).then((exports) => {
      instance.exports = exports;
      return exports;
    }, (error) => {
      if (current === instance) modulePromise = current = undefined;
      throw error;
    });
    return instance;
  };

  // A lease pins the instance a call runs on from its first await to its last read of linear memory: while any
  // is held (an input still streaming in, say), the instance is never dropped, so no view or pointer dangles.
  async function lease() {
    const instance = (current ??= takeBackDropped() ?? newInstance());
    instance.leases += 1;
    try {
      await instance.ready;
    } catch (error) {
      instance.leases -= 1;
      throw error;
    }
    return instance;
  }

  function takeBackDropped() {
    const exports = dropped?.deref();
    dropped = undefined;
    if (exports === undefined) return undefined;
    reused += 1;
    return { exports, leases: 0, ready: Promise.resolve(exports) };
  }

  function release(instance) {
    instance.leases -= 1;
    const bytes = instance.exports.memory.buffer.byteLength;
    peakBytes = Math.max(peakBytes, bytes);
    if (instance.leases === 0 && instance === current && bytes > recycleBytes) {
      current = undefined;
      recycles += 1;
      if (typeof WeakRef === 'function') dropped = new WeakRef(instance.exports);
    }
  }

  // Calls export `name` with `args`: an input (a Uint8Array, or { body: ReadableStream, size } streamed straight
  // into linear memory; either passed as pointer, length), an array of inputs (then an array of {pointer, size}:
  // pointer, count) or a number. Reads and frees the answer. `instance`, when given, is the exports the call must
  // run on (a decision's): if the instance was rebuilt since, `onStale` answers. `toBody`, when given, receives the
  // output bytes as a view into linear memory instead of a copy (see run()); the answer's `bytes` is what it returns.
  async function call(name, args, { instance: expected, onStale, toBody } = {}) {
    let instance;
    try {
      instance = await lease();
    } catch (error) {
      throw new EdgepixError('internal', 500, `the image core failed to load: ${error.message}`);
    }
    const { exports } = instance;
    if (expected && expected !== exports) {
      release(instance);
      return onStale();
    }
    const pointers = [];
    const allocate = (size) => {
      const pointer = exports.ep_alloc(size);
      if (!pointer) throw new EdgepixError('out_of_memory', 413, 'out of memory copying the input');
      pointers.push(pointer);
      return pointer;
    };
    const place = async (input) => {
      if (input instanceof Uint8Array) {
        const pointer = allocate(input.length);
        new Uint8Array(exports.memory.buffer, pointer, input.length).set(input);
        return [pointer, input.length];
      }
      const pointer = allocate(input.size);
      await streamInto(exports.memory, pointer, input);
      return [pointer, input.size];
    };
    try {
      const flat = [];
      for (const arg of args) {
        if (typeof arg === 'number') flat.push(arg);
        else if (!Array.isArray(arg)) flat.push(...await place(arg));
        else {
          const placed = [];
          for (const input of arg) placed.push(...await place(input));
          flat.push(...await place(new Uint8Array(new Uint32Array(placed).buffer)), arg.length);
        }
      }
      // A call that trapped meanwhile (while this one's input streamed in) may have left the memory inconsistent.
      if (instance.trapped) throw new EdgepixError('internal', 500, 'the image core failed during the call');
      const output = exports[name](...flat);
      if (!output) throw new EdgepixError('out_of_memory', 413, 'out of memory preparing the answer');
      const [data, size, meta, metaSize] = new Uint32Array(exports.memory.buffer, output, 4);
      const answer = JSON.parse(decoder.decode(new Uint8Array(exports.memory.buffer, meta, metaSize)));
      // Copied out (by toBody, or here): the instance may be dropped, or its memory grown (detaching every view),
      // once this call ends.
      const view = size ? new Uint8Array(exports.memory.buffer, data, size) : undefined;
      const bytes = view && (toBody ? toBody(view) : view.slice());
      exports.ep_output_free(output);
      if (answer.error) throw new EdgepixError(answer.error.code, answer.error.status, answer.error.message);
      return { answer, bytes, exports };
    } catch (error) {
      if (error instanceof EdgepixError) throw error;
      // A trap leaves the instance in an unknown state: new calls get a fresh one; calls already on it fail here.
      instance.trapped = true;
      if (current === instance) current = undefined;
      throw new EdgepixError('internal', 500, `the image core failed: ${error.message}`);
    } finally {
      if (!instance.trapped) for (const pointer of pointers) exports.ep_free(pointer);
      release(instance);
    }
  }

  const text = (value) => encoder.encode(value ?? '');
  const decision = (answer) => ({ cacheKey: answer.cacheKey, varyAccept: answer.varyAccept, vary: answer.vary,
    acceptCH: answer.acceptCH, onError: answer.onError ?? null });
  const output = ({ answer, bytes }) => ({ bytes, contentType: answer.contentType, format: answer.format,
    width: answer.width, height: answer.height, frames: answer.frames ?? 1, ...decision(answer) });
  const withBody = (result, toBody) => (toBody ? { ...result, bytes: undefined, body: result.bytes } : result);

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
      // `toBody(view)`, when given, is called once, synchronously, with the output as a view into the module's memory
      // that is valid only during that call; the result's `body` is what it returns. `(view) => new Response(view)`
      // copies it once, straight out of wasm memory (the Fetch spec's rule for a BufferSource body), so the JS heap
      // never holds the output; `bytes` is then undefined.
      async run(input, { toBody } = {}) {
        const taken = take();
        if (taken === undefined) throw new TypeError('this decision was already run or released');
        // Rebuilt since the decision (a trap or a recycle in between): the handle died with the old instance; decide again.
        const again = () => call('ep_transform', [request, headers, inputList(input)], { toBody });
        const answer = await call('ep_run', [taken, inputList(input)],
          { instance: exports, toBody, onStale: again });
        return withBody(output(answer), toBody);
      },
      release() {
        const taken = take();
        // On a dropped instance the handle died with it: nothing to free.
        if (taken !== undefined && current?.exports === exports) exports.ep_release(taken);
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
    /** One call: decide and run. `input` is the base image, or [base, ...overlay sources]; init.toBody as run's. */
    async transform(input, options, init = {}) {
      const answer = await call('ep_transform', [requestText(options, init), headerBlock(init), inputList(input)],
        { toBody: init.toBody });
      return withBody(output(answer), init.toBody);
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
    // Size of the current instance's linear memory (instantiating it if there is none): it only grows, so this is
    // the high-water mark of the calls since the instance was last recycled. memoryStats() has the whole story.
    async memoryBytes() {
      const instance = await lease();
      const bytes = instance.exports.memory.buffer.byteLength;
      release(instance);
      return bytes;
    },
    /**
     * { bytes: the current instance's linear memory (0 when none is in use), peakBytes: the most any instance of
     * this core reached, recycles: instances dropped for passing recycleBytes, reused: dropped ones taken back
     * because the engine had not collected them yet, recycleBytes }.
     */
    memoryStats() {
      const bytes = current?.exports?.memory.buffer.byteLength ?? 0;
      return { bytes, peakBytes, recycles, reused, recycleBytes };
    },
    /** { memoryRecycleBytes }: the size past which an idle instance is dropped (0: never). */
    configure,
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

// An input is bytes or { body: ReadableStream, size }: a stream of known size goes straight into linear memory.
const isStreamed = (input) => typeof input?.body?.getReader === 'function' && Number.isSafeInteger(input.size);
const inputList = (input) =>
  (Array.isArray(input) ? input : [input]).map((item) => (isStreamed(item) ? item : toBytes(item)));

// Fills the `size` bytes at `pointer` from `body` chunk by chunk, so the input is never whole in the JS heap. A view
// per chunk: a call that runs while this one waits may grow the memory, which detaches the old buffer.
async function streamInto(memory, pointer, { body, size }) {
  const reader = body.getReader();
  let filled = 0;
  try {
    for (;;) {
      let next;
      try {
        next = await reader.read();
      } catch (error) {
        throw new EdgepixError('internal', 500, `reading the input failed: ${error?.message ?? error}`);
      }
      if (next.done) break;
      const chunk = toBytes(next.value);
      if (filled + chunk.length > size) {
        throw new EdgepixError('corrupt_image', 422, `the input is longer than its ${size} bytes`);
      }
      new Uint8Array(memory.buffer, pointer + filled, chunk.length).set(chunk);
      filled += chunk.length;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  if (filled < size) {
    throw new EdgepixError('corrupt_image', 422, `the input ended after ${filled} of its ${size} bytes`);
  }
}

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
