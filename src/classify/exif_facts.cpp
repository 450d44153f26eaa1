#include "classify/exif_facts.h"

#include <cctype>
#include <string>

#include "codec/metadata.h"
#include "core/bytes.h"

namespace edgepix {
namespace {

constexpr uint16_t kModel = 0x0110, kDateTime = 0x0132, kExifIfd = 0x8769, kGpsIfd = 0x8825;
constexpr uint16_t kDateTimeOriginal = 0x9003, kGpsVersion = 0x0000;
constexpr uint16_t kAscii = 2, kLong = 4;
constexpr size_t kMaxText = 128;

struct Tiff {
  ByteView bytes;
  bool little_endian = false;
  bool fits(size_t at, size_t size) const { return at <= bytes.size && size <= bytes.size - at; }
  uint16_t u16(size_t at) const { return little_endian ? le16(bytes.data + at) : be16(bytes.data + at); }
  uint32_t u32(size_t at) const { return little_endian ? le32(bytes.data + at) : be32(bytes.data + at); }
};

struct Entry {
  uint16_t tag, type;
  uint32_t count;
  size_t at;  // of the entry (its value or offset is at + 8)
};

// Calls visit(entry) for each entry of the IFD at `offset`; false when it does not fit.
template <class Visit>
bool for_each_entry(const Tiff& tiff, uint32_t offset, Visit visit) {
  if (!tiff.fits(offset, 2)) return false;
  const uint16_t count = tiff.u16(offset);
  if (!tiff.fits(size_t(offset) + 2, size_t(count) * 12)) return false;
  for (uint16_t i = 0; i < count; ++i) {
    const size_t at = size_t(offset) + 2 + size_t(i) * 12;
    visit(Entry{tiff.u16(at), tiff.u16(at + 2), tiff.u32(at + 4), at});
  }
  return true;
}

// An ASCII value, printable characters only, without the trailing NULs and spaces writers pad with.
std::optional<std::string> text_value(const Tiff& tiff, const Entry& entry) {
  if (entry.type != kAscii || entry.count == 0) return std::nullopt;
  const size_t at = entry.count <= 4 ? entry.at + 8 : tiff.u32(entry.at + 8);
  if (!tiff.fits(at, entry.count)) return std::nullopt;
  std::string text;
  for (uint32_t i = 0; i < entry.count && text.size() < kMaxText; ++i) {
    const char c = char(tiff.bytes.data[at + i]);
    if (c == 0) break;
    if (std::isprint(static_cast<unsigned char>(c))) text += c;
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return std::nullopt;
  return text;
}

// "2024:05:01 10:00:00" (EXIF's form) as "2024-05-01T10:00:00"; anything else (including the all-zero date
// cameras write when the clock is unset) as absent.
std::optional<std::string> iso_date(const std::optional<std::string>& exif_date) {
  if (!exif_date || exif_date->size() < 19) return std::nullopt;
  std::string date = exif_date->substr(0, 19);
  for (size_t i = 0; i < 19; ++i) {
    const bool separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16;
    if (!separator && !std::isdigit(static_cast<unsigned char>(date[i]))) return std::nullopt;
  }
  if (date[4] != ':' || date[7] != ':' || date[13] != ':' || date[16] != ':') return std::nullopt;
  if (date.compare(0, 10, "0000:00:00") == 0) return std::nullopt;
  date[4] = date[7] = '-';
  date[10] = 'T';
  return date;
}

}  // namespace

ExifFacts exif_facts(ByteView block) {
  ExifFacts facts;
  const ByteView bytes = without_exif_prefix(block);
  if (bytes.size < 8) return facts;
  Tiff tiff{bytes, bytes.data[0] == 'I' && bytes.data[1] == 'I'};
  if (!tiff.little_endian && !(bytes.data[0] == 'M' && bytes.data[1] == 'M')) return facts;
  if (tiff.u16(2) != 42) return facts;
  std::optional<std::string> date_time, date_time_original;
  uint32_t exif_ifd = 0, gps_ifd = 0;
  for_each_entry(tiff, tiff.u32(4), [&](const Entry& entry) {
    if (entry.tag == kModel) facts.camera_model = text_value(tiff, entry);
    if (entry.tag == kDateTime) date_time = text_value(tiff, entry);
    if (entry.tag == kExifIfd && entry.type == kLong) exif_ifd = tiff.u32(entry.at + 8);
    if (entry.tag == kGpsIfd && entry.type == kLong) gps_ifd = tiff.u32(entry.at + 8);
  });
  if (exif_ifd)
    for_each_entry(tiff, exif_ifd, [&](const Entry& entry) {
      if (entry.tag == kDateTimeOriginal) date_time_original = text_value(tiff, entry);
    });
  // Any GPS tag but the version says something about where the picture was taken (position, altitude, time).
  if (gps_ifd)
    for_each_entry(tiff, gps_ifd, [&](const Entry& entry) { facts.gps = facts.gps || entry.tag != kGpsVersion; });
  facts.capture_date = iso_date(date_time_original);
  if (!facts.capture_date) facts.capture_date = iso_date(date_time);
  return facts;
}

}  // namespace edgepix
