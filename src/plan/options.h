// A request's options parsed into one typed struct, from either form Cloudflare clients write: the URL option
// string (`width=400,fit=cover,format=auto`) or the Images binding's JSON (`transform({...})`, `output({...})`).
// One table, kOptions in options.cpp, is the single source of truth for option names, aliases, ranges, JSON
// names and the canonical spelling. Every error names the option at fault.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/metadata.h"
#include "core/image.h"
#include "core/status.h"

namespace edgepix {

enum class Fit : uint8_t { scale_down, contain, cover, crop, pad, squeeze };
enum class FormatRequest : uint8_t { original, automatic, jpeg, baseline_jpeg, png, webp, avif, json };

// Where a crop keeps the image: a side, the centre, a focal point (fractions of width and height), or the
// most salient region (automatic).
struct Gravity {
  enum class Kind : uint8_t { center, left, right, top, bottom, point, automatic } kind = Kind::center;
  double x = 0.5, y = 0.5;  // for point
};

struct Edges {
  uint32_t top = 0, right = 0, bottom = 0, left = 0;
  bool any() const { return top || right || bottom || left; }
};

struct Options {
  uint32_t width = 0;   // 0: not given
  bool width_auto = false;  // width=auto: from client hints (negotiate.h), if the client sends them
  uint32_t height = 0;
  Fit fit = Fit::scale_down;
  Gravity gravity;
  int quality = 0;      // 0: the format's default
  int slow_connection_quality = 0;  // used instead of quality when the client says its connection is slow
  FormatRequest format = FormatRequest::original;
  double dpr = 1;
  Rgba background = {255, 255, 255, 255};
  uint16_t rotate = 0;  // 0, 90, 180, 270 clockwise, after EXIF orientation
  bool flip_horizontal = false;
  bool flip_vertical = false;
  Edges trim;           // pixels cut from the upright source before resizing
  bool trim_border = false;  // trim a uniform border, found from the pixels
  double sharpen = 0;   // 0..10
  double blur = 0;      // 0 or 1..250 (radius in output pixels)
  double brightness = 1, contrast = 1, gamma = 1, saturation = 1;  // 1: unchanged
  Edges border;         // added around the output, in border_colour
  Rgba border_colour = {0, 0, 0, 255};
  bool animate = true;  // anim=false: the first frame only
  bool fast_compression = false;  // compression=fast: format=auto prefers quick JPEG/PNG over AVIF/WebP
  MetadataPolicy metadata = MetadataPolicy::copyright;  // Cloudflare's default
  bool redirect_on_error = false;  // onerror=redirect: the Worker answers a failed transform with the original
};

class JsonValue;

Result<Options> parse_options(std::string_view text);
// The binding's form: `transform` holds transform({...})'s options (width, fit, gravity, trim, border, ...),
// `output` output({...})'s (format as a media type or a URL word, quality, background, anim); either may be null.
// Each value goes through the same row as its URL spelling, so both forms give the same Options.
Result<Options> parse_options_json(const JsonValue* transform, const JsonValue* output);
// A canonical spelling of the options, written by the table's rows (fixed order, defaults of the core few
// explicit, dpr folded into the sizes), so that requests meaning the same thing share one cache entry. The
// format is left out: it is a negotiated decision (see negotiate.h).
std::string canonical_options(const Options& options);
const char* fit_name(Fit fit);

}  // namespace edgepix
