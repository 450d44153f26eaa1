// What the storage pieces (config, meta, store, s3, origins) throw: a code from the one list of error codes
// (src/core/error_codes.def) and a message, nothing about HTTP, so the import CLI and the app can reuse them. The
// routes answer it through errors.js, which takes the status from the list.
export class CodedError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'CodedError';
    this.code = code;
  }
}
