// Metadata carried from the source to the output (metadata=keep|copyright|none, Cloudflare's default being
// copyright): EXIF (as TIFF bytes), XMP (as XML) and the ICC profile, read by each codec's row from its own
// container (the same walk its probe makes) and written by each encoder in its own container.
#pragma once
#include <string>

#include "core/buffer.h"

namespace edgepix {

enum class Format : uint8_t;

enum class MetadataPolicy : uint8_t { keep, copyright, none };

struct Metadata {
  std::string exif;  // TIFF structure (no "Exif\0\0" prefix)
  std::string xmp;   // XML packet
  std::string icc;   // ICC profile
  bool empty() const { return exif.empty() && xmp.empty() && icc.empty(); }
};

// What the source carries (its row's reader, codec.cpp); missing or malformed blocks are simply absent.
Metadata read_metadata(ByteView bytes, Format format);
// keep: all of it, with the EXIF orientation reset to 1 (the pixels are already upright), and the ICC profile
// when it still describes the pixels (an RGB profile); copyright: only EXIF's Copyright tag; none: nothing.
// Either way only the blocks `output`'s encoder writes (its row's writes_metadata). A source profile left out
// here is converted to sRGB (src/codec/icc.h). keep strips GPS (EXIF's GPS IFD, an XMP packet naming GPS
// properties) unless `keep_gps`: the request says the moderation policy allows it.
Metadata apply_policy(Metadata metadata, MetadataPolicy policy, Format output, bool keep_gps = false);

// EXIF helpers (exif.cpp).
std::string exif_copyright_only(const std::string& tiff);  // empty when there is no Copyright tag
void exif_reset_orientation(std::string* tiff);
// Removes the GPS IFD pointer (0x8825) from IFD0 and zeroes the GPS IFD's bytes (its entries and their values).
void exif_strip_gps(std::string* tiff);
// Whether an XMP packet carries GPS properties (exif:GPSLatitude and the like, under any prefix).
bool xmp_has_gps(const std::string& xmp);
// The APP1 segment's prefix of an EXIF block in JPEG, which some writers keep in WebP and AVIF too.
constexpr char kExifPrefix[] = "Exif\0\0";  // 6 bytes
constexpr size_t kExifPrefixSize = 6;
// The TIFF structure of an EXIF block, without that prefix when it has one.
ByteView without_exif_prefix(ByteView block);

}  // namespace edgepix
