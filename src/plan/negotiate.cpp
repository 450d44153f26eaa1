#include "plan/negotiate.h"

#include <cstdlib>
#include <string>

namespace edgepix {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

// The q parameter of one media range: 1 when absent, 0 when malformed (treated as refusal).
double quality_of(std::string_view params) {
  while (!params.empty()) {
    const size_t semicolon = params.find(';');
    const std::string_view param = trim(params.substr(0, semicolon));
    params = semicolon == std::string_view::npos ? std::string_view() : params.substr(semicolon + 1);
    if (param.size() >= 2 && (param[0] | 0x20) == 'q' && param[1] == '=') {
      const std::string value(param.substr(2));
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      return *end == 0 && q >= 0 && q <= 1 ? q : 0;
    }
  }
  return 1;
}

}  // namespace

AcceptedTypes parse_accept(std::string_view accept) {
  AcceptedTypes accepted;
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const size_t semicolon = range.find(';');
    const std::string_view type = trim(range.substr(0, semicolon));
    const double q = semicolon == std::string_view::npos ? 1 : quality_of(range.substr(semicolon + 1));
    if (equals_ignoring_case(type, "image/webp")) accepted.webp = q > 0;
  }
  return accepted;
}

FormatDecision negotiate_format(FormatRequest request, const AcceptedTypes& accepted) {
  switch (request) {
    case FormatRequest::jpeg: return {Format::jpeg, false};
    case FormatRequest::png: return {Format::png, false};
    case FormatRequest::webp: return {Format::webp, false};
    case FormatRequest::automatic: return {accepted.webp ? Format::webp : Format::unknown, true};
    case FormatRequest::original: break;
  }
  return {Format::unknown, false};
}

Format output_format(const FormatDecision& decision, const ProbeInfo& source) {
  if (decision.format != Format::unknown) return decision.format;
  switch (source.format) {
    case Format::jpeg: return Format::jpeg;
    case Format::webp:
      if (!decision.vary_accept) return Format::webp;
      return source.has_alpha ? Format::png : Format::jpeg;
    default: return Format::png;
  }
}

const char* decision_token(const FormatDecision& decision) {
  if (decision.format == Format::unknown) return decision.vary_accept ? "source-negotiated" : "source";
  return codec_for(decision.format)->name;
}

}  // namespace edgepix
