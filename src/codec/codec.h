// One row per format holds all of it: recognising (sniff: magic bytes only; probe: header only, no pixels),
// reading (decode with a scale-on-load denominator, metadata, frames), writing (encode, animation, the
// encoder's memory model) and the traits plan, negotiation and pipeline ask instead of naming formats. Each
// format's file defines its row; codec.cpp holds the one table of rows.
#pragma once
#include <cstdint>
#include <memory>

#include "core/buffer.h"
#include "core/image.h"
#include "core/limits.h"
#include "core/status.h"
#include "codec/metadata.h"

namespace edgepix {

class Budget;  // core/budget.h: the work a request may still do; null means unlimited
struct Limits;

enum class Format : uint8_t { unknown = 0, jpeg, png, webp, gif, avif, heic };

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

constexpr uint32_t kFullScale = 8;  // scale-on-load is in eighths: libjpeg's M/8 IDCT sizes
// libjpeg's rounding (jdiv_round_up), which the other codecs follow so a plan's size holds for any decoder.
inline uint32_t scaled_size(uint32_t size, uint32_t eighths) { return uint32_t((uint64_t(size) * eighths + 7) / 8); }

struct DecodeOptions {
  // Scale-on-load in eighths (1..8; 8 is full size, and the only value a codec without `scales_on_load` gets):
  // the image is ceil(width*e/8) x ceil(height*e/8), stored orientation.
  uint32_t scale_eighths = kFullScale;
  // With a codec that `decodes_ycbcr`, a YCbCr-coded file comes out as YCbCr (Image::ycbcr); others as RGB.
  bool keep_ycbcr = false;
  const Limits* limits = nullptr;  // null: the defaults
  Budget* budget = nullptr;  // charged as the decoder goes (null: unlimited); see plan/work.h
};

struct EncodeSettings {
  Format format = Format::jpeg;
  int quality = 85;        // 1..100
  bool lossless = false;   // only for a codec with `lossless_at_100`
  bool progressive = true; // JPEG only: false for baseline-jpeg
  bool fast = false;       // compression=fast: the encoder's quickest settings (AVIF: aom speed 9)
  const Metadata* metadata = nullptr;  // written into the output when present
  Budget* budget = nullptr;            // charged as the encoder goes (null: unlimited); see plan/work.h
};

class FrameReader;
class AnimationWriter;

// Which metadata blocks an encoder writes into its container (apply_policy drops the others).
struct MetadataBlocks {
  bool exif = false, xmp = false, icc = false;
};

// "The source's family": an output format for a source with and without transparency.
struct Family {
  Format opaque = Format::unknown, with_alpha = Format::unknown;
};

// A row names only what its format has: every other entry is null, false or unknown.
struct Codec {
  Format format = Format::unknown;
  const char* name = nullptr;          // "jpeg"
  const char* content_type = nullptr;  // "image/jpeg"

  // Reading. Decode gives RGB when the source is opaque, else RGBA (Image::premultiplied says in which form).
  bool (*sniff)(ByteView bytes) = nullptr;
  Result<ProbeInfo> (*probe)(ByteView bytes) = nullptr;
  Result<Image> (*decode)(ByteView bytes, const DecodeOptions& options) = nullptr;
  Metadata (*read_metadata)(ByteView bytes) = nullptr;  // null: the format carries none we read
  // Composited canvases of an animation, one at a time; null: still images only.
  Result<std::unique_ptr<FrameReader>> (*open_frames)(ByteView bytes) = nullptr;
  bool scales_on_load = false;  // honours DecodeOptions::scale_eighths below 8
  bool decodes_ycbcr = false;   // honours DecodeOptions::keep_ycbcr

  // Writing: all null or false for a format that cannot be written.
  Result<Buffer> (*encode)(const Image& image, const EncodeSettings& settings) = nullptr;
  Result<std::unique_ptr<AnimationWriter>> (*create_animation_writer)(uint32_t width, uint32_t height,
                                                                      const EncodeSettings& settings,
                                                                      uint32_t loop_count) = nullptr;
  // Memory the encoder holds for an output of `pixels`, beyond the pixels themselves, measured from what it
  // allocates (plan.cpp's estimate).
  uint64_t (*encoder_bytes)(const EncodeSettings& settings, uint64_t pixels) = nullptr;
  bool holds_alpha = false;      // else transparent pixels are flattened onto the background
  bool lossy = false;            // alpha is finished in the smooth form a lossy coder keeps best (colour.h)
  bool lossless_at_100 = false;  // quality=100 selects a lossless mode (EncodeSettings::lossless)
  bool encodes_ycbcr = false;    // encode takes Image::ycbcr pixels as they are
  MetadataBlocks writes_metadata = {};
  // format=auto's substitute when this format cannot serve: an animation (no animation writer) or an
  // encode over the memory limit.
  Format auto_substitute = Format::unknown;

  // Negotiation: the output for this source when no format was asked for, and when format=auto found that the
  // client lists neither AVIF nor WebP.
  Family family = {};
  Family family_when_refused = {};
};

const Codec* codec_for(Format format);
Format sniff_format(ByteView bytes);
Result<ProbeInfo> probe(ByteView bytes);  // unsupported_format when no codec recognises the bytes

}  // namespace edgepix
