// Negotiation: the output format from the format option and Accept, the width from client hints when the
// options ask for it (width=auto), and the list of request headers that changed the answer (for Vary). Only
// the decision is passed on — caches key on it, never on raw header strings.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.h"
#include "plan/options.h"
#include "plan/request_headers.h"

namespace edgepix {

struct AcceptedTypes {
  bool webp = false;
  bool avif = false;
};
// Honours q-values: `image/webp;q=0` refuses WebP. Only explicit types count: browsers that decode WebP say so.
AcceptedTypes parse_accept(std::string_view accept);

// The output format before the source is known: a concrete format, or "the source's family".
struct FormatDecision {
  Format format = Format::unknown;  // unknown: the source's family (see output_format)
  bool vary_accept = false;         // the Accept header changed (or could change) the answer
};
FormatDecision negotiate_format(FormatRequest request, const AcceptedTypes& accepted);
// Resolves "the source's family": JPEG stays JPEG, PNG and GIF become PNG, WebP and AVIF stay themselves when
// the client did not negotiate; when negotiation turned them down, PNG if there is alpha, else JPEG. `animate`:
// the source is animated and the options keep the animation; format=auto then answers animated WebP where it
// chose AVIF (our AVIF is a still image, and every browser that decodes AVIF decodes WebP), so the decision, and
// the cache key, need not depend on the source.
Format output_format(const FormatDecision& decision, const ProbeInfo& source, bool animate);
// Token for the cache key: "jpeg", "png", "webp", "avif", "source" or "source-negotiated" (they differ for WebP
// and AVIF sources).
const char* decision_token(const FormatDecision& decision);

// Width for width=auto, in physical pixels, rounded up to a bucket so that nearby layouts share cache entries;
// 0 when the client sent no hints.
uint32_t hinted_width(const RequestHeaders& headers);
constexpr const char* kAcceptClientHints = "Sec-CH-DPR, Sec-CH-Width, Sec-CH-Viewport-Width";

// Everything negotiation decides for one request.
struct Negotiation {
  Options options;  // width resolved when it was auto
  FormatDecision format;
  std::vector<std::string> vary;  // request headers whose values changed the decision
};
Negotiation negotiate(const Options& options, const RequestHeaders& headers);

}  // namespace edgepix
