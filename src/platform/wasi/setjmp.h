/* setjmp/longjmp for wasm32-wasi, whose libc (wasi-libc) has no <setjmp.h>.
 *
 * clang's `-mllvm -wasm-enable-sjlj` rewrites every setjmp/longjmp call into WebAssembly exception handling plus
 * calls into sjlj_runtime.c, so these are declarations for that rewrite to find, never real functions: code that
 * calls them must be compiled with `-mexception-handling -mllvm -wasm-enable-sjlj` (cmake/toolchain-wasi.cmake
 * does), else the link fails on an undefined `setjmp`. */
#ifndef EDGEPIX_WASI_SETJMP_H
#define EDGEPIX_WASI_SETJMP_H

#ifndef __wasm_exception_handling__
#error "setjmp/longjmp on wasm need -mexception-handling -mllvm -wasm-enable-sjlj (see cmake/toolchain-wasi.cmake)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime keeps only an id in the first word; the spare words leave room to change that without an ABI
 * break in code that takes sizeof(jmp_buf) (libpng checks it). */
typedef struct __edgepix_jmp_buf { unsigned long __id; unsigned long __spare[3]; } jmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
void longjmp(jmp_buf env, int value) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif
