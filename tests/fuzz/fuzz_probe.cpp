// ep_probe alone: every codec's sniff and header walk, without the decoders behind them.
#include "api.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(probe) { ep_output_free(ep_probe(data, uint32_t(size))); }
