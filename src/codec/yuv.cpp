#include "codec/yuv.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace edgepix {
namespace {

// Sample → 8-bit contribution tables in 1/256ths for one bit depth, range and matrix; a lookup per sample
// keeps every bit depth and range on the same fast path.
struct YuvTables {
  std::vector<int32_t> y, cr_r, cb_g, cr_g, cb_b;
  bool identity = false;

  YuvTables(int bits, const ColourInfo& info) {
    const int count = 1 << bits;
    const double scale = double(1 << (bits - 8));
    y.resize(count);
    cr_r.resize(count);
    cb_g.resize(count);
    cr_g.resize(count);
    cb_b.resize(count);
    double kr = 0.299, kb = 0.114;  // BT.601 (5, 6) and unspecified (2), as JPEG
    if (info.matrix == 1) kr = 0.2126, kb = 0.0722;
    if (info.matrix == 9 || info.matrix == 10) kr = 0.2627, kb = 0.0593;
    identity = info.matrix == 0;
    const double kg = 1 - kr - kb;
    for (int v = 0; v < count; ++v) {
      const double luma = info.full_range ? v / ((count - 1) / 255.0) : (v - 16 * scale) * 255.0 / (219 * scale);
      const double chroma = info.full_range ? (v - 128 * scale) / ((count - 1) / 255.0)
                                            : (v - 128 * scale) * 255.0 / (224 * scale);
      y[v] = int32_t(luma * 256);
      if (identity) {  // GBR: every plane is a colour channel, scaled like luma
        cr_r[v] = cb_b[v] = int32_t(luma * 256);
        cb_g[v] = cr_g[v] = 0;
        continue;
      }
      cr_r[v] = int32_t(chroma * (2 - 2 * kr) * 256);
      cb_g[v] = int32_t(-chroma * (2 * kb * (1 - kb) / kg) * 256);
      cr_g[v] = int32_t(-chroma * (2 * kr * (1 - kr) / kg) * 256);
      cb_b[v] = int32_t(chroma * (2 - 2 * kb) * 256);
    }
  }
};

inline uint8_t clamp8(int32_t v) { return uint8_t(std::clamp((v + 128) >> 8, 0, 255)); }

// One chroma plane at full width for luma row `y`. Subsampled planes are interpolated as libjpeg's "fancy"
// upsampling does (chroma sited between luma samples: 3/4 of the nearer sample, 1/4 of the farther, on each
// subsampled axis), so colour edges stay smooth when the image is enlarged.
template <class Sample>
void chroma_row(const YuvPlanes& picture, int plane, uint32_t y, int ssx, int ssy, uint32_t w, uint16_t* out) {
  const uint32_t cw = (uint32_t(picture.width) + ssx) >> ssx, ch = (uint32_t(picture.height) + ssy) >> ssy;
  const auto row = [&](uint32_t cy) {
    return reinterpret_cast<const Sample*>(picture.data[plane] +
                                           ptrdiff_t(cy) * picture.stride[1]);
  };
  const uint32_t near_y = y >> ssy;
  const uint32_t far_y = !ssy ? near_y : (y & 1) ? std::min(near_y + 1, ch - 1) : (near_y ? near_y - 1 : 0);
  const Sample* a = row(near_y);
  const Sample* b = row(far_y);
  const auto column = [&](uint32_t cx) { return ssy ? 3 * a[cx] + b[cx] : 4 * a[cx]; };  // in quarters
  if (!ssx) {
    for (uint32_t x = 0; x < w; ++x) out[x] = uint16_t((column(x) + 2) >> 2);
    return;
  }
  for (uint32_t x = 0; x < w; ++x) {
    const uint32_t cx = x >> 1;
    const uint32_t far_x = (x & 1) ? std::min(cx + 1, cw - 1) : (cx ? cx - 1 : 0);
    out[x] = uint16_t((3 * column(cx) + column(far_x) + 8) >> 4);
  }
}

template <class Sample>
void yuv_to_rgb_as(const YuvPlanes& picture, const YuvTables& t, Image* image, uint32_t dx, uint32_t dy) {
  const uint32_t w = std::min<uint32_t>(picture.width, image->width - dx);
  const uint32_t h = std::min<uint32_t>(picture.height, image->height - dy);
  const bool mono = picture.mono;
  const int ssx = picture.ssx;
  const int ssy = picture.ssy;
  const uint32_t channels = image->channels;
  const int32_t mask = int32_t(t.y.size()) - 1;  // guards the tables against out-of-range samples
  std::vector<uint16_t> cb(mono ? 0 : w), cr(mono ? 0 : w);
  for (uint32_t y = 0; y < h; ++y) {
    const Sample* luma = reinterpret_cast<const Sample*>(picture.data[0] +
                                                         ptrdiff_t(y) * picture.stride[0]);
    uint8_t* out = image->row(dy + y) + size_t(dx) * channels;
    if (mono) {
      for (uint32_t x = 0; x < w; ++x, out += channels) out[0] = out[1] = out[2] = clamp8(t.y[luma[x] & mask]);
      continue;
    }
    chroma_row<Sample>(picture, 1, y, ssx, ssy, w, cb.data());
    chroma_row<Sample>(picture, 2, y, ssx, ssy, w, cr.data());
    if (t.identity) {
      for (uint32_t x = 0; x < w; ++x, out += channels) {
        out[0] = clamp8(t.cr_r[cr[x] & mask]);
        out[1] = clamp8(t.y[luma[x] & mask]);
        out[2] = clamp8(t.cb_b[cb[x] & mask]);
      }
      continue;
    }
    for (uint32_t x = 0; x < w; ++x, out += channels) {
      const int32_t Y = t.y[luma[x] & mask], u = cb[x] & mask, v = cr[x] & mask;
      out[0] = clamp8(Y + t.cr_r[v]);
      out[1] = clamp8(Y + t.cb_g[u] + t.cr_g[v]);
      out[2] = clamp8(Y + t.cb_b[u]);
    }
  }
}

template <class Sample>
void luma_to_alpha_as(const YuvPlanes& picture, bool full_range, Image* image, uint32_t dx, uint32_t dy) {
  const uint32_t w = std::min<uint32_t>(picture.width, image->width - dx);
  const uint32_t h = std::min<uint32_t>(picture.height, image->height - dy);
  const int bits = picture.bits;
  const int32_t max = (1 << bits) - 1, scale = 1 << (bits - 8);
  for (uint32_t y = 0; y < h; ++y) {
    const Sample* luma = reinterpret_cast<const Sample*>(picture.data[0] +
                                                         ptrdiff_t(y) * picture.stride[0]);
    uint8_t* out = image->row(dy + y) + size_t(dx) * 4 + 3;
    for (uint32_t x = 0; x < w; ++x, out += 4) {
      const int32_t v = std::min<int32_t>(luma[x], max);
      const int32_t a = full_range ? (v * 255 + max / 2) / max : ((v - 16 * scale) * 255 + 219 * scale / 2) / (219 * scale);
      *out = uint8_t(std::clamp(a, 0, 255));
    }
  }
}

}  // namespace

