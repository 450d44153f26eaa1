// How much work the core has done since the module was instantiated: plain counters that tests read (through
// ep_counters) to check that a request parses, negotiates and decodes exactly as often as it should.
#pragma once
#include <cstdint>

namespace edgepix {

struct CoreCounters {
  uint64_t options_parsed = 0;  // requests whose options were parsed (parse_request)
  uint64_t negotiated = 0;      // negotiations against request headers (negotiate)
  uint64_t decoded = 0;         // inputs decoded (the pipeline's decode of a source)
};

inline CoreCounters core_counters;

}  // namespace edgepix
