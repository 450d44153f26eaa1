#include "codec/metadata.h"

#include <cstring>
#include <map>

#include "codec/codec.h"
#include "codec/icc.h"

extern "C" {
#include <zlib.h>
}

namespace edgepix {

namespace {

const char kExifPrefix[] = "Exif\0\0";                          // 6 bytes
const char kXmpNamespace[] = "http://ns.adobe.com/xap/1.0/";   // + NUL
const char kIccPrefix[] = "ICC_PROFILE";                        // + NUL, sequence, count
const char kPngXmpKeyword[] = "XML:com.adobe.xmp";

uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }
uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }
uint32_t le32(const uint8_t* p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }
bool starts(const uint8_t* data, size_t size, const char* prefix, size_t prefix_size) {
  return size >= prefix_size && std::memcmp(data, prefix, prefix_size) == 0;
}

Metadata read_jpeg(ByteView bytes) {
  Metadata m;
  std::map<int, std::string> icc_parts;  // by sequence number: APP2 segments may come in any order
  for (size_t at = 2; at + 4 <= bytes.size && bytes.data[at] == 0xFF;) {
    const uint8_t marker = bytes.data[at + 1];
    if (marker == 0xDA || marker == 0xD9) break;
    const uint16_t length = be16(bytes.data + at + 2);
    if (length < 2 || at + 2 + length > bytes.size) break;
    const uint8_t* segment = bytes.data + at + 4;
    const size_t size = length - 2;
    if (marker == 0xE1 && starts(segment, size, kExifPrefix, 6)) m.exif.assign(reinterpret_cast<const char*>(segment) + 6, size - 6);
    if (marker == 0xE1 && starts(segment, size, kXmpNamespace, sizeof(kXmpNamespace)))
      m.xmp.assign(reinterpret_cast<const char*>(segment) + sizeof(kXmpNamespace), size - sizeof(kXmpNamespace));
    if (marker == 0xE2 && starts(segment, size, kIccPrefix, sizeof(kIccPrefix)) && size > sizeof(kIccPrefix) + 2)
      icc_parts[segment[sizeof(kIccPrefix)]].assign(reinterpret_cast<const char*>(segment) + sizeof(kIccPrefix) + 2,
                                                   size - sizeof(kIccPrefix) - 2);
    at += 2 + length;
  }
  for (const auto& part : icc_parts) m.icc += part.second;
  return m;
}

// zlib-compressed ancillary data (PNG iCCP), bounded so a bomb cannot exhaust memory.
std::string inflate_bounded(const uint8_t* data, size_t size, size_t limit) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return {};
  std::string out;
  stream.next_in = const_cast<uint8_t*>(data);
  stream.avail_in = uInt(size);
  int status = Z_OK;
  while (status == Z_OK && out.size() < limit) {
    char chunk[16384];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END ? out : std::string();
}

Metadata read_png(ByteView bytes) {
  Metadata m;
  for (size_t at = 8; at + 12 <= bytes.size;) {
    const uint32_t length = be32(bytes.data + at);
    const uint8_t* type = bytes.data + at + 4;
    const uint8_t* data = bytes.data + at + 8;
    if (length > bytes.size - at - 12 || std::memcmp(type, "IDAT", 4) == 0) break;
    if (std::memcmp(type, "eXIf", 4) == 0) m.exif.assign(reinterpret_cast<const char*>(data), length);
    if (std::memcmp(type, "iCCP", 4) == 0) {
      const void* end_of_name = std::memchr(data, 0, std::min<size_t>(length, 80));
      if (end_of_name) {
        const size_t skip = static_cast<const uint8_t*>(end_of_name) - data + 2;  // NUL, compression method
        if (skip < length) m.icc = inflate_bounded(data + skip, length - skip, 4 << 20);
      }
    }
    if (std::memcmp(type, "iTXt", 4) == 0 && starts(data, length, kPngXmpKeyword, sizeof(kPngXmpKeyword)) &&
        length > sizeof(kPngXmpKeyword) + 2 && data[sizeof(kPngXmpKeyword)] == 0) {  // uncompressed only
      // keyword NUL, flag, method, language NUL, translated keyword NUL, text
      const uint8_t* p = data + sizeof(kPngXmpKeyword) + 2;
      const uint8_t* end = data + length;
      for (int nuls = 0; p < end && nuls < 2; ++p) nuls += *p == 0;
      m.xmp.assign(reinterpret_cast<const char*>(p), end - p);
    }
    at += size_t(length) + 12;
  }
  return m;
}

Metadata read_webp(ByteView bytes) {
  Metadata m;
  for (size_t at = 12; at + 8 <= bytes.size;) {
    const uint32_t size = le32(bytes.data + at + 4);
    if (size > bytes.size - at - 8) break;
    const char* payload = reinterpret_cast<const char*>(bytes.data + at + 8);
    if (std::memcmp(bytes.data + at, "EXIF", 4) == 0)
      m.exif = starts(bytes.data + at + 8, size, kExifPrefix, 6) ? std::string(payload + 6, size - 6) : std::string(payload, size);
    if (std::memcmp(bytes.data + at, "XMP ", 4) == 0) m.xmp.assign(payload, size);
    if (std::memcmp(bytes.data + at, "ICCP", 4) == 0) m.icc.assign(payload, size);
    at += 8 + size + (size & 1);
  }
  return m;
}

}  // namespace

Metadata read_metadata(ByteView bytes, Format format) {
  switch (format) {
    case Format::jpeg: return read_jpeg(bytes);
    case Format::png: return read_png(bytes);
    case Format::webp: return read_webp(bytes);
    case Format::avif: return avif::read_metadata(bytes);
    default: return {};
  }
}

Metadata apply_policy(Metadata metadata, MetadataPolicy policy, Format output) {
  if (policy == MetadataPolicy::none) return {};
  if (policy == MetadataPolicy::copyright) {
    Metadata kept;
    kept.exif = exif_copyright_only(metadata.exif);
    return kept;
  }
  exif_reset_orientation(&metadata.exif);
  const bool writes_icc = output == Format::jpeg || output == Format::png || output == Format::webp ||
                          output == Format::avif;
  if (!writes_icc || !icc_describes_rgb(metadata.icc)) metadata.icc.clear();
  return metadata;
}

}  // namespace edgepix
