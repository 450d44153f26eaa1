// libFuzzer harness: ep_classify on arbitrary bytes (sniff, probe, DC-only JPEG decode, EXIF facts, features).
#include <cstddef>
#include <cstdint>

#include "api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ep_output* out = ep_classify(data, static_cast<uint32_t>(size));
  ep_output_free(out);
  return 0;
}
