/* memcpy, memmove and memset for the wasm32-wasi module, in place of wasi-libc's.
 *
 * Why: Debian's wasi-libc is built without bulk memory or SIMD, so its routines are musl's C loops, 4 or 8 bytes
 * a step. The pipeline copies and clears a great deal (libjpeg clears every MCU's coefficient blocks, libwebp
 * copies its score records per mode tried): 2.7% of a 12 MP JPEG -> WebP job went to them. Measured in Node 20 on
 * unaligned buffers (bench numbers in issue 5's note): a 512-byte copy 120 ns -> 31 ns, 4 KiB 900 ns -> 80 ns.
 *
 * How: from 48 bytes up, WebAssembly's own memory.copy / memory.fill (bulk memory; the engine runs its native
 * memmove/memset). Below that the engine's call out costs more than the copy, so short runs are moved with
 * 16-, 8-, 4-byte loads and stores that overlap at the end. Every load happens before the first store, which
 * makes the short path safe for overlapping memmove too; memory.copy is overlap-safe by definition.
 *
 * This file alone is built with -mbulk-memory (CMakeLists.txt): wasi-libc's headers declare errno thread-local,
 * which clang 14 rejects in bulk-memory objects, and nothing here touches errno. The module's objects come before
 * libc.a on the link line, so these definitions win and libc's are never pulled in. */
#include <stddef.h>
#include <stdint.h>
#include <wasm_simd128.h>

#if !defined(__wasm_bulk_memory__) || !defined(__wasm_simd128__)
#error "memory.c needs -mbulk-memory and -msimd128"
#endif

enum { kEngineFrom = 48 };

static inline uint64_t load64(const unsigned char* p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);  /* a constant size: one i64.load, never a call */
  return v;
}
static inline void store64(unsigned char* p, uint64_t v) { __builtin_memcpy(p, &v, 8); }
static inline uint32_t load32(const unsigned char* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
static inline void store32(unsigned char* p, uint32_t v) { __builtin_memcpy(p, &v, 4); }

static void* move_bytes(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if (n >= kEngineFrom) {
    __builtin_memmove(d, s, n);  /* memory.copy */
  } else if (n > 32) {
    const v128_t a = wasm_v128_load(s), b = wasm_v128_load(s + 16), c = wasm_v128_load(s + n - 16);
    wasm_v128_store(d, a);
    wasm_v128_store(d + 16, b);
    wasm_v128_store(d + n - 16, c);
  } else if (n >= 16) {
    const v128_t a = wasm_v128_load(s), b = wasm_v128_load(s + n - 16);
    wasm_v128_store(d, a);
    wasm_v128_store(d + n - 16, b);
  } else if (n >= 8) {
    const uint64_t a = load64(s), b = load64(s + n - 8);
    store64(d, a);
    store64(d + n - 8, b);
  } else if (n >= 4) {
    const uint32_t a = load32(s), b = load32(s + n - 4);
    store32(d, a);
    store32(d + n - 4, b);
  } else if (n) {
    const unsigned char first = s[0], middle = s[n >> 1], last = s[n - 1];
    d[0] = first;
    d[n >> 1] = middle;
    d[n - 1] = last;
  }
  return dst;
}

void* memcpy(void* restrict dst, const void* restrict src, size_t n) { return move_bytes(dst, src, n); }
void* memmove(void* dst, const void* src, size_t n) { return move_bytes(dst, src, n); }

void* memset(void* dst, int value, size_t n) {
  unsigned char* d = dst;
  const unsigned char byte = (unsigned char)value;
  if (n >= kEngineFrom) {
    __builtin_memset(d, byte, n);  /* memory.fill */
  } else if (n >= 16) {
    const v128_t v = wasm_i8x16_splat((int8_t)byte);
    wasm_v128_store(d, v);
    if (n > 32) wasm_v128_store(d + 16, v);
    wasm_v128_store(d + n - 16, v);
  } else if (n >= 8) {
    const uint64_t v = byte * UINT64_C(0x0101010101010101);
    store64(d, v);
    store64(d + n - 8, v);
  } else if (n >= 4) {
    const uint32_t v = byte * UINT32_C(0x01010101);
    store32(d, v);
    store32(d + n - 4, v);
  } else if (n) {
    d[0] = byte;
    d[n >> 1] = byte;
    d[n - 1] = byte;
  }
  return dst;
}
