// Metadata as each container carries it (every codec row's reader: JPEG APP1/APP2, PNG eXIf/iTXt/iCCP, WebP
// chunks, HEIF items), then every policy over what was read, for every output; and the input as an XMP packet,
// whose GPS check decides what metadata=keep delivers.
#include <string>

#include "codec/codec.h"
#include "codec/metadata.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(metadata) {
  using namespace edgepix;
  static const Format kFormats[] = {Format::jpeg, Format::png, Format::webp, Format::gif, Format::avif, Format::heic};
  static const MetadataPolicy kPolicies[] = {MetadataPolicy::keep, MetadataPolicy::copyright, MetadataPolicy::none};
  const ByteView bytes{data, size};
  for (Format source : kFormats) {
    const Metadata read = read_metadata(bytes, source);
    for (MetadataPolicy policy : kPolicies)
      for (Format output : {Format::jpeg, Format::png, Format::webp, Format::avif})
        for (bool keep_gps : {false, true}) (void)apply_policy(read, policy, output, keep_gps);
  }
  Metadata packet;
  packet.xmp.assign(reinterpret_cast<const char*>(data), size);
  (void)xmp_has_gps(packet.xmp);
  (void)apply_policy(std::move(packet), MetadataPolicy::keep, Format::jpeg);
}
