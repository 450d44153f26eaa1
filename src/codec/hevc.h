// HEVC still pictures: libde265 decodes one coded picture from its decoder configuration record (hvcC's
// payload: the VPS/SPS/PPS) and the item's length-prefixed NAL units. No container knowledge: the caller
// (heic.cpp, over heif.h) says where the bitstream lives and what size the picture must have.
#pragma once
#include <cstdint>

#include "core/buffer.h"
#include "core/status.h"
#include "codec/yuv.h"

struct de265_image;

namespace edgepix::hevc {

// Whether a configuration record says the luma samples are wider than 8 bits (libde265 then hands over 16-bit
// words, twice the memory).
bool record_is_high_bitdepth(ByteView record);

// A decoded picture; it lives in its decoder, which this owns.
class Picture {
 public:
  Picture() = default;
  Picture(const Picture&) = delete;
  Picture& operator=(const Picture&) = delete;
  ~Picture();
  YuvPlanes planes() const;
  ColourInfo colour() const;  // as the bitstream's VUI signals it

 private:
  friend Status decode(ByteView, ByteView, uint32_t, uint32_t, Picture*);
  void* decoder_ = nullptr;  // de265_decoder_context
  const de265_image* image_ = nullptr;
};

// Decodes the one picture in `data` (NAL units, each behind a big-endian length of the size the record gives),
// after the record's parameter sets, into `picture`, which must come out width x height.
Status decode(ByteView record, ByteView data, uint32_t width, uint32_t height, Picture* picture);

}  // namespace edgepix::hevc
