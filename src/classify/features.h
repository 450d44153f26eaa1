// What an image is, for moderation and placeholders: measured in one pass over its working copy (working_copy.h)
// plus the header (probe) and the EXIF block. The JSON (features_json) is the contract the Worker stores and the
// policy reads: field names are fixed (see README "Classification and moderation").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "core/limits.h"

namespace edgepix {

struct DominantColour {
  uint8_t r = 0, g = 0, b = 0;
  double share = 0;  // of the (alpha-weighted) pixels
};

struct Exposure {
  double mean = 0;        // mean luma, 0..1
  double shadows = 0;     // share of pixels with luma <= 5/255
  double highlights = 0;  // share with luma >= 250/255
};

struct ExifFacts {
  bool gps = false;
  std::optional<std::string> camera_model;  // Model (0x0110)
  std::optional<std::string> capture_date;  // DateTimeOriginal, else DateTime, as 2024-05-01T10:00:00
};

struct Features {
  Format format = Format::unknown;
  uint32_t width = 0, height = 0;  // upright
  bool animated = false;
  uint32_t frames = 1;
  bool alpha = false;
  std::vector<DominantColour> dominant_colours;  // up to 5, largest share first
  std::string thumbhash;  // base64 with padding
  std::string blurhash;
  uint64_t phash = 0;
  double sharpness = 0;
  Exposure exposure;
  double photo = 0;  // 0 flat graphic .. 1 photograph
  ExifFacts exif;
};

// sniff, probe, limits, one decode: unsupported_format, too_large, corrupt_image as a transform would fail.
Result<Features> classify(ByteView bytes, const Limits& limits = Limits());
std::string features_json(const Features& features);

}  // namespace edgepix
