// libFuzzer harness: ep_placeholder on arbitrary text (base64, ThumbHash decode, PNG encode).
#include <cstddef>
#include <cstdint>

#include "api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ep_output* out = ep_placeholder(reinterpret_cast<const char*>(data), static_cast<uint32_t>(size));
  ep_output_free(out);
  return 0;
}
