#include "plan/negotiate.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "core/counters.h"

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
    if (equals_ignoring_case(type, "image/avif")) accepted.avif = q > 0;
  }
  return accepted;
}

FormatDecision negotiate_format(FormatRequest request, const AcceptedTypes& accepted) {
  switch (request) {
    case FormatRequest::jpeg:
    case FormatRequest::baseline_jpeg: return {Format::jpeg, false};
    case FormatRequest::png: return {Format::png, false};
    case FormatRequest::webp: return {Format::webp, false};
    case FormatRequest::avif: return {Format::avif, false};
    case FormatRequest::automatic:
      // AVIF > WebP > the source's family: the smallest files the client can show.
      return {accepted.avif ? Format::avif : accepted.webp ? Format::webp : Format::unknown, true};
    case FormatRequest::original:
    case FormatRequest::json: break;  // json answers metadata about the source (api.cpp)
  }
  return {Format::unknown, false};
}

Format output_format(const FormatDecision& decision, const ProbeInfo& source, bool animate) {
  const Codec* chosen = codec_for(decision.format);
  if (chosen && decision.vary_accept && animate && !chosen->create_animation_writer) return chosen->auto_substitute;
  if (chosen) return decision.format;
  const Codec* codec = codec_for(source.format);
  const Family& family = decision.vary_accept ? codec->family_when_refused : codec->family;
  return source.has_alpha ? family.with_alpha : family.opaque;
}

namespace {

// Widths browsers commonly ask for (phones to 4K); a hint is rounded up to the next one.
constexpr uint32_t kWidthBuckets[] = {160, 240, 320, 480, 640, 750, 828, 1080, 1200, 1440, 1920, 2048, 2560, 3840};

// A positive number from the first of `names` present; 0 when none is (or it is malformed).
double hint(const RequestHeaders& headers, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const std::string value(headers.get(name));
    if (value.empty()) continue;
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    return *end == 0 && number > 0 && number < 100000 ? number : 0;
  }
  return 0;
}

// The client hints that width=auto reads; the legacy names are still sent by some browsers.
const char* const kWidthHints[] = {"Sec-CH-Width", "Width", "Sec-CH-Viewport-Width", "Viewport-Width", "Sec-CH-DPR",
                                   "DPR"};

}  // namespace

uint32_t hinted_width(const RequestHeaders& headers) {
  double width = hint(headers, {"Sec-CH-Width", "Width"});  // already in physical pixels
  if (width == 0) {
    const double viewport = hint(headers, {"Sec-CH-Viewport-Width", "Viewport-Width"});  // CSS pixels
    const double dpr = hint(headers, {"Sec-CH-DPR", "DPR"});
    width = viewport * (dpr > 0 ? std::min(dpr, 4.0) : 1);
  }
  if (width == 0) return 0;
  for (const uint32_t bucket : kWidthBuckets)
    if (width <= bucket) return bucket;
  return kWidthBuckets[sizeof(kWidthBuckets) / sizeof(kWidthBuckets[0]) - 1];
}

Negotiation negotiate(const Options& options, const RequestHeaders& headers) {
  ++core_counters.negotiated;
  Negotiation result;
  result.options = options;
  AcceptedTypes accepted = parse_accept(headers.get("Accept"));
  // compression=fast (Cloudflare's meaning): the quickest format to encode wins over the smallest, so
  // format=auto answers in the source's JPEG/PNG family instead of AVIF or WebP.
  if (options.fast_compression) accepted = {};
  result.format = negotiate_format(options.format, accepted);
  if (result.format.vary_accept) result.vary.push_back("Accept");
  if (options.slow_connection_quality) {
    // The client's own report of a slow or metered connection (Save-Data and the network hints).
    const std::string_view ect = headers.get("ECT");
    const bool slow = headers.get("Save-Data") == "on" || ect == "slow-2g" || ect == "2g" || ect == "3g" ||
                      hint(headers, {"RTT"}) > 150 || (headers.has("Downlink") && hint(headers, {"Downlink"}) < 5);
    if (slow) result.options.quality = options.slow_connection_quality;
    for (const char* name : {"Save-Data", "ECT", "RTT", "Downlink"}) result.vary.push_back(name);
  }
  if (options.width_auto) {
    result.options.width = hinted_width(headers);
    // Caches must separate requests by every hint that could change the width: the standard names always,
    // the legacy ones when this client uses them.
    for (const char* name : kWidthHints)
      if (std::string_view(name).substr(0, 7) == "Sec-CH-" || headers.has(name)) result.vary.push_back(name);
  }
  return result;
}

const char* decision_token(const FormatDecision& decision) {
  if (decision.format == Format::unknown) return decision.vary_accept ? "source-negotiated" : "source";
  return codec_for(decision.format)->name;
}

}  // namespace edgepix
