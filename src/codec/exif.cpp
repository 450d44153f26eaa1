#include "codec/exif.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "codec/metadata.h"
#include "core/bytes.h"

namespace edgepix {

namespace {
struct TiffReader {
  ByteView bytes;
  bool little_endian;
  bool u16(size_t at, uint16_t* out) const {
    if (at + 2 > bytes.size) return false;
    const uint8_t* p = bytes.data + at;
    *out = little_endian ? le16(p) : be16(p);
    return true;
  }
  bool u32(size_t at, uint32_t* out) const {
    if (at + 4 > bytes.size) return false;
    const uint8_t* p = bytes.data + at;
    *out = little_endian ? le32(p) : be32(p);
    return true;
  }
};

// Calls visit(entry_offset, tag, type, count) for each IFD0 entry; false when the structure is malformed.
template <class Visit>
bool for_each_ifd0_entry(const TiffReader& reader, Visit visit) {
  uint16_t magic = 0, entries = 0;
  uint32_t ifd0 = 0;
  if (reader.bytes.size < 8 || !reader.u16(2, &magic) || magic != 42 || !reader.u32(4, &ifd0) ||
      !reader.u16(ifd0, &entries))
    return false;
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t entry = size_t(ifd0) + 2 + size_t(i) * 12;
    uint16_t tag = 0, type = 0;
    uint32_t count = 0;
    if (!reader.u16(entry, &tag) || !reader.u16(entry + 2, &type) || !reader.u32(entry + 4, &count)) return false;
    visit(entry, tag, type, count);
  }
  return true;
}

TiffReader reader_for(ByteView tiff) {
  return {tiff, tiff.size >= 2 && tiff.data[0] == 'I' && tiff.data[1] == 'I'};
}

}  // namespace

std::string exif_copyright_only(const std::string& tiff_text) {
  const ByteView tiff{reinterpret_cast<const uint8_t*>(tiff_text.data()), tiff_text.size()};
  const TiffReader reader = reader_for(tiff);
  std::string copyright;
  for_each_ifd0_entry(reader, [&](size_t entry, uint16_t tag, uint16_t type, uint32_t count) {
    if (tag != 0x8298 || type != 2 || count == 0 || count > 4096) return;  // ASCII Copyright
    uint32_t offset = uint32_t(entry + 8);
    if (count > 4 && !reader.u32(entry + 8, &offset)) return;
    if (size_t(offset) + count <= tiff.size) copyright.assign(reinterpret_cast<const char*>(tiff.data) + offset, count);
  });
  if (copyright.empty()) return {};
  // A new little-endian TIFF: header, IFD0 with the one entry, no next IFD, then the text.
  std::string out("II*\0\x08\0\0\0", 8);
  const auto put16 = [&](uint16_t v) { out.push_back(char(v & 255)), out.push_back(char(v >> 8)); };
  const auto put32 = [&](uint32_t v) { put16(uint16_t(v & 0xffff)), put16(uint16_t(v >> 16)); };
  put16(1);
  put16(0x8298);
  put16(2);
  put32(uint32_t(copyright.size()));
  if (copyright.size() <= 4) {
    std::string inline_value = copyright;
    inline_value.resize(4, '\0');
    out += inline_value;
    put32(0);
  } else {
    put32(26);  // 8 header + 2 count + 12 entry + 4 next-IFD
    put32(0);
    out += copyright;
  }
  return out;
}

void exif_reset_orientation(std::string* tiff_text) {
  const ByteView tiff{reinterpret_cast<const uint8_t*>(tiff_text->data()), tiff_text->size()};
  const TiffReader reader = reader_for(tiff);
  for_each_ifd0_entry(reader, [&](size_t entry, uint16_t tag, uint16_t type, uint32_t) {
    // The walk checks an entry's tag, type and count only: a last entry cut short may have no value field.
    uint16_t value = 0;
    if (tag != 0x0112 || type != 3 || !reader.u16(entry + 8, &value)) return;
    (*tiff_text)[entry + 8] = reader.little_endian ? 1 : 0;
    (*tiff_text)[entry + 9] = reader.little_endian ? 0 : 1;
  });
}

namespace {
// Bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE); 0: unknown, its values are left alone.
size_t tiff_type_size(uint16_t type) {
  static const uint8_t kSizes[] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8};
  return type < sizeof(kSizes) ? kSizes[type] : 0;
}

void zero_bytes(std::string* text, size_t at, size_t size) {
  if (at >= text->size()) return;
  std::fill_n(text->begin() + std::ptrdiff_t(at), std::min(size, text->size() - at), '\0');
}

// Zeroes an IFD's entries, next-IFD offset and the values stored outside it.
void zero_ifd(const TiffReader& reader, uint32_t ifd, std::string* tiff_text) {
  uint16_t entries = 0;
  if (!reader.u16(ifd, &entries)) return;
  for (uint32_t i = 0; i < entries; ++i) {
    const size_t entry = size_t(ifd) + 2 + size_t(i) * 12;
    uint16_t type = 0;
    uint32_t count = 0, offset = 0;
    if (!reader.u16(entry + 2, &type) || !reader.u32(entry + 4, &count) || !reader.u32(entry + 8, &offset)) break;
    const uint64_t size = uint64_t(tiff_type_size(type)) * count;
    if (size > 4 && size <= reader.bytes.size) zero_bytes(tiff_text, offset, size_t(size));
  }
  zero_bytes(tiff_text, ifd, 2 + size_t(entries) * 12 + 4);
}
}  // namespace

void exif_strip_gps(std::string* tiff_text) {
  // The reader reads a copy: the text is rewritten below.
  const std::string original = *tiff_text;
  const TiffReader reader = reader_for({reinterpret_cast<const uint8_t*>(original.data()), original.size()});
  size_t pointer_entry = 0;
  uint32_t gps_ifd = 0, ifd0 = 0;
  uint16_t entries = 0;
  const bool parsed = for_each_ifd0_entry(reader, [&](size_t entry, uint16_t tag, uint16_t, uint32_t) {
    if (tag == 0x8825 && !pointer_entry && reader.u32(entry + 8, &gps_ifd)) pointer_entry = entry;
  });
  if (!parsed || !pointer_entry || !reader.u32(4, &ifd0) || !reader.u16(ifd0, &entries)) return;
  zero_ifd(reader, gps_ifd, tiff_text);
  // Later entries and the next-IFD offset move up over the pointer's entry; the freed 12 bytes at the end are zero.
  const size_t ifd_end = std::min(original.size(), size_t(ifd0) + 2 + size_t(entries) * 12 + 4);
  const std::string tail = original.substr(pointer_entry + 12, ifd_end - std::min(ifd_end, pointer_entry + 12));
  tiff_text->replace(pointer_entry, tail.size(), tail);
  zero_bytes(tiff_text, pointer_entry + tail.size(), 12);
  const uint16_t fewer = uint16_t(entries - 1);
  (*tiff_text)[ifd0] = char(reader.little_endian ? fewer & 255 : fewer >> 8);
  (*tiff_text)[ifd0 + 1] = char(reader.little_endian ? fewer >> 8 : fewer & 255);
}

ByteView without_exif_prefix(ByteView block) {
  if (block.size >= kExifPrefixSize && std::memcmp(block.data, kExifPrefix, kExifPrefixSize) == 0)
    return {block.data + kExifPrefixSize, block.size - kExifPrefixSize};
  return block;
}

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
