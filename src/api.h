/* The one C ABI between JavaScript and the edgepix core; the only place wasm exports are declared.
 *
 * Memory: the host copies inputs into module memory with ep_alloc and frees them with ep_free after the call.
 * Every call returns an ep_output that the host reads and then frees with ep_output_free (which frees the
 * output bytes and JSON too). A NULL ep_output means the module ran out of memory before it could answer.
 * Strings are UTF-8 with explicit lengths (no terminator needed).
 *
 * ep_output (wasm32 layout, four little-endian u32 at offsets 0, 4, 8, 12):
 *   data, size        output bytes (the encoded image) or NULL/0
 *   meta, meta_size   a JSON object describing the answer:
 *     success:  {"format":"webp","contentType":"image/webp","width":400,"height":300,
 *                "varyAccept":true,"vary":["Accept"],"acceptCH":"Sec-CH-DPR, ...",
 *                "cacheKey":"v0.3.2,w=400,h=0,...,f=webp"}   (fields present as relevant)
 *     failure:  {"error":{"code":"bad_option","status":400,"message":"option 'width': ..."}}
 *
 * Memory use: after a call returns and its output is freed, the module holds no allocation from it; wasm
 * memory therefore never grows beyond the high-water mark of the largest single call.
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

/* `headers` is the request's headers as "Name: value" lines separated by "\n"; the core reads the ones that
 * matter (Accept, client hints) and reports in meta "vary" the names that changed the answer and in
 * "acceptCH" the hints it can use. */

/* Decode, transform and encode `input` as the option string (Cloudflare syntax) and the headers say. */
EP_EXPORT(ep_transform)
ep_output* ep_transform(const uint8_t* input, uint32_t input_size, const char* options, uint32_t options_size,
                        const char* headers, uint32_t headers_size);

/* TEMPORARY (until the host passes limits as JSON, branch shape-request): ep_transform with the request's work
 * budget in units (Limits::max_work_units; below 1: the default the plan derives). Over it: over_budget, 422. */
EP_EXPORT(ep_transform_budgeted)
ep_output* ep_transform_budgeted(const uint8_t* input, uint32_t input_size, const char* options,
                                 uint32_t options_size, const char* headers, uint32_t headers_size,
                                 double max_work_units);

/* Parse and normalise the options and negotiate without any image: meta gets cacheKey, vary, varyAccept and
 * acceptCH (or the error a transform would give for these options). */
EP_EXPORT(ep_plan)
ep_output* ep_plan(const char* options, uint32_t options_size, const char* headers, uint32_t headers_size);

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

#ifdef __cplusplus
}
#endif

#endif
