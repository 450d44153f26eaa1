// WebP through libwebp: lossy, lossless and alpha; libwebp's own rescaler gives scale-on-load; animated files
// decode their first frame (composited onto the canvas) until animation support lands.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "codec/animation.h"
#include "codec/codec.h"
#include "codec/exif.h"
#include "core/bytes.h"
#include "core/budget.h"

extern "C" {
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>
}

namespace edgepix {
namespace webp {
namespace {

// RIFF chunks after the file header, in order: visit(fourcc, payload). A chunk is (fourcc, little-endian size,
// payload padded to even); one that overruns the file ends the walk.
template <class Visit>
void walk_chunks(ByteView bytes, Visit visit) {
  for (size_t at = 12; at + 8 <= bytes.size;) {
    const uint32_t size = le32(bytes.data + at + 4);
    if (size > bytes.size - at - 8) break;
    visit(std::string_view(reinterpret_cast<const char*>(bytes.data + at), 4), ByteView{bytes.data + at + 8, size});
    at += 8 + size + (size & 1);
  }
}

Status status_error(VP8StatusCode code) {
  switch (code) {
    case VP8_STATUS_OUT_OF_MEMORY: return error(ErrorCode::out_of_memory, "out of memory decoding WebP");
    case VP8_STATUS_NOT_ENOUGH_DATA: return error(ErrorCode::corrupt_image, "WebP is truncated");
    case VP8_STATUS_UNSUPPORTED_FEATURE: return error(ErrorCode::unsupported_format, "WebP uses an unsupported feature");
    default: return error(ErrorCode::corrupt_image, "WebP is corrupt (bitstream error " + std::to_string(int(code)) + ")");
  }
}

// Decodes one bitstream (a still image, or one animation frame) into `out` at out_x, out_y.
Status decode_into(ByteView bitstream, Image* out, uint32_t out_x, uint32_t out_y, uint32_t width, uint32_t height) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return error(ErrorCode::internal, "libwebp version mismatch");
  if (width != 0) {
    config.options.use_scaling = 1;
    config.options.scaled_width = int(width);
    config.options.scaled_height = int(height);
  }
  config.output.colorspace = out->channels == 4 ? MODE_rgbA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out->row(out_y) + size_t(out_x) * out->channels;
  config.output.u.RGBA.stride = int(out->stride());
  config.output.u.RGBA.size = out->stride() * (out->height - out_y);
  const VP8StatusCode status = WebPDecode(bitstream.data, bitstream.size, &config);
  WebPFreeDecBuffer(&config.output);
  return status == VP8_STATUS_OK ? Status() : status_error(status);
}

// First frame of an animation, on a transparent canvas, scaled like the still path.
Result<Image> decode_first_frame(ByteView bytes, uint32_t scale_eighths) {
  WebPData data{bytes.data, bytes.size};
  WebPDemuxer* demux = WebPDemux(&data);
  if (!demux) return error(ErrorCode::corrupt_image, "animated WebP is corrupt");
  WebPIterator frame;
  Result<Image> canvas = error(ErrorCode::corrupt_image, "animated WebP has no frames");
  if (WebPDemuxGetFrame(demux, 1, &frame)) {
    const uint32_t canvas_w = WebPDemuxGetI(demux, WEBP_FF_CANVAS_WIDTH);
    const uint32_t canvas_h = WebPDemuxGetI(demux, WEBP_FF_CANVAS_HEIGHT);
    canvas = Image::allocate(scaled_size(canvas_w, scale_eighths), scaled_size(canvas_h, scale_eighths), 4);
    if (canvas.ok()) {
      std::memset(canvas->pixels.data(), 0, canvas->pixels.size());
      canvas->premultiplied = true;
      const uint32_t x = uint32_t(uint64_t(frame.x_offset) * scale_eighths / kFullScale);
      const uint32_t y = uint32_t(uint64_t(frame.y_offset) * scale_eighths / kFullScale);
      const uint32_t w = std::min(scaled_size(frame.width, scale_eighths), canvas->width - x);
      const uint32_t h = std::min(scaled_size(frame.height, scale_eighths), canvas->height - y);
      Status status = decode_into({frame.fragment.bytes, frame.fragment.size}, &canvas.value(), x, y, w, h);
      if (!status.ok()) canvas = status;
    }
    WebPDemuxReleaseIterator(&frame);
  }
  WebPDemuxDelete(demux);
  return canvas;
}

// EXIF, XMP and ICC as RIFF chunks around an encoded (still or animated) WebP.
Result<Buffer> attach_metadata(Buffer encoded, const Metadata* metadata) {
  if (!metadata || metadata->empty()) return encoded;
  WebPData input{encoded.data(), encoded.size()};
  WebPMux* mux = WebPMuxCreate(&input, 0);
  if (!mux) return error(ErrorCode::internal, "cannot reopen the WebP to add metadata");
  const struct {
    const char* fourcc;
    const std::string* bytes;
  } chunks[] = {{"EXIF", &metadata->exif}, {"XMP ", &metadata->xmp}, {"ICCP", &metadata->icc}};
  bool ok = true;
  for (const auto& chunk : chunks) {
    if (chunk.bytes->empty()) continue;
    const WebPData data{reinterpret_cast<const uint8_t*>(chunk.bytes->data()), chunk.bytes->size()};
    ok = ok && WebPMuxSetChunk(mux, chunk.fourcc, &data, 1) == WEBP_MUX_OK;
  }
  WebPData output;
  WebPDataInit(&output);
  ok = ok && WebPMuxAssemble(mux, &output) == WEBP_MUX_OK;
  WebPMuxDelete(mux);
  if (!ok) return error(ErrorCode::internal, "cannot add metadata to the WebP");
  return Buffer::adopt(const_cast<uint8_t*>(output.bytes), output.size);
}

// Composited canvases from libwebp's animation decoder (straight RGBA), one per call.
class WebPFrames : public FrameReader {
 public:
  explicit WebPFrames(WebPAnimDecoder* decoder) : decoder_(decoder) {
    WebPAnimDecoderGetInfo(decoder_, &info_);
  }
  ~WebPFrames() override { WebPAnimDecoderDelete(decoder_); }
  Result<bool> next(Image* canvas, uint32_t* duration_ms) override {
    if (!WebPAnimDecoderHasMoreFrames(decoder_)) return false;
    uint8_t* pixels = nullptr;
    int timestamp = 0;  // when this frame ends, ms from the start
    if (!WebPAnimDecoderGetNext(decoder_, &pixels, &timestamp))
      return error(ErrorCode::corrupt_image, "animated WebP frame is corrupt");
    Result<Image> copy = Image::allocate(info_.canvas_width, info_.canvas_height, 4);
    if (!copy.ok()) return copy.status();
    std::memcpy(copy->pixels.data(), pixels, copy->pixels.size());
    *canvas = std::move(copy.value());
    *duration_ms = uint32_t(std::max(0, timestamp - previous_end_));
    previous_end_ = timestamp;
    return true;
  }
  uint32_t loop_count() const override { return info_.loop_count; }

