// The verdict half of the upload gate: what the core measured (features) → labels from Workers AI, when the policy
// asks for them and the AI binding is configured → the policy's verdict (decided by the core) → the deployment's
// onClassified hook, which may change it. A reject throws, so nothing is stored; allow and flag become the record's
// `moderation`. Takes plain objects, not env: the import CLI moderates through the same function.
import { transform, verdict as policyVerdict } from 'edgepix';
import { CodedError } from './coded-error.js';
import { currentPolicy } from './policy-store.js';

// Workers AI's image classifier (ImageNet labels with scores); AI_CLASSIFIER_MODEL may name another of the same shape.
export const DEFAULT_CLASSIFIER_MODEL = '@cf/microsoft/resnet-50';
// The classifier sees a small JPEG, not the upload: it resizes to 224 px anyway, and AI inputs travel as JSON arrays.
const CLASSIFIER_INPUT = 'width=384,height=384,fit=scale-down,format=jpeg,quality=85';
const VERDICTS = new Set(['allow', 'flag', 'reject']);

/**
 * `features` (from the core's classify) of `bytes` judged by the current policy. `bindings`: { kv, ai,
 * classifierModel, onClassified }; `context` is passed to the hook ({ id, route }). Resolves { features, moderation }
 * for allow and flag; throws rejected_by_policy (422) or blocked (451), naming the rule, for reject.
 */
export async function moderate(bindings, bytes, features, context) {
  const { kv, ai = null, onClassified = null } = bindings;
  const { version, policy } = await currentPolicy(kv);
  const judged = { ...features, fileSize: bytes.length };
  let labelsFailed = false;
  if (policy.classifier.labels && ai) {
    try {
      judged.labels = await classifierLabels(ai, bindings.classifierModel || DEFAULT_CLASSIFIER_MODEL, bytes);
    } catch (err) {
      console.error('edgepix: the image classifier failed; the upload is flagged for review:', err?.stack ?? err);
      judged.labels = [];
      labelsFailed = true;
    }
  }
  let decided = await policyVerdict(policy, judged);
  if (labelsFailed && decided.verdict === 'allow') decided = { ...decided, verdict: 'flag', rule: 'classifier_failed' };
  if (onClassified) decided = checkHookVerdict(await onClassified(judged, decided, context), decided);
  if (decided.verdict === 'reject') throw rejection(decided);

  const moderation = {
    verdict: decided.verdict,
    state: decided.verdict === 'flag' ? 'pending' : 'allowed',
    rule: decided.rule ?? null,
    fired: decided.fired ?? [],
    policyVersion: version,
  };
  if (judged.labels) moderation.labels = judged.labels;
  return { features, moderation };
}

/** The classifier's [{ label, score }], best first, from a small JPEG of the image. */
async function classifierLabels(ai, model, bytes) {
  const small = await transform(bytes, CLASSIFIER_INPUT);
  const answer = await ai.run(model, { image: [...small.bytes] });
  if (!Array.isArray(answer)) throw new Error(`${model} answered no list of labels`);
  return answer
    .filter((entry) => typeof entry?.label === 'string' && Number.isFinite(entry?.score))
    .map(({ label, score }) => ({ label, score }))
    .sort((a, b) => b.score - a.score);
}

/** The hook may return nothing (the verdict stands) or a verdict; anything else is the deployment's bug. */
function checkHookVerdict(returned, decided) {
  if (returned === undefined || returned === null) return decided;
  if (!VERDICTS.has(returned?.verdict)) {
    throw new TypeError(`onClassified returned ${JSON.stringify(returned)}; expected a verdict (allow, flag, reject) or nothing`);
  }
  const changed = returned.verdict !== decided.verdict;
  return { ...decided, ...returned, rule: returned.rule ?? (changed ? 'onClassified' : decided.rule) };
}

function rejection(decided) {
  const blocked = decided.code === 'blocked' || decided.rule === 'blocklist';
  const error = blocked
    ? new CodedError('blocked', `the image matches a blocked image (perceptual-hash distance ${decided.blocklist?.distance})`)
    : new CodedError('rejected_by_policy', `the moderation policy rejects this image (rule ${JSON.stringify(decided.rule)})`);
  error.details = { rule: decided.rule ?? null };
  return error;
}

/**
 * The record's fields for a moderated upload: features and moderation; a flagged image is private until approved
 * (its requested requireSignedURLs is kept, to restore on approval).
 */
export function moderatedRecord(record, { features, moderation }) {
  if (moderation.state !== 'pending') return { ...record, features, moderation };
  return {
    ...record,
    requireSignedURLs: true,
    features,
    moderation: { ...moderation, requireSignedURLs: record.requireSignedURLs },
  };
}
