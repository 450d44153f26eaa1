// POST v2/direct_upload (multipart: id, metadata, requireSignedURLs, expiry): a draft and a one-time upload URL,
// made by uploads.js's createDirectUpload; the fields are read and checked as v1 upload's are (upload-fields.js).
// Routed by images-api.js, behind its auth and in its envelope.
import { envelope } from './api-envelope.js';
import { CodedError } from './coded-error.js';
import { readUploadForm } from './ingest.js';
import { uploadSettings } from './upload-fields.js';
import { createDirectUpload } from './uploads.js';

// The form holds a few short fields and no file.
const MAX_FORM_BYTES = 64 * 1024;

export async function directUpload(request, env, ctx) {
  const { fields, file } = await readUploadForm(request, { maxBytes: MAX_FORM_BYTES });
  if (file !== null) throw new CodedError('bad_request', 'a direct upload takes no file: post it to the uploadURL');
  const { id, meta, requireSignedURLs } = uploadSettings(fields);
  const expiry = fields.expiry === '' ? undefined : fields.expiry;
  return envelope(await createDirectUpload(env, ctx, request, { id, metadata: meta, requireSignedURLs, expiry }));
}
