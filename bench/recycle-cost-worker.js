// The workerd half of bench/recycle-cost.mjs: POST /?work=instantiate|transform|recycled|none&n=… does the work n
// times (recycled: the transform on an instance recycled after every call).
// Timed by the caller, since workerd's clocks do not move while a request computes.
import module from '../wasm/edgepix.wasm';
import { createCore } from '../wasm/core.js';

// wrangler.toml's Durable Object bindings need their classes exported, though nothing here uses them.
export { TransformMissLimiter } from '../worker/ratelimit.js';
export { DirectUploadSlot } from '../worker/upload-slot.js';

const warm = createCore(async () => module, { memoryRecycleBytes: 0 });
const recycled = createCore(async () => module, { memoryRecycleBytes: 1 });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const work = url.searchParams.get('work');
    const times = Number(url.searchParams.get('n') ?? 1);
    const input = new Uint8Array(await request.arrayBuffer());
    let answer = 0;
    for (let i = 0; i < times; i++) {
      // A fresh core instantiates the already compiled module on its first call, as a recycled one does.
      if (work === 'instantiate') answer += await createCore(async () => module).memoryBytes();
      else if (work === 'transform' || work === 'recycled') {
        const core = work === 'transform' ? warm : recycled;
        answer += (await core.transform(input, url.searchParams.get('options'))).bytes.length;
      }
    }
    return new Response(String(answer));
  },
};
