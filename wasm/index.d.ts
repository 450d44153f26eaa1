// Types of the edgepix package: the same API from the Workers, Node and browser entry points.
import type { ErrorCode } from './error-codes.js';

/** Every code an EdgepixError can carry (a union written from the core's list), and the status each answers. */
export type { ErrorCode } from './error-codes.js';
export { STATUS_BY_CODE } from './error-codes.js';

/**
 * Cloudflare's option syntax, e.g. "width=400,height=300,fit=cover,format=auto,quality=80", or the Images
 * binding's shapes: `{ transform: {...}, output: { format: 'image/webp', quality: 80 }, draw: [...] }`.
 */
export type Options = string | BindingOptions | UrlOptions;

/** The URL option string as an object, with the request's own switches. */
export interface UrlOptions {
  options: string;
  /** With metadata=keep, deliver EXIF/XMP GPS too (the moderation policy allows it); otherwise GPS is stripped. */
  keepGps?: boolean;
}

export interface BindingOptions {
  /** As the binding's transform({...}): width, height, fit, gravity, trim, rotate, flip, blur, sharpen, border, ... */
  transform?: Record<string, unknown>;
  /** As the binding's output({...}): format (a media type such as 'image/avif', or 'auto'), quality, background, anim. */
  output?: Record<string, unknown>;
  /** Overlays, drawn in order: `input` indexes the inputs array (1 = the first overlay source). */
  draw?: DrawEntry[];
  /** With metadata=keep, deliver EXIF/XMP GPS too (the moderation policy allows it); otherwise GPS is stripped. */
  keepGps?: boolean;
}

export interface DrawEntry {
  input?: number;
  top?: number;
  left?: number;
  bottom?: number;
  right?: number;
  opacity?: number;
  repeat?: boolean | 'x' | 'y';
  composite?: 'over' | 'in' | 'atop' | 'out' | 'xor' | 'lighter';
  /** The overlay's own transform, as transform({...}). */
  transform?: Record<string, unknown>;
}

/** The core's limits, which a host may lower (never raise) per request. */
export interface Limits {
  maxWorkingBytes?: number;
  maxSourcePixels?: number;
  maxOutputSide?: number;
  maxFrames?: number;
  maxAnimationPixels?: number;
  /** The work budget; 0: the default. */
  budget?: number;
}

/** Image bytes; an array gives the base image first, then the overlays' sources. */
export type Input = Uint8Array | ArrayBuffer | ArrayBufferView;
/** Bytes of a known size read straight into the module's memory, chunk by chunk (e.g. an R2 object's body). */
export interface StreamedInput {
  body: ReadableStream<Uint8Array>;
  size: number;
}
export type Inputs = Input | StreamedInput | (Input | StreamedInput)[];

export interface TransformResult {
  bytes: Uint8Array;
  /** `format=json` answers application/json: the output's size, the source's and its `features` (see Features). */
  contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/avif' | 'application/json';
  format: 'jpeg' | 'png' | 'webp' | 'avif' | 'json';
  width: number;
  height: number;
  /** Frames written: more than 1 for an animated WebP made from an animated GIF or WebP (unless anim=false). */
  frames: number;
  /** True when the Accept header took part in choosing the format. */
  varyAccept: boolean;
  /** Request header names that changed the answer: send `Vary: <vary.join(', ')>` when not empty. */
  vary: string[];
  /** The client hints the core can use (a value for an `Accept-CH` response header). */
  acceptCH: string;
  /** 'redirect' when the options say onerror=redirect: answer a failed transform with the original. */
  onError: 'redirect' | null;
  /** The normalised decision (core version, canonical options, negotiated format, width bucket): key caches on it. */
  cacheKey: string;
}

export type PlanResult = Pick<TransformResult, 'cacheKey' | 'varyAccept' | 'vary' | 'acceptCH' | 'onError'>;

/**
 * A request decided once (options parsed, Accept and client hints negotiated) before any image is read. Run it
 * once, or release it: it holds memory in the core until one of them is called (both are safe to repeat; run
 * after release throws TypeError).
 */
export interface Decision extends PlanResult {
  run(inputs: Inputs): Promise<TransformResult>;
  /**
   * `toBody` gets the output as a view into the module's memory, valid only during that synchronous call (e.g.
   * `(view) => new Response(view)`, which copies it); the result's `body` is its return value, `bytes` undefined.
   */
  run<Body>(inputs: Inputs, init: { toBody: (view: Uint8Array) => Body }): Promise<TransformResult & { body: Body }>;
  release(): void;
}

