/* The checks here are wasm reactor modules whose test function is an export, or native programs calling it
 * from main. */
#ifndef EDGEPIX_CHECK_EXPORT_H
#define EDGEPIX_CHECK_EXPORT_H

#ifdef __wasm__
#define EXPORT(name) __attribute__((export_name(name)))
#else
#define EXPORT(name)
#endif

#endif
