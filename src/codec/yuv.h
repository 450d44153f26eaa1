// YCbCr ↔ RGB for AV1 pictures (AVIF): every bit depth (8–12), chroma layout, matrix and range a decoder can
// hand over, into our 8-bit RGB(A); and RGB(A) into the 8-bit 4:2:0 planes we encode.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/image.h"

namespace edgepix {

// A decoded picture's planes, as any AV1 decoder lays them out. Samples above 8 bits are 16-bit words.
struct YuvPlanes {
  const uint8_t* data[3] = {};
  ptrdiff_t stride[2] = {};  // luma, chroma (bytes)
  uint32_t width = 0, height = 0;
  int bits = 8;
  bool mono = false;    // 4:0:0
  int ssx = 0, ssy = 0;  // chroma subsampling: 4:2:0 is (1, 1), 4:2:2 (1, 0), 4:4:4 (0, 0)
};

struct ColourInfo {
  int matrix = 6;  // ISO/IEC 23091-2 matrix coefficients
  bool full_range = true;
};

// Writes the picture's colour into `image` at (dx, dy), clipped to the image (a grid tile may overhang).
void yuv_to_rgb(const YuvPlanes& picture, const ColourInfo& info, Image* image, uint32_t dx, uint32_t dy);
// Writes the picture's luma into the alpha channel (channel 3) of `image` at (dx, dy), clipped.
void luma_to_alpha(const YuvPlanes& picture, bool full_range, Image* image, uint32_t dx, uint32_t dy);

struct Yuv420Planes {
  uint8_t* data[3] = {};
  ptrdiff_t stride[3] = {};
};
// BT.601 full-range YCbCr 4:2:0 of the RGB (chroma from each 2×2 block's mean), as JPEG; or, for `alpha`, the
// alpha channel as luma with neutral chroma.
void rgb_to_yuv420(const Image& image, bool alpha, const Yuv420Planes& planes);

}  // namespace edgepix
