/* setjmp/longjmp in our wasm builds: a longjmp from a nested call lands at the right setjmp with its value,
 * passes through a frame that has a setjmp of its own, reaches one of many live jmp_bufs (more than the
 * runtime's first table holds), and all of it works again on a second call into the same instance.
 * Returns 0 when every case holds, else the number of the first case that failed. */
#include <setjmp.h>

#include "check_export.h"

static void jump_from_depth(jmp_buf target, int depth, int value) {
  if (depth == 0) longjmp(target, value);
  jump_from_depth(target, depth - 1, value);
}

static int value_from_nested_call(int value) {
  jmp_buf recovery;
  volatile int setjmp_calls = 0; /* volatile: read after the longjmp */
  int received = setjmp(recovery);
  if (received != 0) return received * 10 + setjmp_calls;
  setjmp_calls++;
  jump_from_depth(recovery, 5, value);
  return -1;
}

static int frame_with_own_setjmp(jmp_buf outer) {
  jmp_buf own;
  if (setjmp(own) != 0) return -1; /* the longjmp targets `outer`: it must pass this frame by */
  jump_from_depth(outer, 3, 9);
  return -2;
}

static int value_through_other_setjmp(void) {
  jmp_buf outer;
  int received = setjmp(outer);
  if (received != 0) return received;
  return frame_with_own_setjmp(outer);
}

static int value_from_one_of_many(void) {
  jmp_buf buffers[6];
  volatile int set = 0;
  while (set < 6) {
    int received = setjmp(buffers[set]);
    if (received != 0) return received;
    set++;
  }
  longjmp(buffers[2], 33);
}

EXPORT("sjlj_smoke") int sjlj_smoke(void) {
  if (value_from_nested_call(7) != 71) return 1;
  if (value_from_nested_call(0) != 11) return 2; /* longjmp(env, 0) makes setjmp return 1 */
  if (value_through_other_setjmp() != 9) return 3;
  if (value_from_one_of_many() != 33) return 4;
  return 0;
}

#ifndef __wasm__
int main(void) { return sjlj_smoke(); }
#endif
