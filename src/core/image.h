// The pixel vocabulary shared by codecs and operations: 8-bit interleaved RGB or RGBA, rows packed.
// Alpha travels premultiplied through resampling (no dark fringes); `premultiplied` says which form a buffer is in.
#pragma once
#include <cstdint>

#include "core/buffer.h"
#include "core/status.h"

namespace edgepix {

struct Image {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t channels = 0;  // 3 (RGB) or 4 (RGBA)
  bool premultiplied = false;
  // JPEG's YCbCr (JFIF: BT.601, full range) instead of RGB: only from a JPEG decoder to a JPEG encoder, through
  // steps that are the same on any three channels (pipeline.cpp says which).
  bool ycbcr = false;
  Buffer pixels;

  size_t stride() const { return size_t(width) * channels; }
  uint8_t* row(uint32_t y) { return pixels.data() + y * stride(); }
  const uint8_t* row(uint32_t y) const { return pixels.data() + y * stride(); }
  bool has_alpha() const { return channels == 4; }

  static Result<Image> allocate(uint32_t width, uint32_t height, uint32_t channels) {
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    if (!image.pixels.resize(size_t(width) * height * channels))
      return error(ErrorCode::out_of_memory, "out of memory for a " + std::to_string(width) + "x" +
                                                 std::to_string(height) + " image");
    return image;
  }
  // Pixels in the same form as `like` (channels, premultiplied, YCbCr) at another size.
  static Result<Image> allocate_like(const Image& like, uint32_t width, uint32_t height) {
    Result<Image> image = allocate(width, height, like.channels);
    if (image.ok()) {
      image->premultiplied = like.premultiplied;
      image->ycbcr = like.ycbcr;
    }
    return image;
  }
};

// A rectangle of pixels, in the coordinates of the image it is applied to.
struct Rect {
  uint32_t x = 0, y = 0, width = 0, height = 0;
};

// A rectangle in fractional pixels: where a crop lands in a scaled decode (at 5/8, source pixel 180 is decoded
// pixel 112.5), which rounding to whole pixels would shift by up to half a pixel.
struct Window {
  double x = 0, y = 0, width = 0, height = 0;
};
inline Window window_of(const Rect& r) { return {double(r.x), double(r.y), double(r.width), double(r.height)}; }

struct Rgba {
  uint8_t r = 255, g = 255, b = 255, a = 255;
};

}  // namespace edgepix
