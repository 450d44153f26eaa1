// Metadata carried from the source to the output (metadata=keep|copyright|none, Cloudflare's default being
// copyright): EXIF (as TIFF bytes), XMP (as XML) and the ICC profile, read from JPEG, PNG and WebP and written
// by each encoder in its own container.
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

// What the source carries; missing or malformed blocks are simply absent.
Metadata read_metadata(ByteView bytes, Format format);
// keep: all of it, with the EXIF orientation reset to 1 (the pixels are already upright), and the ICC profile
// when `output` can carry it and it still describes the pixels (an RGB profile); copyright: only EXIF's
// Copyright tag; none: nothing. A source profile left out here is converted to sRGB (src/codec/icc.h).
Metadata apply_policy(Metadata metadata, MetadataPolicy policy, Format output);

// EXIF helpers (exif.cpp).
std::string exif_copyright_only(const std::string& tiff);  // empty when there is no Copyright tag
void exif_reset_orientation(std::string* tiff);

}  // namespace edgepix
