// The decision for one request, made once: the request parsed, negotiated against the request headers, and keyed.
// The Worker keys its cache on it before any image is read; running it (with the inputs) plans the exact work
// from each input's header. format=json describes the same plan.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.h"
#include "plan/negotiate.h"
#include "plan/plan.h"
#include "plan/request.h"
#include "plan/request_headers.h"

namespace edgepix {

struct Decision {
  Request request;                // options as negotiation resolved them (width=auto, slow-connection quality)
  FormatDecision format;
  std::vector<std::string> vary;  // request headers whose values changed the decision
  std::string cache_key;          // core version, canonical request, negotiated format
};

// Parses the request (plan/request.h) and negotiates, once.
Result<Decision> decide(std::string_view request, const RequestHeaders& headers);
// The exact work for a base image whose header says `source`; it carries the overlays.
Result<Plan> plan_decision(const Decision& decision, const ProbeInfo& source);
// The work for one overlay's own input whose header says `source`: its transform, on its first frame, its pixels
// kept as they are for compositing (the draw step; no encode).
Result<Plan> plan_overlay(const Overlay& overlay, const ProbeInfo& source, const Limits& limits);
// Every overlay names an input that exists (inputs counts the base too).
Status check_inputs(const Decision& decision, size_t inputs);

}  // namespace edgepix
