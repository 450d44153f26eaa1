/* A standalone Emscripten module calls this after it grows its memory, so that JS glue can refresh its views of
 * that memory. We ship no JS glue: defining it (empty) here keeps it from becoming an `env` import that every
 * host would have to provide. */
#include <stddef.h>

void emscripten_notify_memory_growth(size_t memory_index) { (void)memory_index; }
