// The request's JSON form (src/plan/request.h): {"options":...} or the Images binding's {"transform","output",
// "draw","limits","keepGps"}, through ep_decide, which parses it (options, draw entries, limits) and decides it.
#include "api.h"
#include "decision.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(request) {
  static const char kHeaders[] = "Accept: image/webp\nSec-CH-Width: 640";
  edgepix::fuzz::decide_and_release(reinterpret_cast<const char*>(data), uint32_t(size), kHeaders,
                                    sizeof kHeaders - 1);
}
