// A request as the host sends it: the options (URL string or binding JSON), the overlays to draw, and the limits.
// Its inputs are a list of images: index 0 the base, the others the overlays' sources (Overlay::input).
//   {"options":"width=400,format=auto"}
//   {"transform":{"width":400,"fit":"cover"},"output":{"format":"image/webp","quality":80},
//    "draw":[{"input":1,"bottom":10,"right":10,"opacity":0.8,"transform":{"width":100}}],
//    "limits":{"maxSourcePixels":25000000}}
// A text that is not a JSON object is read as a bare URL option string.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "ops/draw.h"
#include "plan/options.h"

namespace edgepix {

// Tiling: none, across the whole image, or along one axis.
enum class Repeat : uint8_t { none, both, x, y };

// One draw([...]) entry, applied to the base image after its own transform, in list order (the last on top).
struct Overlay {
  uint32_t input = 1;  // index into the request's inputs; 0 is the base and cannot be drawn on itself
  // Distances from the base image's edges, in output pixels; an unset pair centres the overlay on that axis.
  std::optional<int32_t> top, left, bottom, right;
  double opacity = 1;  // 0..1
  Repeat repeat = Repeat::none;
  CompositeMode composite = CompositeMode::over;  // the binding's `composite`: Porter-Duff (ops/draw.h)
  Options options;     // the overlay's own transform (width, height, fit, rotate, ...)
};

struct Request {
  Options options;
  std::vector<Overlay> overlays;
  Limits limits;
  // "keepGps": true — the host's moderation policy lets metadata=keep deliver GPS (else it is stripped).
  bool keep_gps = false;
};

constexpr size_t kMaxOverlays = 16;

Result<Request> parse_request(std::string_view text);
// What the output depends on in the request, spelled canonically: the options' rows, then each overlay, then any
// limit the host lowered (a lower memory limit can turn AVIF into WebP, so limits are part of the decision), then
// ",gps=keep" when metadata=keep delivers GPS (only then does keepGps change the bytes).
std::string canonical_request(const Request& request);

}  // namespace edgepix
