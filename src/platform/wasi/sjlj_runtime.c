/* The runtime behind clang 14's `-mllvm -wasm-enable-sjlj` (LLVM 14 names and signatures), for wasm32-wasi.
 *
 * How the rewrite uses it: a function that calls setjmp malloc()s a small table of (id, label) pairs, 4 entries
 * plus a zero terminator, and frees it on return; each setjmp call site has its own label.
 *   setjmp(env)      -> saveSetjmp gives env a fresh id and records (id, label); the new table size comes back
 *                       through getTempRet0, because the call returns the (possibly moved) table.
 *   longjmp(env, v)  -> __wasm_longjmp throws the __c_longjmp tag carrying &{env, v}.
 *   every function with a setjmp catches that tag and asks testSetjmp whether env's id is one of its own: if so it
 *   resumes at that label with setjmp returning v, otherwise it rethrows through __wasm_longjmp.
 * Build with `-mexception-handling -mllvm -wasm-enable-sjlj` (cmake/toolchain-wasi.cmake puts them on all code).
 * Single-threaded, like the module. */
#include <stdint.h>
#include <stdlib.h>

/* One table slot, as LLVM lays it out on wasm32: two i32s. */
struct setjmp_slot {
  uint32_t id;
  uint32_t label;
};

static uint32_t temp_ret0;
static uint32_t last_setjmp_id;

uint32_t getTempRet0(void) { return temp_ret0; }
void setTempRet0(uint32_t value) { temp_ret0 = value; }

/* Ids only need to differ between live jmp_bufs; 0 means "end of table", so skip it on wrap-around. */
static uint32_t next_setjmp_id(void) {
  if (++last_setjmp_id == 0) ++last_setjmp_id;
  return last_setjmp_id;
}

struct setjmp_slot *saveSetjmp(uint32_t *env, uint32_t label, struct setjmp_slot *table, uint32_t size) {
  uint32_t used = 0;
  while (used < size && table[used].id != 0) used++;
  if (used == size) {
    /* Full: double it, keeping one slot beyond `size` for the terminator as LLVM's initial malloc does. */
    size *= 2;
    table = realloc(table, (size + 1) * sizeof *table);
    if (!table) abort();
  }
  uint32_t id = next_setjmp_id();
  env[0] = id;
  table[used].id = id;
  table[used].label = label;
  table[used + 1].id = 0;
  setTempRet0(size);
  return table;
}

uint32_t testSetjmp(uint32_t id, const struct setjmp_slot *table, uint32_t size) {
  for (uint32_t i = 0; i < size && table[i].id != 0; i++) {
    if (table[i].id == id) return table[i].label;
  }
  return 0;
}

/* The thrown payload; the catching code reads env at offset 0 and the value at offset 4. */
static struct {
  void *env;
  int value;
} longjmp_payload;

__attribute__((noreturn)) void __wasm_longjmp(void *env, int value) {
  longjmp_payload.env = env;
  longjmp_payload.value = value != 0 ? value : 1; /* C: longjmp(env, 0) makes setjmp return 1 */
  __builtin_wasm_throw(1, &longjmp_payload);      /* tag 1 is __c_longjmp */
}
