/* The one C ABI between JavaScript and the edgepix core; the only place wasm exports are declared.
 *
 * Memory: the host copies inputs into module memory with ep_alloc and frees them with ep_free after the call.
 * Every call but ep_release returns an ep_output that the host reads and then frees with ep_output_free (which frees the
 * output bytes and JSON too). A NULL ep_output means the module ran out of memory before it could answer.
 * Strings are UTF-8 with explicit lengths (no terminator needed).
 *
 * ep_output (wasm32 layout, four little-endian u32 at offsets 0, 4, 8, 12):
 *   data, size        output bytes (the encoded image) or NULL/0
 *   meta, meta_size   a JSON object describing the answer:
 *     success:  {"format":"webp","contentType":"image/webp","width":400,"height":300,
 *                "varyAccept":true,"vary":["Accept"],"acceptCH":"Sec-CH-DPR, ...",
 *                "cacheKey":"v0.3.3,w=400,h=0,...,f=webp"}   (fields present as relevant)
 *     failure:  {"error":{"code":"bad_option","status":400,"message":"option 'width': ..."}}
 *
 * Memory use: after a call returns and its output is freed, the module holds no allocation from it (a live
 * decision handle aside, see ep_decide); wasm memory therefore never grows beyond the high-water mark of the
 * largest single call.
 */
#ifndef EDGEPIX_API_H
#define EDGEPIX_API_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__wasm__)
#define EP_EXPORT(name) __attribute__((used, export_name(#name)))
#else
#define EP_EXPORT(name)
#endif

typedef struct ep_output {
  uint8_t* data;
  uint32_t size;
  char* meta;
  uint32_t meta_size;
} ep_output;

EP_EXPORT(ep_alloc) uint8_t* ep_alloc(uint32_t size);
EP_EXPORT(ep_free) void ep_free(void* pointer);
EP_EXPORT(ep_output_free) void ep_output_free(ep_output* output);

typedef struct ep_input {
  const uint8_t* data;
  uint32_t size;
} ep_input; /* wasm32: two little-endian u32; an array of them is 8 bytes an entry */

/* A request is decided once and run once:
 *
 *   ep_decide(request, headers) -> a handle and the decision (cache key, Vary): no image is read.
 *   ep_run(handle, inputs)      -> the output bytes and their meta; the handle is consumed, success or not.
 *   ep_release(handle)          -> frees a decision that will not be run (a cache hit, a 304, an error).
 *
 * `request` is UTF-8 JSON (see src/plan/request.h):
 *   {"options":"width=400,format=auto"}                                  the URL option string, or
 *   {"transform":{...},"output":{"format":"image/webp"},"draw":[...]}   the Images binding's shapes,
 *   with an optional "limits":{"maxWorkingBytes":…,"maxSourcePixels":…,"maxOutputSide":…,"maxFrames":…,
 *   "maxAnimationPixels":…,"budget":…} that may lower the core's limits, never raise them.
 *   A text that is not a JSON object is read as a bare option string ("width=400,format=auto").
 * `headers` is the request's headers as "Name: value" lines separated by "\n"; the core reads the ones that
 * matter (Accept, client hints) and reports in meta "vary" the names that changed the answer and in
 * "acceptCH" the hints it can use.
 * `inputs` are the images: [0] the base, then the sources of the draw entries (their "input" indexes them). The
 * host owns them: they are read during the call only.
 *
 * Handles are small numbers, never 0 and never reused within an instance, so a stale one fails cleanly (error
 * "internal") instead of reaching another request's decision. A live decision is the one allocation that
 * outlives a call; at most 256 are kept, and deciding more releases the oldest.
 */

/* meta: {"handle":7,"varyAccept":…,"vary":[…],"acceptCH":"…","cacheKey":"…"} (+ "onError":"redirect"), or the
 * error a transform would give for this request. */
EP_EXPORT(ep_decide)
ep_output* ep_decide(const char* request, uint32_t request_size, const char* headers, uint32_t headers_size);

/* Runs the decision on `inputs`: meta {"format","contentType","width","height","frames", + the decision's
 * fields}; format=json answers a JSON body describing the output and the source instead of an image, with the
 * source's "features" (as ep_classify's meta). */
