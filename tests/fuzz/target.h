// One fuzz target's body, written once and used twice: as a libFuzzer harness (built with EDGEPIX_FUZZ_MAIN, see
// CMakeLists.txt) and, in the Catch2 suite, to replay the regression files of tests/fuzz/regressions/<name>/
// through the very code that found them (tests/core/fuzz_regressions_test.cpp).
//
//   EDGEPIX_FUZZ_TARGET(probe) { ep_output_free(ep_probe(data, uint32_t(size))); }
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace edgepix::fuzz {

using Body = void (*)(const uint8_t* data, size_t size);
struct Target {
  std::string_view name;
  Body body;
};

// Every target linked into this program, in no particular order.
inline std::vector<Target>& targets() {
  static std::vector<Target> all;
  return all;
}
struct Registration {
  Registration(std::string_view name, Body body) { targets().push_back({name, body}); }
};

}  // namespace edgepix::fuzz

#ifdef EDGEPIX_FUZZ_MAIN
#define EDGEPIX_FUZZ_ENTRY(name)                                                      \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {          \
    fuzz_##name(data, size);                                                          \
    return 0;                                                                         \
  }
#else
#define EDGEPIX_FUZZ_ENTRY(name)
#endif

#define EDGEPIX_FUZZ_TARGET(name)                                                                       \
  static void fuzz_##name(const uint8_t* data, size_t size);                                            \
  static const edgepix::fuzz::Registration fuzz_registration_##name(#name, fuzz_##name);                \
  EDGEPIX_FUZZ_ENTRY(name)                                                                              \
  static void fuzz_##name(const uint8_t* data, size_t size)
