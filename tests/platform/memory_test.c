/* Checks src/platform/wasi/memory.c (memcpy, memmove, memset in place of wasi-libc's) against byte-by-byte
 * references: every length from 0 to 300 (each of the short paths and the engine path past 48 bytes), every
 * source/destination misalignment in a 16-byte window, and for memmove every overlap in both directions.
 * A wasm32-wasi command built by the wasm preset (CMakeLists.txt); tests/wasm/memory.test.mjs runs it and
 * expects exit status 0. It calls the routines through volatile pointers so that clang cannot replace the
 * calls with its own inline code. */
#include <stdio.h>
#include <string.h>

enum { kArena = 1024, kMaxLength = 300 };

static unsigned char arena[kArena], expect[kArena];
static void* (*volatile copy)(void*, const void*, size_t) = memcpy;
static void* (*volatile move)(void*, const void*, size_t) = memmove;
static void* (*volatile set)(void*, int, size_t) = memset;

static void fill(unsigned char* p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; ++i) p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 3));
}

static int check(const char* what, size_t length, size_t from, size_t to) {
  for (size_t i = 0; i < kArena; ++i)
    if (arena[i] != expect[i]) {
      printf("%s: length %zu from %zu to %zu: byte %zu is %u, not %u\n", what, length, from, to, i, arena[i],
             expect[i]);
      return 1;
    }
  return 0;
}

int main(void) {
  int failures = 0;
  for (size_t length = 0; length <= kMaxLength && !failures; ++length) {
    for (size_t from = 0; from < 16 && !failures; ++from)
      for (size_t to = 0; to < 16 && !failures; ++to) {
        /* memcpy between disjoint regions; memmove too. */
        fill(arena, kArena, (unsigned)(length + from + to));
        for (size_t i = 0; i < kArena; ++i) expect[i] = arena[i];
        for (size_t i = 0; i < length; ++i) expect[512 + to + i] = arena[from + i];
        if (copy(arena + 512 + to, arena + from, length) != arena + 512 + to) failures += check("memcpy result", length, from, to);
        failures += check("memcpy", length, from, 512 + to);
      }
    /* memmove with every overlap: destination before and after the source, by 1 to 64 bytes. */
    for (size_t shift = 1; shift <= 64 && !failures; ++shift)
      for (int forward = 0; forward < 2 && !failures; ++forward) {
        const size_t from = forward ? 200 : 200 + shift, to = forward ? 200 + shift : 200;
        fill(arena, kArena, (unsigned)(length * 3 + shift));
        for (size_t i = 0; i < kArena; ++i) expect[i] = arena[i];
        {
          unsigned char saved[kMaxLength];
          for (size_t i = 0; i < length; ++i) saved[i] = arena[from + i];
          for (size_t i = 0; i < length; ++i) expect[to + i] = saved[i];
        }
        if (move(arena + to, arena + from, length) != arena + to) failures += check("memmove result", length, from, to);
        failures += check("memmove", length, from, to);
      }
    /* memset at every misalignment, with a value whose int has bits above the byte (only the byte counts). */
    for (size_t to = 0; to < 16 && !failures; ++to) {
      fill(arena, kArena, (unsigned)length);
      for (size_t i = 0; i < kArena; ++i) expect[i] = arena[i];
      for (size_t i = 0; i < length; ++i) expect[300 + to + i] = 0xA5;
      if (set(arena + 300 + to, 0x7A5, length) != arena + 300 + to) failures += check("memset result", length, 0, to);
      failures += check("memset", length, 0, 300 + to);
    }
  }
  if (!failures) printf("memcpy, memmove and memset agree with the byte-by-byte reference\n");
  return failures ? 1 : 0;
}
