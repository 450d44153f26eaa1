// ep_classify on arbitrary bytes: sniff, probe, the DC-only JPEG decode, EXIF facts, features.
#include "api.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(classify) { ep_output_free(ep_classify(data, uint32_t(size))); }
