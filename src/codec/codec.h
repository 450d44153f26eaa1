// One interface for every format: sniff (magic bytes only), probe (header only: no pixels), decode (with a
// scale-on-load denominator), encode. codec.cpp holds the one table from format to implementation.
#pragma once
#include <cstdint>

#include "core/buffer.h"
#include "core/image.h"
#include "core/status.h"
#include "codec/metadata.h"

namespace edgepix {

enum class Format : uint8_t { unknown = 0, jpeg, png, webp, gif, avif };

struct ProbeInfo {
  Format format = Format::unknown;
  uint32_t width = 0;   // as stored, before EXIF orientation
  uint32_t height = 0;
  uint8_t orientation = 1;  // EXIF 1..8
  bool has_alpha = false;
  bool animated = false;
  uint32_t frame_count = 1;
  // Bytes the decoder itself holds beyond the output pixels (e.g. a progressive JPEG's coefficient planes,
  // which libjpeg keeps at full size whatever the output scale).
  uint64_t decoder_overhead_bytes = 0;
};

struct EncodeSettings {
  Format format = Format::jpeg;
  int quality = 85;        // 1..100
  bool lossless = false;   // WebP only
  bool progressive = true; // JPEG only: false for baseline-jpeg
  const Metadata* metadata = nullptr;  // written into the output when present
};

struct Codec {
  Format format;
  const char* name;          // "jpeg"
  const char* content_type;  // "image/jpeg"
  bool (*sniff)(ByteView bytes);
  Result<ProbeInfo> (*probe)(ByteView bytes);
  // scale_denominator is one of supported_denominators; the image is ceil(width/d) x ceil(height/d), stored
  // orientation. RGB when the source is opaque, else RGBA (Image::premultiplied says in which form).
  Result<Image> (*decode)(ByteView bytes, uint32_t scale_denominator);
  Result<Buffer> (*encode)(const Image& image, const EncodeSettings& settings);  // null: cannot write this format
  uint32_t max_denominator;  // scale-on-load: powers of two up to this value
};

const Codec* codec_for(Format format);
Format sniff_format(ByteView bytes);
Result<ProbeInfo> probe(ByteView bytes);  // unsupported_format when no codec recognises the bytes
inline uint32_t scaled_size(uint32_t size, uint32_t denominator) { return (size + denominator - 1) / denominator; }

// Per-format entry points, defined in jpeg.cpp, png.cpp, webp.cpp, gif.cpp, avif.cpp.
namespace jpeg {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, uint32_t scale_denominator);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace jpeg
namespace png {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, uint32_t scale_denominator);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace png
namespace webp {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, uint32_t scale_denominator);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace webp
namespace gif {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, uint32_t scale_denominator);
}  // namespace gif
namespace avif {
bool sniff(ByteView);
bool is_heic(ByteView);  // HEIF with HEVC brands: recognised to say why it is refused
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, uint32_t scale_denominator);
Result<Buffer> encode(const Image&, const EncodeSettings&);
Metadata read_metadata(ByteView);
}  // namespace avif

}  // namespace edgepix
