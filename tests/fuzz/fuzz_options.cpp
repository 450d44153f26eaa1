// The URL option string (`width=400,fit=cover,format=auto`): the option table's parsers and canonical writers
// directly, then the same text as a bare request through ep_decide (request, negotiation, plan, cache key).
#include <string_view>

#include "api.h"
#include "decision.h"
#include "plan/options.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(options) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto options = edgepix::parse_options(text);
  if (options.ok()) (void)edgepix::canonical_options(*options);
  static const char kHeaders[] = "Accept: image/avif,image/webp\nSec-CH-DPR: 2\nSec-CH-Width: 300";
  edgepix::fuzz::decide_and_release(text.data(), uint32_t(size), kHeaders, sizeof kHeaders - 1);
}
