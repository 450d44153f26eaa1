#include "codec/codec.h"

#include "codec/animation.h"

namespace edgepix {

// The one table from format to implementation; sniffing tries the entries in order.
static const Codec kCodecs[] = {
    {Format::jpeg, "jpeg", "image/jpeg", jpeg::sniff, jpeg::probe, jpeg::decode, jpeg::encode, true},
    {Format::png, "png", "image/png", png::sniff, png::probe, png::decode, png::encode, false},
    {Format::webp, "webp", "image/webp", webp::sniff, webp::probe, webp::decode, webp::encode, true},
    {Format::gif, "gif", "image/gif", gif::sniff, gif::probe, gif::decode, nullptr, false},
    {Format::avif, "avif", "image/avif", avif::sniff, avif::probe, avif::decode, avif::encode, false},
};

const Codec* codec_for(Format format) {
  for (const auto& codec : kCodecs)
    if (codec.format == format) return &codec;
  return nullptr;
}

Format sniff_format(ByteView bytes) {
  for (const auto& codec : kCodecs)
    if (codec.sniff(bytes)) return codec.format;
  return Format::unknown;
}

Result<ProbeInfo> probe(ByteView bytes) {
  const Codec* codec = codec_for(sniff_format(bytes));
  if (!codec && avif::is_heic(bytes))
    return error(ErrorCode::unsupported_format, "HEIC (HEVC-coded HEIF) input is not supported: send JPEG, PNG, WebP, "
                                                "GIF or AVIF");
  if (!codec) return error(ErrorCode::unsupported_format, "the input is not a JPEG, PNG, WebP, GIF or AVIF image");
  return codec->probe(bytes);
}

}  // namespace edgepix

namespace edgepix {

Result<std::unique_ptr<FrameReader>> open_frames(ByteView bytes, Format format) {
  if (format == Format::gif) return gif::open_frames(bytes);
  if (format == Format::webp) return webp::open_frames(bytes);
  return error(ErrorCode::internal, "no animation reader for this format");
}

Result<std::unique_ptr<AnimationWriter>> create_animation_writer(uint32_t width, uint32_t height,
                                                                 const EncodeSettings& settings, uint32_t loop_count) {
  if (settings.format == Format::webp) return webp::create_animation_writer(width, height, settings, loop_count);
  return error(ErrorCode::internal, "no animation writer for this format");
}

}  // namespace edgepix