 private:
  WebPAnimDecoder* decoder_;
  WebPAnimInfo info_;
  int previous_end_ = 0;
};

class WebPAnimationWriter : public AnimationWriter {
 public:
  WebPAnimationWriter(WebPAnimEncoder* encoder, const WebPConfig& config, const Metadata* metadata)
      : encoder_(encoder), config_(config), metadata_(metadata) {}
  ~WebPAnimationWriter() override { WebPAnimEncoderDelete(encoder_); }
  Status add(const Image& frame, uint32_t duration_ms) override {
    WebPPicture picture;
    WebPPictureInit(&picture);
    picture.width = int(frame.width);
    picture.height = int(frame.height);
    picture.use_argb = 1;  // the animation encoder works on ARGB
    const int imported = frame.channels == 4 ? WebPPictureImportRGBA(&picture, frame.pixels.data(), int(frame.stride()))
                                             : WebPPictureImportRGB(&picture, frame.pixels.data(), int(frame.stride()));
    const bool added = imported && WebPAnimEncoderAdd(encoder_, &picture, int(timestamp_), &config_);
    WebPPictureFree(&picture);
    if (!added) return error(ErrorCode::internal, std::string("WebP animation encoding failed: ") +
                                                      WebPAnimEncoderGetError(encoder_));
    timestamp_ += duration_ms;
    return {};
  }
  Result<Buffer> finish() override {
    WebPData data;
    WebPDataInit(&data);
    if (!WebPAnimEncoderAdd(encoder_, nullptr, int(timestamp_), nullptr) || !WebPAnimEncoderAssemble(encoder_, &data))
      return error(ErrorCode::internal, std::string("WebP animation assembly failed: ") +
                                            WebPAnimEncoderGetError(encoder_));
    return attach_metadata(Buffer::adopt(const_cast<uint8_t*>(data.bytes), data.size), metadata_);
  }

