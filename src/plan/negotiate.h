// Content negotiation: which output format a request gets, decided from the format option and the Accept
// header only (never the raw header string downstream: the decision is what caches key on).
#pragma once
#include <string_view>

#include "codec/codec.h"
#include "plan/options.h"

namespace edgepix {

struct AcceptedTypes {
  bool webp = false;
};
// Honours q-values: `image/webp;q=0` refuses WebP. Only explicit types count: browsers that decode WebP say so.
AcceptedTypes parse_accept(std::string_view accept);

// The output format before the source is known: a concrete format, or "the source's family".
struct FormatDecision {
  Format format = Format::unknown;  // unknown: the source's family (see output_format)
  bool vary_accept = false;         // the Accept header changed (or could change) the answer
};
FormatDecision negotiate_format(FormatRequest request, const AcceptedTypes& accepted);
// Resolves "the source's family": JPEG stays JPEG, PNG and GIF become PNG, WebP stays WebP when the client
// asked for it by name or did not negotiate; when negotiation turned WebP down, PNG if there is alpha, else JPEG.
Format output_format(const FormatDecision& decision, const ProbeInfo& source);
// Token for the cache key: "jpeg", "png", "webp", "source" or "source-negotiated" (they differ for WebP sources).
const char* decision_token(const FormatDecision& decision);

}  // namespace edgepix
