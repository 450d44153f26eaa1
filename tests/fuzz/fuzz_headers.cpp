// The request headers as the shim passes them ("Name: value" lines): the Accept parser on its own, then the
// negotiation of formats and of width=auto from client hints through ep_decide, for requests that read them.
#include <string_view>

#include "api.h"
#include "decision.h"
#include "plan/negotiate.h"
#include "plan/request_headers.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(headers) {
  const std::string_view block(reinterpret_cast<const char*>(data), size);
  (void)edgepix::parse_accept(block);
  const edgepix::RequestHeaders headers(block);
  (void)edgepix::parse_accept(headers.get("accept"));
  (void)edgepix::hinted_width(headers);
  static const char* const kRequests[] = {"width=auto,format=auto", "format=avif,width=200",
                                          "width=auto,dpr=3,compression=fast,format=auto"};
  for (const char* request : kRequests)
    edgepix::fuzz::decide_and_release(request, uint32_t(std::string_view(request).size()), block.data(),
                                      uint32_t(size));
}
