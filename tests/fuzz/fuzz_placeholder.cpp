// ep_placeholder: base64, the ThumbHash decode and the PNG it is written to.
#include "api.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(placeholder) {
  ep_output_free(ep_placeholder(reinterpret_cast<const char*>(data), uint32_t(size)));
}
