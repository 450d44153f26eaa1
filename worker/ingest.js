// Getting an image in: the gate (is it an image we can deliver?) and the two-phase store (bytes, then the record).
// Every upload route — the Images API's v1 upload, direct creator uploads, the admin alias — goes through here, so
// "nothing bad stored, nothing good lost" is decided in one place:
//   - the gate (sniff, probe, limits, features, verdict) runs before any write: what it refuses leaves no trace;
//   - the bytes go to a fresh R2 key per upload, so a replace never overwrites what the current record serves;
//   - the record (KV) is written last: an image exists, is listed and is served only once its bytes are durable;
//   - a failure in between removes the new bytes, and the sweep removes any the failure could not.
// Takes R2- and KV-like objects, not env: the import CLI stores through the same functions.
import { classify } from 'edgepix';
import { CodedError } from './coded-error.js';
import { envNumber } from './config.js';
import * as meta from './meta.js';
import { moderate } from './moderation.js';

export { readUploadBody, readUploadForm, refuseDeclaredOversize } from './upload-form.js';

// Cloudflare Images' own upload limit; MAX_UPLOAD_BYTES may lower or raise it (up to what the Worker can hold).
const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** MAX_UPLOAD_BYTES: the largest upload accepted, enforced while the body streams. */
export function maxUploadBytes(env) {
  return envNumber(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES) || DEFAULT_MAX_UPLOAD_BYTES;
}

/**
 * The gate, before anything is stored: sniff, probe and limits (what is not an image is unsupported_format 415, a
 * header bomb too_large 413), the features from one decode at a small scale (every byte of the bitstream is read:
 * truncated or broken data is corrupt_image 422), then the policy's verdict (moderation.js: a reject throws 422 or
 * 451). `moderation`: moderate's bindings ({ kv, ai, classifierModel, onClassified }) and `context` for the hook.
 * Resolves { format, width, height, contentType, features, moderation }.
 */
export async function gate(bytes, moderation, context = {}) {
  if (bytes.length === 0) throw new CodedError('bad_request', 'the file is empty');
  const features = await classify(bytes);
  const judged = await moderate(moderation, bytes, features, context);
  return { format: features.format, width: features.width, height: features.height,
    contentType: `image/${features.format}`, ...judged };
}

/**
 * Stores gated bytes and then the record `{ ...record, source, version }`; resolves that record once both are
 * durable. `previous` is the record replaced (or the draft completed), or null. R2 checks the bytes against their
 * sha256 as it stores them. On a failure the new bytes are removed and the error is rethrown (storage_failed for
 * the record's write): no record means nothing served and nothing listed. The replaced bytes are removed after the
 * commit; if that fails, the sweep removes them.
 * `faults` (tests only, see EDGEPIX_DEBUG_STORE_FAULT): 'record' fails the record's write; 'record-and-cleanup'
 * fails it and the clean-up too, as if the Worker died between the two writes.
 */
export async function storeImage({ r2, kv, faults = '' }, id, bytes, { record, previous = null, contentType }) {
  const key = `${meta.imageObjectKey(id)}/${crypto.randomUUID()}`;
  await r2.put(key, bytes, {
    sha256: await sha256Hex(bytes),
    httpMetadata: contentType ? { contentType } : undefined,
    customMetadata: { imageId: id },
  });
  const { draft, ...settled } = record; // a completed draft is an image like any other
  const image = { ...settled, source: { kind: 'r2', key }, version: (previous?.version ?? 0) + 1 };
  try {
    if (faults.startsWith('record')) throw new Error('EDGEPIX_DEBUG_STORE_FAULT: the record write failed');
    await meta.putImageWithTags(kv, id, image, previous?.tags ?? []);
  } catch (err) {
    if (await committed(kv, id, key)) return image; // the write landed after all (e.g. a timeout on the reply)
    if (faults !== 'record-and-cleanup') await r2.delete(key).catch(() => {});
    console.error(`edgepix: storing image ${id} failed after its bytes were written:`, err?.stack ?? err);
    throw new CodedError('storage_failed', 'the image could not be stored; nothing was kept, try again');
  }
  const replaced = previous?.source?.kind === 'r2' && meta.isImageObjectKey(previous.source.key) ? previous.source.key : null;
  if (replaced && replaced !== key) await r2.delete(replaced).catch(() => {});
  return image;
}

async function committed(kv, id, key) {
  try {
    return (await meta.getImage(kv, id))?.source?.key === key;
  } catch {
    return false;
  }
}

/**
 * Removes uploaded bytes that no record names: left by a failure between the two writes, or by a replace whose
 * clean-up failed. Only objects older than `minAgeMs` are considered, so an upload between its two writes is never
 * taken. Resolves { checked, deleted }.
 */
export async function sweepOrphans({ r2, kv }, { minAgeMs, now = Date.now() }) {
  const prefix = meta.imageObjectKey('');
  let checked = 0;
  const orphans = [];
  let cursor;
  do {
    const page = await r2.list({ prefix, cursor });
    for (const object of page.objects) {
      if (now - object.uploaded.getTime() < minAgeMs) continue;
      checked += 1;
      const id = object.key.slice(prefix.length).split('/')[0];
      if ((await meta.getImage(kv, id))?.source?.key !== object.key) orphans.push(object.key);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  for (let start = 0; start < orphans.length; start += R2_DELETE_BATCH) {
    await r2.delete(orphans.slice(start, start + R2_DELETE_BATCH));
  }
  return { checked, deleted: orphans.length };
}

// R2 deletes at most 1000 keys per call.
const R2_DELETE_BATCH = 1000;

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
