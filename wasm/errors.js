// Every failure from the core is an EdgepixError: a stable `code` and the HTTP `status` a server should answer.
export class EdgepixError extends Error {
  constructor(code, status, message) {
    super(message);
    this.name = 'EdgepixError';
    this.code = code;
    this.status = status;
  }
}
