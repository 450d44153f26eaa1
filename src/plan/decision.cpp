#include "plan/decision.h"

namespace edgepix {

Result<Decision> decide(std::string_view text, const RequestHeaders& headers) {
  Result<Request> request = parse_request(text);
  if (!request.ok()) return request.status();
  Negotiation negotiation = negotiate(request->options, headers);
  Decision decision;
  decision.request = std::move(request.value());
  decision.request.options = negotiation.options;
  decision.format = negotiation.format;
  decision.vary = std::move(negotiation.vary);
  // What the output depends on besides the inputs' bytes, including the core's version (new codecs or settings
  // give new bytes, which must not be served under an old key).
  decision.cache_key = "v" EDGEPIX_VERSION "," + canonical_request(decision.request) + ",f=" +
                       decision_token(decision.format);
  return decision;
}

Result<Plan> plan_decision(const Decision& decision, const ProbeInfo& source) {
  Result<Plan> plan = make_plan(decision.request.options, decision.format, source, decision.request.limits);
  if (plan.ok()) plan->overlays = decision.request.overlays;
  if (plan.ok()) plan->keep_gps = decision.request.keep_gps;
  return plan;
}

Result<Plan> plan_overlay(const Overlay& overlay, const ProbeInfo& source, const Limits& limits) {
  Options options = overlay.options;
  options.animate = false;  // a still drawn on every frame of an animated base
  // PNG keeps alpha and loses nothing: the plan's output stage then leaves the pixels as they are, and its memory
  // estimate counts no encoder beyond the pixels.
  return make_plan(options, FormatDecision{Format::png, false}, source, limits);
}

Status check_inputs(const Decision& decision, size_t inputs) {
  if (inputs == 0) return error(ErrorCode::bad_option, "no input image");
  for (const Overlay& overlay : decision.request.overlays)
    if (overlay.input >= inputs)
      return error(ErrorCode::bad_option, "draw: input " + std::to_string(overlay.input) + " was not given (" +
                                              std::to_string(inputs) + " inputs)");
  return {};
}

}  // namespace edgepix
