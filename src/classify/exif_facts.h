// What an EXIF block tells about where and how a picture was taken: a GPS IFD with a position in it, the camera
// model, the capture date. Malformed parts read as absent.
#pragma once
#include "classify/features.h"
#include "core/buffer.h"

namespace edgepix {
ExifFacts exif_facts(ByteView tiff);  // the TIFF structure, with or without the "Exif\0\0" prefix
}  // namespace edgepix
