// Reads the orientation tag (0x0112) from an EXIF block: the TIFF structure inside JPEG APP1, PNG eXIf and
// the WebP EXIF chunk. Returns 1 (as stored) when the tag is absent or the block is malformed.
#pragma once
#include "core/buffer.h"

namespace edgepix {
uint8_t exif_orientation(ByteView tiff);
}
