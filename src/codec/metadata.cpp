#include "codec/metadata.h"

#include "codec/codec.h"
#include "codec/icc.h"

namespace edgepix {

Metadata apply_policy(Metadata metadata, MetadataPolicy policy, Format output, bool keep_gps) {
  if (policy == MetadataPolicy::none) return {};
  if (policy == MetadataPolicy::copyright) {
    Metadata kept;
    kept.exif = exif_copyright_only(metadata.exif);
    metadata = std::move(kept);
  } else {
    exif_reset_orientation(&metadata.exif);
    if (!keep_gps) {
      exif_strip_gps(&metadata.exif);
      if (xmp_has_gps(metadata.xmp)) metadata.xmp.clear();
    }
  }
  const Codec* codec = codec_for(output);
  const MetadataBlocks writes = codec && codec->encode ? codec->writes_metadata : MetadataBlocks{};
  if (!writes.exif) metadata.exif.clear();
  if (!writes.xmp) metadata.xmp.clear();
  if (!writes.icc || !icc_describes_rgb(metadata.icc)) metadata.icc.clear();
  return metadata;
}

bool xmp_has_gps(const std::string& xmp) { return xmp.find(":GPS") != std::string::npos; }

}  // namespace edgepix
