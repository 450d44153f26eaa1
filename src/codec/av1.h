// AV1 still pictures: aom encodes one key frame, dav1d decodes one; OBUs in and out, and the codec
// configuration record (av1C's payload) derived from them. No container knowledge: the caller (avif.cpp, over
// heif.h) says where the bitstream lives and what size the picture must have.
#pragma once
#include <dav1d/dav1d.h>

#include <cstdint>
#include <string>

#include "codec/codec.h"
#include "codec/yuv.h"

namespace edgepix::av1 {

// aom's speed (0 slowest .. 9 fastest) for an image of `pixels`: the plan's memory estimate depends on it.
constexpr int kFastSpeed = 9;
int speed_for(const EncodeSettings& settings, uint64_t pixels);
// Budget units (plan/work.h) aom is charged per pixel of each picture it encodes (colour, and alpha when present),
// before it starts: it reports no progress. About its time per pixel against one pass of libjpeg's over a pixel
// (~2 ns natively): ~200 ns at speed 6, ~20 ns at 9 (README.md, "AVIF").
constexpr uint64_t kSlowSpeedUnitsPerPixel = 100, kFastSpeedUnitsPerPixel = 10;

// An encoded frame's OBUs without temporal delimiters (AV1-in-ISOBMFF wants none in an item), and the sequence
// header OBU on its own for the configuration record.
struct Frame {
  std::string obus;
  std::string sequence_header;
};

// The image's colour as 8-bit 4:2:0 (BT.601 full range, sRGB primaries and transfer, as JPEG) or, with
// `alpha`, its alpha channel as a monochrome picture.
Result<Frame> encode(const Image& image, bool alpha, const EncodeSettings& settings);
// The AV1 codec configuration record (AV1-ISOBMFF §2.3) of a frame encode() wrote.
std::string configuration_record(const Frame& frame, bool monochrome);
// Whether a configuration record says the samples are wider than 8 bits.
bool record_is_high_bitdepth(ByteView record);

struct Picture {
  Dav1dPicture p{};
  Picture() = default;
  Picture(const Picture&) = delete;
  Picture& operator=(const Picture&) = delete;
  ~Picture() { dav1d_picture_unref(&p); }
  YuvPlanes planes() const;
  ColourInfo colour() const;  // as the sequence header signals it
};

// Decodes one key frame's OBUs into `picture`, which must come out width x height.
Status decode(ByteView obus, uint32_t width, uint32_t height, Picture* picture);

}  // namespace edgepix::av1