/** The request's headers (Accept and client hints are read by the core); `accept` overrides Accept. */
export interface RequestInit {
  accept?: string;
  headers?: Headers | Record<string, string> | Iterable<[string, string]>;
  limits?: Limits;
}

export interface ProbeResult {
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic';
  /** Upright size (after EXIF orientation). */
  width: number;
  height: number;
  orientation: number;
  hasAlpha: boolean;
  animated: boolean;
  frames: number;
}

/** What an image is: `classify(bytes)`, and the `features` of a `format=json` answer. */
export interface Features {
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic';
  /** Upright size (after EXIF or irot orientation). */
  width: number;
  height: number;
  animated: boolean;
  /** Frames in the file (1 for a still image); the other features are the first frame's. */
  frames: number;
  alpha: boolean;
  /** Up to 5, largest share first; shares (of the alpha-weighted pixels) sum to at most 1. */
  dominantColors: { hex: string; share: number }[];
  /** Standard base64 with padding: decodable by the `thumbhash` package (thumbHashToRGBA); see placeholder(). */
  thumbhash: string;
  /** 4x3 components (3x4 for portrait): decodable by the `blurhash` package. */
  blurhash: string;
  /** 64-bit DCT perceptual hash, 16 lowercase hex digits: compare by Hamming distance. */
  phash: string;
  /** Variance of the Laplacian of luma (0..255 scale): higher is sharper. */
  sharpness: number;
  /** Mean luma (0..1), and the shares of pixels at most 5/255 (shadows) and at least 250/255 (highlights). */
  exposure: { mean: number; shadows: number; highlights: number };
  /** 0 a flat graphic … 1 a photograph. */
  photo: number;
  exif: {
    /** The EXIF carries a GPS IFD with position data. */
    gps: boolean;
    cameraModel: string | null;
    /** DateTimeOriginal (else DateTime) as "2024-05-01T10:00:00" (no zone: EXIF has none). */
    captureDate: string | null;
  };
}

export interface Placeholder {
  /** A PNG of at most 32 px on the long side, in the hash's aspect: scale it up (blurred) in CSS. */
  bytes: Uint8Array;
  width: number;
  height: number;
}

export class EdgepixError extends Error {
  /** Stable code from the core's list; `STATUS_BY_CODE[code]` is its status. */
  code: ErrorCode;
  /** The HTTP status to answer with (400, 403, 413, 415, 422 or 500). */
  status: number;
}

export function transform(input: Inputs, options: Options, init?: RequestInit): Promise<TransformResult>;
export function transform<Body>(input: Inputs, options: Options,
  init: RequestInit & { toBody: (view: Uint8Array) => Body }): Promise<TransformResult & { body: Body }>;
export function decide(options: Options, init?: RequestInit): Promise<Decision>;
/** decide() and release: the decision's fields (and the option errors) without keeping anything. */
export function plan(options: Options, init?: RequestInit): Promise<PlanResult>;
/** Work this instance has done: requests parsed, negotiations, inputs decoded (for tests that count core calls). */
export function counters(): Promise<{ optionsParsed: number; negotiated: number; decoded: number }>;
/**
 * Signs a URL as Cloudflare Images does: appends `exp` (when given) and `sig`, the hex HMAC-SHA256 under `key`
 * of the path plus the query without `sig`. `url` may be absolute or a path with a query.
 */
export function signUrl(url: string | URL, key: string, init?: { expiresAt?: number | Date }): Promise<string>;
/**
 * Checks a signed URL against the accepted keys (any of them: rotation) at `now` (unix seconds, default: now).
 * Throws EdgepixError: signature_missing, signature_invalid, signature_expired (403) or bad_signature (400).
 */
export function verifyUrl(url: string | URL, keys: string[], now?: number): Promise<{ keyIndex: number }>;
/** Constant-time equality of two secrets, e.g. a bearer token. */
export function safeEqual(a: string, b: string): Promise<boolean>;
export function probe(input: Uint8Array | ArrayBuffer | ArrayBufferView): Promise<ProbeResult>;
/**
 * What the image is, from one decode at a reduced scale (never the full image). Rejects as a transform would:
 * unsupported_format (415), too_large (413), corrupt_image (422: truncated or broken data).
 */
export function classify(input: Input): Promise<Features>;
/** A ThumbHash from classify() decoded to a tiny PNG; rejects with bad_option (400) when it is not one. */
export function placeholder(thumbhash: string): Promise<Placeholder>;
/**
 * The current wasm instance's linear memory in bytes: the high-water mark of the calls since it was last recycled
 * (an instance that grows past memoryRecycleBytes is dropped after the call and rebuilt on the next one).
 */
