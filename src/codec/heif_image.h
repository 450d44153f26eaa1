// A HEIF still image read through its bitstream's picture decoder: what AVIF and HEIC share above the container
// (heif.h) and below their rows. The primary item (a coded picture or a grid of them) is checked, probed and
// decoded tile by tile, with its alpha auxiliary image, its irot/imir as an EXIF orientation, and its nclx
// overriding the bitstream's colour; limits and the budget are checked before each tile.
#pragma once
#include <cstdint>
#include <string_view>

#include "codec/codec.h"
#include "codec/heif.h"
#include "codec/yuv.h"

namespace edgepix::heif {

// What a bitstream gives the reader.
struct PictureCoding {
  Format format;
  std::string_view coded_type;  // the coded items' type: "av01", "hvc1"
  // Decodes one coded item, which must be `size`, and writes it into `image` at (x, y) with place_picture.
  Status (*decode_item)(const Container& c, const Item& item, Size size, bool alpha, Image* image, uint32_t x,
                        uint32_t y);
  // Whether the item's configuration property says its samples are wider than 8 bits.
  bool (*high_bitdepth)(const Container& c, const Item& item);
  // Whether an EXIF orientation counts when the item has neither irot nor imir (see heic.cpp for why HEIC does).
  bool exif_orientation_without_transform = false;
};

// A decoded picture's colour (or, with `alpha`, its luma) into `image` at (x, y), clipped; the item's nclx, when
// present, overrides the colour the bitstream signals.
void place_picture(const Container& c, const Item& item, const YuvPlanes& planes, ColourInfo coded, bool alpha,
                   Image* image, uint32_t x, uint32_t y);

Result<ProbeInfo> probe_image(ByteView bytes, const PictureCoding& coding);
Result<Image> decode_image(ByteView bytes, const DecodeOptions& options, const PictureCoding& coding);
Metadata read_image_metadata(ByteView bytes);

}  // namespace edgepix::heif
