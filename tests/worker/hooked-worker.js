// The real Worker as a deployment with its own code would mount it (createWorker with an onClassified hook), plus the
// one stand-in the tests allow: Workers AI cannot run locally, so `AI` answers like its image classifier from what
// the core measures — a mostly red image is a "stop sign" (0.93), anything else a "seashore" (0.71).
import { classify } from 'edgepix';
import { createWorker } from '../../worker/index.js';

export { DirectUploadSlot, TransformMissLimiter } from '../../worker/index.js';

const standInAI = {
  calls: 0,
  async run(model, { image }) {
    if (typeof model !== 'string' || !Array.isArray(image)) throw new TypeError('expected run(model, { image: [bytes] })');
    const [r, g, b] = hexRgb((await classify(new Uint8Array(image))).dominantColors[0].hex);
    return r > 150 && g < 90 && b < 90
      ? [{ label: 'stop sign', score: 0.93 }, { label: 'seashore', score: 0.02 }]
      : [{ label: 'seashore', score: 0.71 }, { label: 'stop sign', score: 0.01 }];
  },
};

const hexRgb = (hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));

// The hook: an upload whose file name says "review-me" is flagged whatever the policy decided; one 7 px wide is
// rejected. Everything else keeps the policy's verdict (the hook returns nothing).
const worker = createWorker({
  onClassified(features, verdict, { id }) {
    if (features.width === 7) return { verdict: 'reject', rule: 'seven-pixels-wide' };
    if (id.includes('review-me')) return { verdict: 'flag', rule: 'hook-review' };
    return undefined;
  },
});

const withAI = (env) => (env.EDGEPIX_TEST_AI === 'true' ? Object.create(env, { AI: { value: standInAI } }) : env);

export default {
  fetch: (request, env, ctx) => worker.fetch(request, withAI(env), ctx),
  scheduled: (controller, env, ctx) => worker.scheduled(controller, withAI(env), ctx),
};