export function memoryBytes(): Promise<number>;

export interface MemoryStats {
  /** The current instance's linear memory; 0 when none is in use (before the first call, or just after a recycle). */
  bytes: number;
  /** The most linear memory any instance of this core reached. */
  peakBytes: number;
  /** Instances dropped for growing past recycleBytes. */
  recycles: number;
  /** Dropped instances taken back by a later call because the engine had not collected them yet. */
  reused: number;
  recycleBytes: number;
}
export function memoryStats(): MemoryStats;

export interface CoreSettings {
  /** Drop an instance whose linear memory grew past this many bytes once no call uses it; 0: never. 48 MB. */
  memoryRecycleBytes?: number;
}
export function configure(settings: CoreSettings): void;

/** The features a policy condition may compare (dotted paths into classify's object, plus pixels and fileSize). */
export type PolicyFeaturePath =
  | 'format' | 'width' | 'height' | 'pixels' | 'fileSize' | 'animated' | 'frames' | 'alpha'
  | 'thumbhash' | 'blurhash' | 'phash' | 'sharpness' | 'exposure.mean' | 'exposure.shadows'
  | 'exposure.highlights' | 'photo' | 'exif.gps' | 'exif.cameraModel' | 'exif.captureDate';

type PolicyScalar = number | string | boolean | null;
/** Exactly one op per leaf: eq/ne (a value of the feature's type), lt/lte/gt/gte (numbers), in (a list). */
type PolicyOp =
  | { eq: PolicyScalar } | { ne: PolicyScalar } | { lt: number } | { lte: number } | { gt: number }
  | { gte: number } | { in: PolicyScalar[] };
type ScoreOp = { eq: number } | { ne: number } | { lt: number } | { lte: number } | { gt: number } | { gte: number };

/** A condition: a feature leaf, a label leaf (a label absent from the labels scores 0), or all/any/not; ≤ 16 deep. */
export type PolicyCondition =
  | ({ feature: PolicyFeaturePath } & PolicyOp)
  | ({ label: string } & ScoreOp)
  | { all: PolicyCondition[] }
  | { any: PolicyCondition[] }
  | { not: PolicyCondition };

export interface PolicyRule {
  /** 1–64 characters, unique in the policy. */
  name: string;
  action: 'reject' | 'flag';
  when: PolicyCondition;
}

export interface BlocklistEntry {
  /** 16 lowercase hex digits: classify's pHash. */
  phash: string;
  reason: string;
}

/** A normalised policy, as checkPolicy returns it: every member present. */
export interface Policy {
  /** At most 256. */
  rules: PolicyRule[];
  /** A pHash within maxDistance (0–32, default 8) bits of an entry is blocked; at most 10000 entries. */
  blocklist: { maxDistance: number; entries: BlocklistEntry[] };
  /** metadata=keep may deliver GPS (default false: stripped). */
  keepGps: boolean;
  /** Ask the host's image classifier for labels (default false). */
  classifier: { labels: boolean };
}

/** A policy as written: any member may be left out (its default is used). */
export interface PolicyInput {
  rules?: PolicyRule[];
  blocklist?: { maxDistance?: number; entries?: Array<{ phash: string; reason?: string }> };
  keepGps?: boolean;
  classifier?: { labels?: boolean };
}

/** What a verdict judges: classify's features, the file's size, and the classifier's labels when there are any. */
export interface VerdictFeatures {
  fileSize?: number;
  labels?: Array<{ label: string; score: number }>;
  [feature: string]: unknown;
}

export interface Verdict {
  verdict: 'allow' | 'flag' | 'reject';
  /** The error a reject answers with: blocked (451) for a block-list match, else rejected_by_policy (422). */
  code: 'blocked' | 'rejected_by_policy' | null;
  /** 'blocklist', the deciding rule's name, or null (allow). */
  rule: string | null;
  /** The nearest block-list entry within maxDistance. */
  blocklist: { phash: string; distance: number; reason: string } | null;
  /** Every rule whose condition matched, in the policy's order. */
  fired: string[];
}

/** Validates and normalises a policy (an object or JSON text). Rejects with EdgepixError bad_policy (400) whose
 * message names the place at fault, e.g. "rules[0].when.any[0]: unknown op 'gtt'". */
export function checkPolicy(policy: PolicyInput | Policy | string): Promise<Policy>;
/** The policy's verdict: the block list first, then the first matching reject rule, then the first flag rule. */
export function verdict(policy: PolicyInput | Policy | string, features: VerdictFeatures): Promise<Verdict>;
