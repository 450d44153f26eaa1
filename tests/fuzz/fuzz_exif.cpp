// The EXIF readers and rewriters (src/codec/exif.cpp, src/classify/exif_facts.cpp) on a TIFF structure, with or
// without the "Exif\0\0" prefix: orientation, the facts moderation reads, Copyright-only, the orientation reset
// and the GPS strip that metadata=keep applies, and the facts of what the strip left.
#include <string>

#include "classify/exif_facts.h"
#include "codec/exif.h"
#include "codec/metadata.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(exif) {
  using namespace edgepix;
  const ByteView block{data, size};
  const ByteView tiff = without_exif_prefix(block);
  (void)exif_orientation(tiff);
  (void)exif_facts(block);
  std::string copy(reinterpret_cast<const char*>(tiff.data), tiff.size);
  (void)exif_copyright_only(copy);
  exif_reset_orientation(&copy);
  exif_strip_gps(&copy);
  (void)exif_facts(ByteView{reinterpret_cast<const uint8_t*>(copy.data()), copy.size()});
}
