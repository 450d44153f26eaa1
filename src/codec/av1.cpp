#include "codec/av1.h"

#include <aom/aom_encoder.h>
#include <aom/aomcx.h>

#include <algorithm>
#include <string>

#include "core/budget.h"
#include "core/bytes.h"

namespace edgepix::av1 {
namespace {

Status corrupt(const std::string& what) { return Status::error(ErrorCode::corrupt_image, "corrupt AV1 data: " + what); }

// aom's all-intra speed (0 slowest .. 9 fastest), chosen by measurement (README.md, "AVIF"). On a 1000 px
// photo at the same quantizer, 6 gave 4% fewer bytes and SSIM 0.9760 where 9 gave 0.9723; reaching 0.9760 at
// speed 7 or 9 takes 20-25% more bytes than 6, which costs ~5x the encoding time of 9 (7: 3x; 5: 9x, for 4%
// fewer bytes). 6 is the quickest speed that matches the wasm peers' and sharp's SSIM at their bytes (bench/). 8
// is an outlier in aom 3.6 (twice the bytes of 7 or 9 at equal SSIM).
constexpr int kAvifSpeed = 6;
// compression=fast, and images too large to encode at 6 within a request's CPU time (the budget's AVIF ceiling
// is ~4 MP; at 6 that would take several seconds in wasm), get the quickest speed.
constexpr uint64_t kAvifSlowSpeedMaxPixels = 2200000;  // a 1920x1080 hero image still gets speed 6

}  // namespace

int speed_for(const EncodeSettings& settings, uint64_t pixels) {
  return settings.fast || pixels > kAvifSlowSpeedMaxPixels ? kFastSpeed : kAvifSpeed;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

namespace {

struct Decoder {
  Dav1dContext* context = nullptr;
  ~Decoder() {
    if (context) dav1d_close(&context);
  }
};

void no_free(const uint8_t*, void*) {}

}  // namespace

Status decode(ByteView obus, uint32_t width, uint32_t height, Picture* picture) {
  Dav1dSettings settings;
  dav1d_default_settings(&settings);
  settings.n_threads = 1;       // a Worker isolate has one thread; native callers parallelise across requests
  settings.max_frame_delay = 1;
  settings.all_layers = 0;
  settings.frame_size_limit = std::max<unsigned>(width * height, 1);
  Decoder decoder;
  if (dav1d_open(&decoder.context, &settings) != 0)
    return Status::error(ErrorCode::out_of_memory, "AV1 decoder: out of memory");
  Dav1dData data{};
  if (dav1d_data_wrap(&data, obus.data, obus.size, no_free, nullptr) != 0) return corrupt("empty AV1 item");
  for (int round = 0; round < 64; ++round) {
    if (data.sz > 0) {
      const int sent = dav1d_send_data(decoder.context, &data);
      if (sent < 0 && sent != DAV1D_ERR(EAGAIN)) {
        dav1d_data_unref(&data);
        return corrupt("the AV1 bitstream does not decode");
      }
    }
    const int got = dav1d_get_picture(decoder.context, &picture->p);
    if (got == 0) break;
    if (got != DAV1D_ERR(EAGAIN) || data.sz == 0) {
      dav1d_data_unref(&data);
      return corrupt(got == DAV1D_ERR(EAGAIN) ? "the AV1 item holds no complete frame"
                                              : "the AV1 bitstream does not decode");
    }
  }
  dav1d_data_unref(&data);
  if (!picture->p.data[0]) return corrupt("the AV1 item holds no frame");
  if (uint32_t(picture->p.p.w) != width || uint32_t(picture->p.p.h) != height)
    return corrupt("the AV1 frame is " + std::to_string(picture->p.p.w) + "x" + std::to_string(picture->p.p.h) +
                   ", the container says " + std::to_string(width) + "x" + std::to_string(height));
  return {};
}

ColourInfo Picture::colour() const {
  ColourInfo info;
  info.matrix = p.seq_hdr ? p.seq_hdr->mtrx : 2;
  info.full_range = p.seq_hdr ? p.seq_hdr->color_range != 0 : true;
  return info;
}

YuvPlanes Picture::planes() const {
  const Dav1dPicture& picture = p;
  YuvPlanes planes;
  for (int i = 0; i < 3; ++i) planes.data[i] = static_cast<const uint8_t*>(picture.data[i]);
  planes.stride[0] = picture.stride[0];
  planes.stride[1] = picture.stride[1];
  planes.width = uint32_t(picture.p.w);
  planes.height = uint32_t(picture.p.h);
  planes.bits = picture.p.bpc;
  planes.mono = picture.p.layout == DAV1D_PIXEL_LAYOUT_I400;
  planes.ssx = picture.p.layout == DAV1D_PIXEL_LAYOUT_I420 || picture.p.layout == DAV1D_PIXEL_LAYOUT_I422;
  planes.ssy = picture.p.layout == DAV1D_PIXEL_LAYOUT_I420;
  return planes;
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

namespace {

size_t read_leb128(const uint8_t* p, size_t size, uint64_t* value) {
  *value = 0;
  for (size_t i = 0; i < 8 && i < size; ++i) {
    *value |= uint64_t(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) return i + 1;
  }
  return 0;
}

Result<Frame> split_obus(const std::string& stream) {
  Frame frame;
  const auto* p = reinterpret_cast<const uint8_t*>(stream.data());
  size_t at = 0;
  while (at < stream.size()) {
    const uint8_t header = p[at];
    const int type = (header >> 3) & 15;
    const size_t header_size = (header & 4) ? 2 : 1;
    if (!(header & 2)) return Status::error(ErrorCode::internal, "AV1 encoder wrote an OBU without a size");
    uint64_t payload = 0;
    const size_t leb = at + header_size < stream.size()
                           ? read_leb128(p + at + header_size, stream.size() - at - header_size, &payload)
                           : 0;
    const size_t total = header_size + leb + size_t(payload);
    if (leb == 0 || total > stream.size() - at) return Status::error(ErrorCode::internal, "AV1 OBU overruns");
    if (type == 1 && frame.sequence_header.empty()) frame.sequence_header.assign(stream, at, total);
    if (type != 2) frame.obus.append(stream, at, total);  // 2: temporal delimiter
    at += total;
  }
  if (frame.sequence_header.empty()) return Status::error(ErrorCode::internal, "AV1 encoder wrote no sequence header");
  return frame;
}

}  // namespace

// Profile, level and tier from the sequence header, then the header itself.
std::string configuration_record(const Frame& frame, bool monochrome) {
  const auto* p = reinterpret_cast<const uint8_t*>(frame.sequence_header.data());
  const size_t header_size = (p[0] & 4) ? 2 : 1;
  uint64_t payload_size = 0;
  const size_t leb = read_leb128(p + header_size, frame.sequence_header.size() - header_size, &payload_size);
  const uint8_t* payload = p + header_size + leb;
  const size_t available = frame.sequence_header.size() - header_size - leb;
  uint8_t profile = 0, level = 31, tier = 0;
  if (available >= 2) {
    const uint32_t bits = be16(payload);
    profile = uint8_t(bits >> 13);
    const bool reduced = (bits >> 11) & 1;
    if (reduced) {
      level = uint8_t((bits >> 6) & 31);
    } else if (available >= 4 && !((bits >> 10) & 1)) {  // no timing info: the first operating point follows
      const uint32_t more = be32(payload);
      // profile(3) still(1) reduced(1) timing(1) initial_display_delay(1) op_count(5) idc(12) level(5) tier(1)
      if (!((more >> 25) & 1)) {
        level = uint8_t((more >> 2) & 31);
        tier = level > 7 ? uint8_t((more >> 1) & 1) : 0;
      }
    }
  }
  std::string config;
  config.push_back(char(0x81));  // marker, version 1
  config.push_back(char(profile << 5 | level));
  // tier, high_bitdepth 0, twelve_bit 0, monochrome, chroma_subsampling_x 1, _y 1, chroma_sample_position 0
  config.push_back(char(tier << 7 | (monochrome ? 1 : 0) << 4 | 1 << 3 | 1 << 2));
  config.push_back(0);  // no initial_presentation_delay
  config += frame.sequence_header;
  return config;
}

namespace {

struct Encoder {
  aom_codec_ctx_t context{};
  bool open = false;
  aom_image_t* image = nullptr;
  ~Encoder() {
    if (image) aom_img_free(image);
    if (open) aom_codec_destroy(&context);
  }
};

// A quality number means the same in every format (Cloudflare's one `quality` scale): AVIF at q is calibrated
// to WebP at q by SSIM on photographs (README.md, "AVIF"), then mapped to aom's quantizer as libavif and
// libheif do (100 → 0, 0 → 63). Measured: q85 ≈ WebP q85's SSIM with ~20% fewer bytes.
int quantizer_for(int quality) {
  struct Point {
    int quality, avif;
  };
  static const Point kCalibration[] = {{1, 1}, {50, 46}, {70, 53}, {80, 60}, {85, 71}, {90, 81}, {95, 90}, {100, 100}};
  quality = std::clamp(quality, 1, 100);
  int avif = 100;
  for (size_t i = 1; i < sizeof(kCalibration) / sizeof(kCalibration[0]); ++i) {
    const Point a = kCalibration[i - 1], b = kCalibration[i];
    if (quality <= b.quality) {
      avif = a.avif + (quality - a.quality) * (b.avif - a.avif) / (b.quality - a.quality);
      break;
    }
  }
  return std::clamp(((100 - avif) * 63 + 50) / 100, 0, 63);
}

// Opens aom for one picture of `image`'s size: the colour picture, or with `alpha` the alpha plane.
Status start_encoder(const Image& image, bool alpha, const EncodeSettings& settings, Encoder* encoder) {
  // All-intra: aom's still-image mode (its real-time mode measured slower here at equal bytes).
  const unsigned usage = AOM_USAGE_ALL_INTRA;
  const int speed = speed_for(settings, uint64_t(image.width) * image.height);
  aom_codec_iface_t* iface = aom_codec_av1_cx();
  aom_codec_enc_cfg_t config;
  if (aom_codec_enc_config_default(iface, &config, usage) != AOM_CODEC_OK)
    return Status::error(ErrorCode::internal, "AV1 encoder: no default configuration");
  config.g_w = image.width;
  config.g_h = image.height;
  config.g_threads = 1;
  config.g_limit = 1;  // one frame: a still picture (reduced sequence header)
  config.g_lag_in_frames = 0;
  config.g_profile = 0;  // main: 8-bit 4:2:0 and monochrome
  config.rc_end_usage = AOM_Q;
  config.monochrome = alpha ? 1 : 0;
  int quantizer = quantizer_for(settings.quality);
  if (alpha) quantizer = std::min(quantizer, 8);  // edges of cut-outs show alpha error more than colour error
  // At speed 6 the colour picture is tuned for SSIM, as libavif and libheif (sharp's path) set it by default:
  // aom then spends bits where structure shows. That tuning takes ~5-12% fewer bytes at a quantizer, so the
  // quantizer drops (by 0 from q93, 1 from q72, 2 from q24, else 3) to keep the bytes, and SSIM at those bytes
  // rises (12 MP -> 1000 px photo, q50: 17.3 K at SSIM 0.9757 tuned for PSNR, 17.3 K at 0.9764 tuned for SSIM;
  // README.md, "AVIF"). Speed 9 keeps aom's PSNR tuning and the quantizers as calibrated, which was done there.
  const bool tune_ssim = !alpha && speed == kAvifSpeed;
  if (tune_ssim) quantizer -= (quantizer + 10) / 20;
  config.rc_min_quantizer = config.rc_max_quantizer = unsigned(quantizer);
  if (aom_codec_enc_init(&encoder->context, iface, &config, 0) != AOM_CODEC_OK)
    return Status::error(ErrorCode::out_of_memory, "AV1 encoder: cannot start (out of memory?)");
  encoder->open = true;
  aom_codec_ctx_t* ctx = &encoder->context;
  aom_codec_control(ctx, AOME_SET_CPUUSED, speed);
  // The colour picture's intra blocks are coded with the DCT alone, no search over the other transform types: the
  // bench's AVIF job at speed 6 runs 17% quicker in wasm (where aom's transforms run without SIMD) and ~20% in
  // native, for 0.2% more bytes and SSIM 0.9757 instead of 0.9760 (README.md, "AVIF", before the SSIM tuning
  // above); speed 7, the other way to that time, costs 8% more bytes and SSIM 0.9735. Speed 9 already codes the DCT only. The
  // alpha plane keeps the search: its near-lossless edges took 1% more bytes with the DCT alone, for no time saved
  // that we could measure.
  if (!alpha) aom_codec_control(ctx, AV1E_SET_INTRA_DCT_ONLY, 1);
  if (tune_ssim) aom_codec_control(ctx, AOME_SET_TUNING, int(AOM_TUNE_SSIM));
  aom_codec_control(ctx, AOME_SET_CQ_LEVEL, unsigned(quantizer));
  aom_codec_control(ctx, AV1E_SET_COLOR_RANGE, int(AOM_CR_FULL_RANGE));
  if (!alpha) {
    aom_codec_control(ctx, AV1E_SET_COLOR_PRIMARIES, int(AOM_CICP_CP_BT_709));
    aom_codec_control(ctx, AV1E_SET_TRANSFER_CHARACTERISTICS, int(AOM_CICP_TC_SRGB));
    aom_codec_control(ctx, AV1E_SET_MATRIX_COEFFICIENTS, int(AOM_CICP_MC_BT_601));
  }
  return {};
}

}  // namespace

Result<Frame> encode(const Image& image, bool alpha, const EncodeSettings& settings) {
  // aom reports no progress: its work, known from the size and speed, is charged before it starts.
  const uint64_t pixels = uint64_t(image.width) * image.height;
  EP_TRY(charge(settings.budget,
                pixels * (speed_for(settings, pixels) == kFastSpeed ? kFastSpeedUnitsPerPixel : kSlowSpeedUnitsPerPixel)));
  Encoder encoder;
  EP_TRY(start_encoder(image, alpha, settings, &encoder));
  aom_codec_ctx_t* ctx = &encoder.context;
  encoder.image = aom_img_alloc(nullptr, AOM_IMG_FMT_I420, image.width, image.height, 16);
  if (!encoder.image) return Status::error(ErrorCode::out_of_memory, "AV1 encoder: out of memory for planes");
  encoder.image->range = AOM_CR_FULL_RANGE;
  encoder.image->monochrome = alpha ? 1 : 0;
  Yuv420Planes planes;
  for (int i = 0; i < 3; ++i) {
    planes.data[i] = encoder.image->planes[i];
    planes.stride[i] = encoder.image->stride[i];
  }
  rgb_to_yuv420(image, alpha, planes);

  std::string stream;
  auto collect = [&]() {
    aom_codec_iter_t iter = nullptr;
    while (const aom_codec_cx_pkt_t* packet = aom_codec_get_cx_data(ctx, &iter))
      if (packet->kind == AOM_CODEC_CX_FRAME_PKT)
        stream.append(static_cast<const char*>(packet->data.frame.buf), packet->data.frame.sz);
  };
  if (aom_codec_encode(ctx, encoder.image, 0, 1, 0) != AOM_CODEC_OK)
    return Status::error(ErrorCode::out_of_memory, std::string("AV1 encoder: ") + aom_codec_error(ctx));
  collect();
  if (aom_codec_encode(ctx, nullptr, 0, 0, 0) != AOM_CODEC_OK)  // flush
    return Status::error(ErrorCode::internal, std::string("AV1 encoder: ") + aom_codec_error(ctx));
  collect();
  return split_obus(stream);
}

bool record_is_high_bitdepth(ByteView record) { return record.size >= 3 && (record.data[2] & 0x40) != 0; }

}  // namespace edgepix::av1
