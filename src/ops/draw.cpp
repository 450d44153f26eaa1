#include "ops/draw.h"

#include <algorithm>
#include <cmath>

#include "ops/colour.h"

namespace edgepix {

namespace {

// One channel of the result from the overlay's s (alpha a) and the base's d (alpha b), all premultiplied bytes.
// Every formula is monotone in s and d, so a colour never exceeds its alpha when the inputs' do not.
template <CompositeMode mode>
inline uint8_t blend(unsigned s, unsigned a, unsigned d, unsigned b) {
  unsigned c = 0;
  if (mode == CompositeMode::over) c = s + mul_div255(d, 255 - a);
  if (mode == CompositeMode::in) c = mul_div255(s, b);
  if (mode == CompositeMode::atop) c = mul_div255(s, b) + mul_div255(d, 255 - a);
  if (mode == CompositeMode::out) c = mul_div255(s, 255 - b);
  if (mode == CompositeMode::exclusive_or) c = mul_div255(s, 255 - b) + mul_div255(d, 255 - a);
  if (mode == CompositeMode::lighter) c = s + d;
  return uint8_t(std::min(c, 255u));  // the sums above may round one over
}

// Where the overlay's column (or row) for base coordinate `at` is, or -1 where it does not reach.
int64_t overlay_index(int64_t at, int64_t origin, int64_t size, bool repeat) {
  const int64_t i = at - origin;
  if (repeat) return ((i % size) + size) % size;
  return i >= 0 && i < size ? i : -1;
}

int64_t origin(const Anchor& anchor, uint32_t base_size, uint32_t overlay_size) {
  switch (anchor.from) {
    case Anchor::From::start: return anchor.offset;
    case Anchor::From::end: return int64_t(base_size) - anchor.offset - overlay_size;
    default: return (int64_t(base_size) - int64_t(overlay_size)) / 2;
  }
}

struct Layout {
  int64_t x, y;             // the overlay's top-left corner in the base (one tile's, when tiled)
  unsigned opacity;         // 0..255
  uint32_t base_channels, overlay_channels;
};

template <CompositeMode mode>
Status composite(const Image& base, const Image& overlay, const DrawOptions& options, const Layout& layout,
                 Budget* budget, Image* out) {
  for (uint32_t y = 0; y < base.height; ++y) {
    EP_TRY(charge(budget, base.width));
    const int64_t oy = overlay_index(y, layout.y, overlay.height, options.repeat_y);
    const uint8_t* d = base.row(y);
    uint8_t* o = out->row(y);
    for (uint32_t x = 0; x < base.width; ++x, d += layout.base_channels, o += out->channels) {
      const int64_t ox = oy < 0 ? -1 : overlay_index(x, layout.x, overlay.width, options.repeat_x);
      unsigned s[4] = {0, 0, 0, 0};  // transparent where the overlay does not reach
      if (ox >= 0) {
        const uint8_t* p = overlay.row(uint32_t(oy)) + size_t(ox) * layout.overlay_channels;
        const uint8_t alpha = layout.overlay_channels == 4 ? p[3] : 255;
        for (int c = 0; c < 3; ++c) s[c] = mul_div255(p[c], layout.opacity);
        s[3] = mul_div255(alpha, layout.opacity);
      }
      const unsigned b = layout.base_channels == 4 ? d[3] : 255;
      for (int c = 0; c < 3; ++c) o[c] = blend<mode>(s[c], s[3], d[c], b);
      if (out->channels == 4) o[3] = blend<mode>(s[3], s[3], b, b);
    }
  }
  return {};
}

using Compositor = Status (*)(const Image&, const Image&, const DrawOptions&, const Layout&, Budget*, Image*);
// One instance per mode, in CompositeMode's order.
const Compositor kCompositors[] = {composite<CompositeMode::over>, composite<CompositeMode::in>,
                                   composite<CompositeMode::atop>, composite<CompositeMode::out>,
                                   composite<CompositeMode::exclusive_or>, composite<CompositeMode::lighter>};

bool keeps_opaque(CompositeMode mode) {
  return mode == CompositeMode::over || mode == CompositeMode::atop || mode == CompositeMode::lighter;
}

bool drawable(const Image& image) {
  return !image.ycbcr && (image.channels == 3 || (image.channels == 4 && image.premultiplied));
}

}  // namespace

Result<Image> draw(const Image& base, const Image& overlay, const DrawOptions& options, Budget* budget) {
  if (!drawable(base) || !drawable(overlay))
    return error(ErrorCode::internal, "draw needs RGB or premultiplied RGBA pixels");
  if (overlay.width == 0 || overlay.height == 0) return error(ErrorCode::internal, "draw needs a non-empty overlay");
  const uint32_t channels = base.channels == 4 || !keeps_opaque(options.mode) ? 4 : 3;
  Result<Image> out = Image::allocate(base.width, base.height, channels);
  if (!out.ok()) return out;
  out->premultiplied = channels == 4;
  const Layout layout{origin(options.x, base.width, overlay.width), origin(options.y, base.height, overlay.height),
                      unsigned(std::lround(std::clamp(options.opacity, 0.0, 1.0) * 255)), base.channels,
                      overlay.channels};
  EP_TRY(kCompositors[size_t(options.mode)](base, overlay, options, layout, budget, &out.value()));
  return out;
}

}  // namespace edgepix
