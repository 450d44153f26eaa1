#include "codec/codec.h"

#include "codec/animation.h"

namespace edgepix {

// The rows, each defined in its format's file.
extern const Codec kJpegCodec, kPngCodec, kWebpCodec, kGifCodec, kAvifCodec, kHeicCodec;

// The one table from format to implementation; sniffing tries the rows in order.
// HEIC after AVIF: a file listing both brands is read as AVIF.
static const Codec* const kCodecs[] = {&kJpegCodec, &kPngCodec, &kWebpCodec, &kGifCodec, &kAvifCodec, &kHeicCodec};

const Codec* codec_for(Format format) {
  for (const Codec* codec : kCodecs)
    if (codec->format == format) return codec;
  return nullptr;
}

Format sniff_format(ByteView bytes) {
  for (const Codec* codec : kCodecs)
    if (codec->sniff(bytes)) return codec->format;
  return Format::unknown;
}

Result<ProbeInfo> probe(ByteView bytes) {
  const Codec* codec = codec_for(sniff_format(bytes));
  if (!codec)
    return error(ErrorCode::unsupported_format, "the input is not a JPEG, PNG, WebP, GIF, AVIF or HEIC image");
  return codec->probe(bytes);
}

Metadata read_metadata(ByteView bytes, Format format) {
  const Codec* codec = codec_for(format);
  return codec && codec->read_metadata ? codec->read_metadata(bytes) : Metadata();
}

Result<std::unique_ptr<FrameReader>> open_frames(ByteView bytes, Format format) {
  const Codec* codec = codec_for(format);
  if (!codec || !codec->open_frames) return error(ErrorCode::internal, "no animation reader for this format");
  return codec->open_frames(bytes);
}

Result<std::unique_ptr<AnimationWriter>> create_animation_writer(uint32_t width, uint32_t height,
                                                                 const EncodeSettings& settings, uint32_t loop_count) {
  const Codec* codec = codec_for(settings.format);
  if (!codec || !codec->create_animation_writer)
    return error(ErrorCode::internal, "no animation writer for this format");
  return codec->create_animation_writer(width, height, settings, loop_count);
}

}  // namespace edgepix