void yuv_to_rgb(const YuvPlanes& picture, const ColourInfo& info, Image* image, uint32_t dx, uint32_t dy) {
  const YuvTables tables(picture.bits, info);
  if (picture.bits > 8) yuv_to_rgb_as<uint16_t>(picture, tables, image, dx, dy);
  else yuv_to_rgb_as<uint8_t>(picture, tables, image, dx, dy);
}

void luma_to_alpha(const YuvPlanes& picture, bool full_range, Image* image, uint32_t dx, uint32_t dy) {
  if (picture.bits > 8) luma_to_alpha_as<uint16_t>(picture, full_range, image, dx, dy);
  else luma_to_alpha_as<uint8_t>(picture, full_range, image, dx, dy);
}

void rgb_to_yuv420(const Image& image, bool alpha, const Yuv420Planes& planes) {
  const uint32_t w = image.width, h = image.height, channels = image.channels;
  for (uint32_t y = 0; y < h; ++y) {
    const uint8_t* in = image.row(y);
    uint8_t* luma = planes.data[0] + ptrdiff_t(y) * planes.stride[0];
    if (alpha) {
      for (uint32_t x = 0; x < w; ++x) luma[x] = in[x * 4 + 3];
    } else {
      for (uint32_t x = 0; x < w; ++x, in += channels)
        luma[x] = uint8_t((19595 * in[0] + 38470 * in[1] + 7471 * in[2] + 32768) >> 16);
    }
  }
  const uint32_t cw = (w + 1) / 2, ch = (h + 1) / 2;
  for (uint32_t cy = 0; cy < ch; ++cy) {
    uint8_t* cb = planes.data[1] + ptrdiff_t(cy) * planes.stride[1];
    uint8_t* cr = planes.data[2] + ptrdiff_t(cy) * planes.stride[2];
    if (alpha) {
      std::memset(cb, 128, cw);
      std::memset(cr, 128, cw);
      continue;
    }
    const uint8_t* row0 = image.row(2 * cy);
    const uint8_t* row1 = image.row(std::min(2 * cy + 1, h - 1));
    for (uint32_t cx = 0; cx < cw; ++cx) {
      const uint32_t x0 = 2 * cx * channels, x1 = std::min(2 * cx + 1, w - 1) * channels;
      int32_t sum[3];
      for (int k = 0; k < 3; ++k) sum[k] = row0[x0 + k] + row0[x1 + k] + row1[x0 + k] + row1[x1 + k];
      // Sums of four samples: the coefficients carry the / 4.
      cb[cx] = uint8_t(std::clamp((-11059 * sum[0] - 21709 * sum[1] + 32768 * sum[2] + (128 << 18) + (1 << 17)) >> 18, 0, 255));
      cr[cx] = uint8_t(std::clamp((32768 * sum[0] - 27439 * sum[1] - 5329 * sum[2] + (128 << 18) + (1 << 17)) >> 18, 0, 255));
    }
  }
}

}  // namespace edgepix