 private:
  WebPAnimEncoder* encoder_;
  WebPConfig config_;
  const Metadata* metadata_;
  uint64_t timestamp_ = 0;
};

// libwebp reports the encoder's progress in percent (WebPPicture::progress_hook): each step charges its share of
// the picture's pixels, and a budget that runs out aborts the encode.
struct EncodeProgress {
  Budget* budget;
  uint64_t pixels;
  int percent;
  bool over_budget;
};

int charge_progress(int percent, const WebPPicture* picture) {
  auto* progress = static_cast<EncodeProgress*>(picture->user_data);
  const uint64_t units = progress->pixels * uint64_t(std::max(0, percent - progress->percent)) / 100;
  progress->percent = std::max(progress->percent, percent);
  if (charge(progress->budget, units).ok()) return 1;
  progress->over_budget = true;
  return 0;
}

bool configure(WebPConfig* config, const EncodeSettings& settings) {
  if (!WebPConfigPreset(config, WEBP_PRESET_DEFAULT, float(settings.quality))) return false;
  config->method = 4;
  if (settings.lossless) {
    config->lossless = 1;
    config->quality = 75;  // in lossless mode, effort rather than fidelity
  }
  return true;
}

Result<std::unique_ptr<FrameReader>> open_frames(ByteView bytes) {
  WebPData data{bytes.data, bytes.size};
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return error(ErrorCode::internal, "libwebp version mismatch");
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  WebPAnimDecoder* decoder = WebPAnimDecoderNew(&data, &options);
  if (!decoder) return error(ErrorCode::corrupt_image, "animated WebP is corrupt");
  return std::unique_ptr<FrameReader>(new WebPFrames(decoder));
}

Result<std::unique_ptr<AnimationWriter>> create_animation_writer(uint32_t width, uint32_t height,
                                                                 const EncodeSettings& settings, uint32_t loop_count) {
  WebPConfig config;
  WebPAnimEncoderOptions options;
  if (!configure(&config, settings) || !WebPAnimEncoderOptionsInit(&options))
    return error(ErrorCode::internal, "libwebp version mismatch");
  options.anim_params.loop_count = int(loop_count);
  WebPAnimEncoder* encoder = WebPAnimEncoderNew(int(width), int(height), &options);
  if (!encoder) return error(ErrorCode::out_of_memory, "out of memory starting a WebP animation");
  return std::unique_ptr<AnimationWriter>(new WebPAnimationWriter(encoder, config, settings.metadata));
}

bool sniff(ByteView bytes) {
  return bytes.size >= 12 && std::memcmp(bytes.data, "RIFF", 4) == 0 && std::memcmp(bytes.data + 8, "WEBP", 4) == 0;
}

Result<ProbeInfo> probe(ByteView bytes) {
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data, bytes.size, &features);
  if (status != VP8_STATUS_OK) return status_error(status);
  ProbeInfo info;
  info.format = Format::webp;
  info.width = uint32_t(features.width);
  info.height = uint32_t(features.height);
  info.has_alpha = features.has_alpha != 0;
  info.animated = features.has_animation != 0;
  if (info.animated) {
    WebPData data{bytes.data, bytes.size};
    WebPDemuxer* demux = WebPDemux(&data);
    if (!demux) return error(ErrorCode::corrupt_image, "animated WebP is corrupt");
    info.width = WebPDemuxGetI(demux, WEBP_FF_CANVAS_WIDTH);
    info.height = WebPDemuxGetI(demux, WEBP_FF_CANVAS_HEIGHT);
    info.frame_count = WebPDemuxGetI(demux, WEBP_FF_FRAME_COUNT);
    WebPDemuxDelete(demux);
  }
  bool seen_exif = false;  // the first EXIF chunk counts
  walk_chunks(bytes, [&](std::string_view fourcc, ByteView payload) {
    if (fourcc != "EXIF" || std::exchange(seen_exif, true)) return;
    info.orientation = exif_orientation(without_exif_prefix(payload));
  });
  return info;
}

Metadata read_metadata(ByteView bytes) {
  Metadata m;
  walk_chunks(bytes, [&](std::string_view fourcc, ByteView payload) {
    if (fourcc == "EXIF") payload = without_exif_prefix(payload);
    std::string* block = fourcc == "EXIF" ? &m.exif : fourcc == "XMP " ? &m.xmp : fourcc == "ICCP" ? &m.icc : nullptr;
    if (block) block->assign(reinterpret_cast<const char*>(payload.data), payload.size);
  });
  return m;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  const uint32_t scale_eighths = options.scale_eighths;
  WebPBitstreamFeatures features;
  const VP8StatusCode status = WebPGetFeatures(bytes.data, bytes.size, &features);
  if (status != VP8_STATUS_OK) return status_error(status);
  // libwebp's decoder reports no progress: its work, bounded by the header, is charged before it starts.
  EP_TRY(charge(options.budget, uint64_t(scaled_size(uint32_t(features.width), scale_eighths)) *
                                    scaled_size(uint32_t(features.height), scale_eighths)));
  if (features.has_animation) return decode_first_frame(bytes, scale_eighths);
  const uint32_t width = scaled_size(uint32_t(features.width), scale_eighths);
  const uint32_t height = scaled_size(uint32_t(features.height), scale_eighths);
  Result<Image> image = Image::allocate(width, height, features.has_alpha ? 4 : 3);
  if (!image.ok()) return image;
  image->premultiplied = features.has_alpha != 0;
  Status decoded = decode_into(bytes, &image.value(), 0, 0, scale_eighths < kFullScale ? width : 0, height);
  if (!decoded.ok()) return decoded;
  return image;
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  if (image.premultiplied) return error(ErrorCode::internal, "WebP encoder needs straight alpha");
  WebPConfig config;
  if (!configure(&config, settings)) return error(ErrorCode::internal, "libwebp version mismatch");
  WebPPicture picture;
  WebPPictureInit(&picture);
  picture.width = int(image.width);
  picture.height = int(image.height);
  picture.use_argb = settings.lossless;
  const int imported = image.channels == 4 ? WebPPictureImportRGBA(&picture, image.pixels.data(), int(image.stride()))
                                           : WebPPictureImportRGB(&picture, image.pixels.data(), int(image.stride()));
  if (!imported) {
    WebPPictureFree(&picture);
    return error(ErrorCode::out_of_memory, "out of memory encoding WebP");
  }
  WebPMemoryWriter writer;
  WebPMemoryWriterInit(&writer);
  picture.writer = WebPMemoryWrite;
  picture.custom_ptr = &writer;
  EncodeProgress progress{settings.budget, uint64_t(image.width) * image.height, 0, false};
  if (settings.budget) {
    picture.progress_hook = charge_progress;
    picture.user_data = &progress;
  }
  const bool ok = WebPEncode(&config, &picture);
  const WebPEncodingError failure = picture.error_code;
  WebPPictureFree(&picture);
  if (!ok) {
    WebPMemoryWriterClear(&writer);
    if (progress.over_budget) return settings.budget->check();
    if (failure == VP8_ENC_ERROR_OUT_OF_MEMORY || failure == VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY)
      return error(ErrorCode::out_of_memory, "out of memory encoding WebP");
    return error(ErrorCode::internal, "WebP encoding failed (error " + std::to_string(int(failure)) + ")");
  }
  return attach_metadata(Buffer::adopt(writer.mem, writer.size), settings.metadata);
}

// Lossy libwebp holds its YUV 4:2:0 planes plus analysis, lossless libwebp ARGB plus hash chains.
uint64_t encoder_bytes(const EncodeSettings& settings, uint64_t pixels) { return pixels * (settings.lossless ? 12 : 3); }

}  // namespace
}  // namespace webp

extern const Codec kWebpCodec = {
    .format = Format::webp, .name = "webp", .content_type = "image/webp",
    .sniff = webp::sniff, .probe = webp::probe, .decode = webp::decode, .read_metadata = webp::read_metadata,
    .open_frames = webp::open_frames, .scales_on_load = true,  // libwebp's rescaler
    .encode = webp::encode, .create_animation_writer = webp::create_animation_writer,
    .encoder_bytes = webp::encoder_bytes, .holds_alpha = true, .lossy = true, .lossless_at_100 = true,
    .writes_metadata = {true, true, true},
    .family = {Format::webp, Format::webp}, .family_when_refused = {Format::jpeg, Format::png}};

}  // namespace edgepix
