// The isolate's 128 MB, shared by the wasm instance, the JS heap and the bodies of every request in flight. Two
// rules keep a burst of big misses from getting the isolate (and every request in it) killed by the platform:
//
// 1. The wasm instance is recycled past WASM_MEMORY_RECYCLE_BYTES (default 48 MB, the core's): wasm memory never
//    shrinks, so one big original would otherwise hold its high-water mark for the isolate's whole life.
// 2. Admission: a transform miss reserves its bytes before its original is read: the input (streamed into wasm
//    memory from the first chunk until the core returns) and the output (held until the response and the cache
//    write have it). While the reserved bytes would pass TRANSFORM_MEMORY_BUDGET_BYTES, a new miss waits, in a queue
//    of at most TRANSFORM_QUEUE_LENGTH for at most TRANSFORM_QUEUE_WAIT_MS, then gets 503 with Retry-After. Hits and
//    304s never come here: they hold no more than a cached body.
//
// The default budget, 24 MB: 128 MB less 96 MB that the wasm instance may reach inside one call (the plan's memory
// limit; the instance comes back to its baseline only after the call, by rule 1) less 8 MB of JS baseline (the
// bundle's heap and workerd's own per-isolate state). Counts are per isolate, since that is what the platform kills.
import { configure } from 'edgepix';
import { envNumber } from './config.js';
import { HttpError } from './errors.js';

const MB = 1024 * 1024;
const DEFAULT_BUDGET_BYTES = 24 * MB;
const DEFAULT_QUEUE_LENGTH = 8;
const DEFAULT_QUEUE_WAIT_MS = 2_000;
// A miss takes 0.1–1 s; by then the bytes ahead of a refused one are usually gone.
const RETRY_AFTER_SECONDS = 1;

/** Sets the wasm instance's recycle threshold from WASM_MEMORY_RECYCLE_BYTES (unset: the core's 48 MB). */
export function applyMemorySettings(env) {
  const memoryRecycleBytes = envNumber(env, 'WASM_MEMORY_RECYCLE_BYTES', undefined);
  if (memoryRecycleBytes !== undefined) configure({ memoryRecycleBytes });
}

let reservedBytes = 0;
const waiting = []; // { bytes, admit, refuse }, first come first served

/**
 * Reserves `bytes` for one miss; resolves to its ticket once they fit (`shrinkTo(bytes)` when part is given back
 * early, `release()` when done; both idempotent), or throws 503 overloaded. A miss alone in the isolate is always
 * admitted, however big: the budget limits concurrency, not size (MAX_ORIGINAL_BYTES does that).
 */
export async function admitMiss(env, bytes) {
  const budget = envNumber(env, 'TRANSFORM_MEMORY_BUDGET_BYTES', DEFAULT_BUDGET_BYTES) || DEFAULT_BUDGET_BYTES;
  if (!Number.isFinite(bytes)) bytes = budget; // an original of unknown size: as if it took the whole budget
  if (waiting.length === 0 && fits(bytes, budget)) return ticket(bytes);
  const queueLength = envNumber(env, 'TRANSFORM_QUEUE_LENGTH', DEFAULT_QUEUE_LENGTH);
  if (waiting.length >= queueLength) throw overloaded(`${waiting.length} transforms are already waiting`);
  const waitMs = envNumber(env, 'TRANSFORM_QUEUE_WAIT_MS', DEFAULT_QUEUE_WAIT_MS);
  return new Promise((admit, refuse) => {
    const entry = { bytes, budget, admit, refuse };
    entry.timer = setTimeout(() => {
      waiting.splice(waiting.indexOf(entry), 1);
      refuse(overloaded(`no room within ${waitMs} ms`));
      admitWaiting(); // the head may have been the one too big to fit
    }, waitMs);
    waiting.push(entry);
  });
}

const fits = (bytes, budget) => reservedBytes === 0 || reservedBytes + bytes <= budget;

function ticket(bytes) {
  reservedBytes += bytes;
  let held = bytes;
  const shrinkTo = (smaller) => {
    if (smaller >= held) return;
    reservedBytes -= held - smaller;
    held = smaller;
    admitWaiting();
  };
  return { shrinkTo, release: () => shrinkTo(0) };
}

// In order: a big miss at the head is not overtaken by small ones forever.
function admitWaiting() {
  while (waiting.length > 0 && fits(waiting[0].bytes, waiting[0].budget)) {
    const entry = waiting.shift();
    clearTimeout(entry.timer);
    entry.admit(ticket(entry.bytes));
  }
}

function overloaded(why) {
  return new HttpError('overloaded', `this isolate has too many transforms in memory (${why}); retry shortly`,
    { 'Retry-After': String(RETRY_AFTER_SECONDS) });
}
