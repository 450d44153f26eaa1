// One interface for every format: sniff (magic bytes only), probe (header only: no pixels), decode (with a
// scale-on-load denominator), encode. codec.cpp holds the one table from format to implementation.
#pragma once
#include <cstdint>

#include "core/buffer.h"
#include "core/image.h"
#include "core/limits.h"
#include "core/status.h"
#include "codec/metadata.h"

namespace edgepix {

class Budget;  // core/budget.h
constexpr uint32_t kFullScale = 8;  // scale-on-load is in eighths: libjpeg's M/8 IDCT sizes

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
  bool fast = false;       // compression=fast: the encoder's quickest settings (AVIF: aom speed 9)
  const Metadata* metadata = nullptr;  // written into the output when present
  Budget* budget = nullptr;            // charged as the encoder goes (null: unlimited); see plan/work.h
};

struct DecodeOptions {
  uint32_t scale_eighths = kFullScale;
  bool keep_ycbcr = false;  // JPEG: a YCbCr-coded file comes out as YCbCr (Image::ycbcr); others ignore it
  const Limits* limits = nullptr;
  Budget* budget = nullptr;  // charged as the decoder goes (null: unlimited); see plan/work.h
};

struct Codec {
  Format format;
  const char* name;          // "jpeg"
  const char* content_type;  // "image/jpeg"
  bool (*sniff)(ByteView bytes);
  Result<ProbeInfo> (*probe)(ByteView bytes);
  // Scale-on-load in eighths (1..8; 8 is full size, and the only value a codec without `scales_on_load` gets):
  // the image is ceil(width*e/8) x ceil(height*e/8), stored orientation. RGB when the source is opaque, else RGBA
  // (Image::premultiplied says in which form).
  Result<Image> (*decode)(ByteView bytes, const DecodeOptions& options);
  Result<Buffer> (*encode)(const Image& image, const EncodeSettings& settings);  // null: cannot write this format
  bool scales_on_load;  // JPEG by scaled IDCTs (M/8), WebP by its decoder's rescaler
};

const Codec* codec_for(Format format);
Format sniff_format(ByteView bytes);
Result<ProbeInfo> probe(ByteView bytes);  // unsupported_format when no codec recognises the bytes
// libjpeg's rounding (jdiv_round_up), which the other codecs follow so a plan's size holds for any decoder.
inline uint32_t scaled_size(uint32_t size, uint32_t eighths) { return uint32_t((uint64_t(size) * eighths + 7) / 8); }

// Per-format entry points, defined in jpeg.cpp, png.cpp, webp.cpp, gif.cpp, avif.cpp.
namespace jpeg {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
// With keep_ycbcr, a YCbCr-coded file comes out as YCbCr (Image::ycbcr); gray, RGB and CMYK ones as RGB.
Result<Image> decode(ByteView, const DecodeOptions&);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace jpeg
namespace png {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, const DecodeOptions&);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace png
namespace webp {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, const DecodeOptions&);
Result<Buffer> encode(const Image&, const EncodeSettings&);
}  // namespace webp
namespace gif {
bool sniff(ByteView);
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, const DecodeOptions&);
}  // namespace gif
namespace avif {
bool sniff(ByteView);
bool is_heic(ByteView);  // HEIF with HEVC brands: recognised to say why it is refused
Result<ProbeInfo> probe(ByteView);
Result<Image> decode(ByteView, const DecodeOptions&);
Result<Buffer> encode(const Image&, const EncodeSettings&);
Metadata read_metadata(ByteView);
// aom's speed (0 slowest .. 9 fastest) for an image of `pixels`: the plan's memory estimate depends on it.
constexpr int kFastSpeed = 9;
int speed_for(const EncodeSettings&, uint64_t pixels);
// Budget units (plan/work.h) aom is charged per pixel of each picture it encodes (colour, and alpha when present),
// before it starts: it reports no progress. About its time per pixel against one pass of libjpeg's over a pixel
// (~2 ns natively): ~200 ns at speed 6, ~20 ns at 9 (README.md, "AVIF").
constexpr uint64_t kSlowSpeedUnitsPerPixel = 100, kFastSpeedUnitsPerPixel = 10;
}  // namespace avif

}  // namespace edgepix
