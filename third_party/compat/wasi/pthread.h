/*
 * Single-thread stand-ins for the pthread calls libde265's threads.cc makes, for wasm32-wasi: wasi-libc
 * (without the threads target) has no <pthread.h>. Put on the include path by third_party/recipes/libde265.sh.
 *
 * We decode with no worker threads (de265_start_worker_threads is never called), so libde265 creates no thread
 * and, decoding one intra picture at a time on one thread, never has to wait on a condition. Mutexes and
 * signals are no-ops; thread creation fails with EAGAIN; a wait, which could only block forever with one
 * thread, traps (the host drops a trapped instance).
 */
#ifndef EDGEPIX_COMPAT_WASI_PTHREAD_H
#define EDGEPIX_COMPAT_WASI_PTHREAD_H

#include <errno.h>
#include <sys/types.h> /* wasi-libc defines the pthread types there, without the functions */

static inline int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*func)(void *), void *arg) {
  (void)thread; (void)attr; (void)func; (void)arg;
  return EAGAIN;
}
static inline int pthread_join(pthread_t thread, void **result) { (void)thread; (void)result; return ESRCH; }
static inline int pthread_mutex_init(pthread_mutex_t *mutex, const void *attr) { (void)mutex; (void)attr; return 0; }
static inline int pthread_mutex_destroy(pthread_mutex_t *mutex) { (void)mutex; return 0; }
static inline int pthread_mutex_lock(pthread_mutex_t *mutex) { (void)mutex; return 0; }
static inline int pthread_mutex_unlock(pthread_mutex_t *mutex) { (void)mutex; return 0; }
static inline int pthread_cond_init(pthread_cond_t *cond, const void *attr) { (void)cond; (void)attr; return 0; }
static inline int pthread_cond_destroy(pthread_cond_t *cond) { (void)cond; return 0; }
static inline int pthread_cond_signal(pthread_cond_t *cond) { (void)cond; return 0; }
static inline int pthread_cond_broadcast(pthread_cond_t *cond) { (void)cond; return 0; }
static inline int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex) {
  (void)cond; (void)mutex;
  __builtin_trap(); /* nobody else could ever signal it */
}

#endif