EP_EXPORT(ep_run) ep_output* ep_run(uint32_t handle, const ep_input* inputs, uint32_t input_count);

/* Frees a decision that was not run; an unknown or already consumed handle is ignored. */
EP_EXPORT(ep_release) void ep_release(uint32_t handle);

/* ep_decide + ep_run in one call (no handle outlives it): the one-shot form. */
EP_EXPORT(ep_transform)
ep_output* ep_transform(const char* request, uint32_t request_size, const char* headers, uint32_t headers_size,
                        const ep_input* inputs, uint32_t input_count);

/* Work done since instantiation, for tests that count core calls:
 * meta {"optionsParsed":n,"negotiated":n,"decoded":n}. */
EP_EXPORT(ep_counters) ep_output* ep_counters(void);

/* Signed URLs (Cloudflare Images' scheme, see src/sign/url_signature.h). ep_sign_url: meta {"url": signed}; an
 * `expires_at` below 0 adds no `exp`. ep_verify_url: `keys` separated by "\n"; meta {"keyIndex": n} or the error
 * (signature_missing / signature_invalid / signature_expired: 403; bad_signature: 400). */
EP_EXPORT(ep_sign_url)
ep_output* ep_sign_url(const char* url, uint32_t url_size, const char* key, uint32_t key_size, double expires_at);
EP_EXPORT(ep_verify_url)
ep_output* ep_verify_url(const char* url, uint32_t url_size, const char* keys, uint32_t keys_size, double now);

/* Constant-time equality of two secrets (e.g. a bearer token): meta {"equal": true|false}. */
EP_EXPORT(ep_safe_equal)
ep_output* ep_safe_equal(const char* a, uint32_t a_size, const char* b, uint32_t b_size);

/* Read the header only: meta gets format, width, height (upright), orientation, hasAlpha, animated. */
EP_EXPORT(ep_probe) ep_output* ep_probe(const uint8_t* input, uint32_t input_size);

/* What the image is, for moderation and placeholders (src/classify/features.h): sniff, probe, the transform limits
 * (too_large 413, unsupported_format 415), then one decode at a reduced scale (a truncated or corrupt bitstream is
 * corrupt_image 422). meta: {"format","width","height" (upright),"animated","frames","alpha",
 * "dominantColors":[{"hex":"#aabbcc","share":0.41},…] (≤ 5, largest first),"thumbhash" (base64),"blurhash",
 * "phash" (16 hex),"sharpness","exposure":{"mean","shadows","highlights"},"photo" (0..1),
 * "exif":{"gps","cameraModel","captureDate"}} or the error. */
EP_EXPORT(ep_classify) ep_output* ep_classify(const uint8_t* input, uint32_t size);

/* A ThumbHash (base64, as ep_classify gives it) decoded to a PNG of at most 32 px on the long side in the hash's
 * aspect: data = the PNG, meta {"width","height"}; bad_option (400) when it is not a ThumbHash. */
EP_EXPORT(ep_placeholder) ep_output* ep_placeholder(const char* thumbhash_b64, uint32_t size);

/* The moderation policy (src/classify/policy.h), UTF-8 JSON. ep_policy validates and normalises it: meta = the
 * policy with every default filled in,
 *   {"rules":[{"name","action":"reject"|"flag","when":{…}}],"blocklist":{"maxDistance":8,"entries":[{"phash",
 *    "reason"}]},"keepGps":false,"classifier":{"labels":false}}
 * or bad_policy (400) naming the place at fault ("rules[0].when.any[0]: unknown op 'gtt'"). */
EP_EXPORT(ep_policy) ep_output* ep_policy(const char* json, uint32_t size);

/* The policy's verdict on an image's features (the classify object plus "fileSize", and optionally
 * "labels":[{"label","score"}]); the policy is validated again (bad_policy). meta (src/classify/verdict.h):
 *   {"verdict":"allow"|"flag"|"reject","code":null|"rejected_by_policy"|"blocked","rule":null|"<name>"|"blocklist",
 *    "blocklist":null|{"phash","distance","reason"},"fired":["<every rule that matched>", …]} */
EP_EXPORT(ep_verdict)
ep_output* ep_verdict(const char* policy, uint32_t policy_size, const char* features, uint32_t features_size);

#ifdef __cplusplus
}
#endif

#endif
