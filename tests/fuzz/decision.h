// The handle in ep_decide's meta ({"handle":7,...}), or 0 when it answered an error: the harnesses that decide
// without running release what they decided, so a run's memory stays flat.
#pragma once
#include <cstdint>
#include <cstring>

#include "api.h"

namespace edgepix::fuzz {

inline uint32_t decision_handle(const ep_output* decision) {
  static const char kPrefix[] = "{\"handle\":";
  const uint32_t prefix_size = sizeof kPrefix - 1;
  if (!decision || decision->meta_size <= prefix_size || std::memcmp(decision->meta, kPrefix, prefix_size) != 0)
    return 0;
  uint32_t handle = 0;
  for (uint32_t i = prefix_size; i < decision->meta_size && decision->meta[i] >= '0' && decision->meta[i] <= '9'; ++i)
    handle = handle * 10 + uint32_t(decision->meta[i] - '0');
  return handle;
}

// ep_decide, then ep_release: everything a request decides before any image is read.
inline void decide_and_release(const char* request, uint32_t request_size, const char* headers, uint32_t headers_size) {
  ep_output* decision = ep_decide(request, request_size, headers, headers_size);
  const uint32_t handle = decision_handle(decision);
  ep_output_free(decision);
  if (handle) ep_release(handle);
}

}  // namespace edgepix::fuzz
