#include "codec/exif.h"

namespace edgepix {

namespace {
struct TiffReader {
  ByteView bytes;
  bool little_endian;
  bool u16(size_t at, uint16_t* out) const {
    if (at + 2 > bytes.size) return false;
    const uint8_t* p = bytes.data + at;
    *out = little_endian ? uint16_t(p[0] | p[1] << 8) : uint16_t(p[0] << 8 | p[1]);
    return true;
  }
  bool u32(size_t at, uint32_t* out) const {
    if (at + 4 > bytes.size) return false;
    const uint8_t* p = bytes.data + at;
    *out = little_endian ? uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24
                         : uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
    return true;
  }
};
}  // namespace

uint8_t exif_orientation(ByteView tiff) {
  if (tiff.size < 8) return 1;
  TiffReader reader{tiff, tiff.data[0] == 'I' && tiff.data[1] == 'I'};
  if (!reader.little_endian && !(tiff.data[0] == 'M' && tiff.data[1] == 'M')) return 1;
  uint16_t magic = 0, entries = 0;
  uint32_t ifd0 = 0;
  if (!reader.u16(2, &magic) || magic != 42 || !reader.u32(4, &ifd0) || !reader.u16(ifd0, &entries)) return 1;
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t entry = size_t(ifd0) + 2 + size_t(i) * 12;
    uint16_t tag = 0, type = 0, value = 0;
    if (!reader.u16(entry, &tag) || !reader.u16(entry + 2, &type)) return 1;
    if (tag != 0x0112) continue;
    if (type != 3 || !reader.u16(entry + 8, &value)) return 1;  // SHORT, stored inline
    return value >= 1 && value <= 8 ? uint8_t(value) : 1;
  }
  return 1;
}

}  // namespace edgepix
