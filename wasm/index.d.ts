// Types of the edgepix package: the same API from the Workers, Node and browser entry points.

/** Cloudflare's option syntax, e.g. "width=400,height=300,fit=cover,format=auto,quality=80". */
export type Options = string;

export interface TransformResult {
  bytes: Uint8Array;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  format: 'jpeg' | 'png' | 'webp';
  width: number;
  height: number;
  /** True when the Accept header took part in choosing the format: send `Vary: Accept`. */
  varyAccept: boolean;
  /** The normalised decision (canonical options + negotiated format): key caches on this. */
  cacheKey: string;
}

export interface PlanResult {
  cacheKey: string;
  varyAccept: boolean;
}

export interface ProbeResult {
  format: 'jpeg' | 'png' | 'webp' | 'gif';
  /** Upright size (after EXIF orientation). */
  width: number;
  height: number;
  orientation: number;
  hasAlpha: boolean;
  animated: boolean;
}

export class EdgepixError extends Error {
  /** Stable code: bad_option, too_large, unsupported_format, corrupt_image, out_of_memory, internal. */
  code: string;
  /** The HTTP status to answer with: 400, 413, 415, 422 or 500. */
  status: number;
}

export function transform(input: Uint8Array | ArrayBuffer | ArrayBufferView, options: Options,
  init?: { accept?: string }): Promise<TransformResult>;
export function plan(options: Options, init?: { accept?: string }): Promise<PlanResult>;
export function probe(input: Uint8Array | ArrayBuffer | ArrayBufferView): Promise<ProbeResult>;
/** The wasm instance's linear memory size in bytes: the high-water mark of every call so far. */
export function memoryBytes(): Promise<number>;
