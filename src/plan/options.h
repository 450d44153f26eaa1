// The option string of a request (Cloudflare's syntax: `width=400,fit=cover,format=auto`) parsed into one
// typed struct. This file is the single source of truth for option names, aliases and ranges: see kOptions in
// options.cpp. Every error names the option at fault.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/image.h"
#include "core/status.h"

namespace edgepix {

enum class Fit : uint8_t { scale_down, contain, cover, crop, pad };
enum class FormatRequest : uint8_t { original, automatic, jpeg, png, webp };

struct Options {
  uint32_t width = 0;   // 0: not given
  bool width_auto = false;  // width=auto: from client hints (negotiate.h), if the client sends them
  uint32_t height = 0;
  Fit fit = Fit::scale_down;
  int quality = 0;      // 0: the format's default
  FormatRequest format = FormatRequest::original;
  double dpr = 1;
  Rgba background = {255, 255, 255, 255};
};

Result<Options> parse_options(std::string_view text);
// A canonical spelling of the options (fixed order, defaults explicit, dpr folded into the sizes), so that
// differently written URLs meaning the same thing share one cache entry. The format is left out: it is a
// negotiated decision (see negotiate.h).
std::string canonical_options(const Options& options);
const char* fit_name(Fit fit);

}  // namespace edgepix
