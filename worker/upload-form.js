// Reading an upload's multipart/form-data body under a size limit that holds while the body streams: a client that
// sends a 2 GB body is answered 413 after MAX_UPLOAD_BYTES arrived, not after the isolate ran out of memory.
import { CodedError } from './coded-error.js';

// Room for the form's own bytes around the file: boundaries, part headers, and the small fields (metadata is at
// most 1 KiB). A file of exactly the limit is accepted.
const FORM_ALLOWANCE_BYTES = 64 * 1024;

const tooLarge = (maxBytes) => new CodedError('too_large', `uploads are limited to ${maxBytes} bytes`);

/**
 * Reads a multipart/form-data body. A Content-Length over the limit is refused before anything is read; otherwise
 * the count runs as the body arrives and the read stops (cancelling the rest) once it passes the limit.
 * Resolves { fields: { name: string }, file: { bytes, filename, contentType } | null }, the file being the part
 * named `fileField`.
 */
export async function readUploadForm(request, { maxBytes, fileField = 'file' }) {
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new CodedError('bad_request', `the body must be multipart/form-data with a "${fileField}" part`);
  }
  refuseDeclaredOversize(request, { maxBytes });
  if (request.body === null) throw new CodedError('bad_request', 'the body is empty');

  const counter = countingLimit(maxBytes + FORM_ALLOWANCE_BYTES);
  let form;
  try {
    form = await new Response(request.body.pipeThrough(counter.stream), { headers: { 'Content-Type': contentType } })
      .formData();
  } catch {
    if (counter.exceeded()) throw tooLarge(maxBytes);
    throw new CodedError('bad_request', 'the body is not valid multipart/form-data');
  }
  return partsOf(form, fileField, maxBytes);
}

/**
 * Throws 413 when the form's Content-Length is over the limit. A route calls it before any work of its own (a
 * direct upload, before it claims its URL): the sooner the answer, the less of an unwanted body the client has sent
 * when the connection closes under it.
 */
export function refuseDeclaredOversize(request, { maxBytes }) {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > maxBytes + FORM_ALLOWANCE_BYTES) throw tooLarge(maxBytes);
}

/** Reads a raw body (the image's bytes, as the admin alias takes them) under the same streaming limit. */
export async function readUploadBody(request, { maxBytes }) {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) throw new CodedError('bad_request', 'the body must be the image bytes');
  const counter = countingLimit(maxBytes);
  try {
    return new Uint8Array(await new Response(request.body.pipeThrough(counter.stream)).arrayBuffer());
  } catch (err) {
    if (counter.exceeded()) throw tooLarge(maxBytes);
    throw err;
  }
}

/** A pass-through stream that errors (so the source is cancelled) once more than `limit` bytes went through. */
function countingLimit(limit) {
  let received = 0;
  const stream = new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (received > limit) controller.error(new Error('over the upload limit'));
      else controller.enqueue(chunk);
    },
  });
  return { stream, exceeded: () => received > limit };
}

async function partsOf(form, fileField, maxBytes) {
  const fields = {};
  let file = null;
  for (const [name, value] of form.entries()) {
    if (name === fileField) {
      if (typeof value === 'string' || file !== null) {
        throw new CodedError('bad_request', `"${fileField}" must be one file part`);
      }
      if (value.size > maxBytes) throw tooLarge(maxBytes);
      file = { bytes: new Uint8Array(await value.arrayBuffer()), filename: value.name ?? '', contentType: value.type };
    } else if (typeof value === 'string') {
      if (Object.hasOwn(fields, name)) throw new CodedError('bad_request', `the field "${name}" is given twice`);
      fields[name] = value;
    } else {
      throw new CodedError('bad_request', `only "${fileField}" may be a file; "${name}" is one too`);
    }
  }
  return { fields, file };
}
