// AVIF: AV1 still images in a HEIF (ISOBMFF) container. The container is ours (heif.h over isobmff.h; this file
// writes it), the AV1 coding is aom's (encode) and dav1d's (decode), the colour conversion yuv.h's. Our own container rather than libheif: see README.md ("AVIF") for the
// size measurement that decided it.
//
// Written: one 8-bit 4:2:0 colour item (BT.601 full range, sRGB primaries and transfer, as JPEG), an alpha
// auxiliary item when the image has transparency, EXIF/XMP items and an ICC profile when the metadata policy
// keeps them. Read: av01 items and grids of them, 8/10/12-bit, 4:0:0/4:2:0/4:2:2/4:4:4, the common matrix
// coefficients and both ranges, alpha (straight or premultiplied), irot/imir as an EXIF orientation.
#include <aom/aom_encoder.h>
#include <aom/aomcx.h>
#include <dav1d/dav1d.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "codec/codec.h"
#include "codec/heif.h"
#include "codec/isobmff.h"
#include "codec/yuv.h"
#include "core/budget.h"
#include "core/limits.h"

namespace edgepix {
namespace {

using heif::alpha_item;
using heif::classify_brands;
using heif::Container;
using heif::corrupt;
using heif::Grid;
using heif::Item;
using heif::item_data;
using heif::item_orientation;
using heif::item_size;
using heif::kAlphaUrn;
using heif::parse_container;
using heif::parse_grid;
using heif::Reference;
using heif::Size;
using isobmff::Box;
using isobmff::Reader;

// aom's all-intra speed (0 slowest .. 9 fastest), chosen by measurement (README.md, "AVIF"). On a 1000 px
// photo at the same quantizer, 6 gave 4% fewer bytes and SSIM 0.9760 where 9 gave 0.9723; reaching 0.9760 at
// speed 7 or 9 takes 20-25% more bytes than 6, which costs ~5x the encoding time of 9 (7: 3x; 5: 9x, for 4%
// fewer bytes). 6 is the quickest speed that matches the wasm peers' and sharp's SSIM at their bytes (bench/). 8
// is an outlier in aom 3.6 (twice the bytes of 7 or 9 at equal SSIM).
constexpr int kAvifSpeed = 6;
// compression=fast, and images too large to encode at 6 within a request's CPU time (the budget's AVIF ceiling
// is ~4 MP; at 6 that would take several seconds in wasm), get the quickest speed.
constexpr uint64_t kAvifSlowSpeedMaxPixels = 2200000;  // a 1920x1080 hero image still gets speed 6

// The image a decoder shows: the primary item (an AV1 image or a grid of them), with its size. Item points into
// container.items, whose elements stay put when the vector is moved.
struct PrimaryImage {
  Container container;
  const Item* item = nullptr;
  Size size;
};

Result<PrimaryImage> open_primary(ByteView bytes) {
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return parsed.status();
  PrimaryImage primary;
  primary.container = std::move(parsed.value());
  const Item* item = primary.container.item(primary.container.primary);
  if (item->type == "hvc1")
    return Status::error(ErrorCode::unsupported_format, "HEIC (HEVC-coded HEIF) input is not supported: use AVIF");
  if (item->type != "av01" && item->type != "grid")
    return Status::error(ErrorCode::unsupported_format,
                         "the AVIF primary item is '" + std::string(item->type) + "', not an AV1 image");
  primary.item = item;
  primary.size = item_size(primary.container, *item);
  if (primary.size.width == 0 || primary.size.height == 0) return corrupt("the primary image has no size (ispe)");
  return primary;
}

// ---------------------------------------------------------------------------------------------------------
// AV1 decoding and YUV → RGB

struct Decoder {
  Dav1dContext* context = nullptr;
  ~Decoder() {
    if (context) dav1d_close(&context);
  }
};

struct Picture {
  Dav1dPicture p{};
  ~Picture() { dav1d_picture_unref(&p); }
};

void no_free(const uint8_t*, void*) {}

// Decodes one AV1 image item (a single key frame) into `picture`, which must be width × height.
Status decode_av1(ByteView obus, Size expected, Picture* picture) {
  Dav1dSettings settings;
  dav1d_default_settings(&settings);
  settings.n_threads = 1;       // a Worker isolate has one thread; native callers parallelise across requests
  settings.max_frame_delay = 1;
  settings.all_layers = 0;
  settings.frame_size_limit = std::max<unsigned>(expected.width * expected.height, 1);
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
  if (uint32_t(picture->p.p.w) != expected.width || uint32_t(picture->p.p.h) != expected.height)
    return corrupt("the AV1 frame is " + std::to_string(picture->p.p.w) + "x" + std::to_string(picture->p.p.h) +
                   ", the container says " + std::to_string(expected.width) + "x" + std::to_string(expected.height));
  return {};
}

// nclx from the item's colr property when present (it overrides the bitstream), else the sequence header's.
ColourInfo colour_info(const Container& c, const Item& item, const Dav1dPicture& picture) {
  ColourInfo info;
  info.matrix = picture.seq_hdr ? picture.seq_hdr->mtrx : 2;
  info.full_range = picture.seq_hdr ? picture.seq_hdr->color_range != 0 : true;
  for (uint16_t index : item.properties) {
    if (index < 1 || index > c.properties.size() || c.properties[index - 1].type != "colr") continue;
    Reader r(c.properties[index - 1].payload);
    if (r.fourcc() != "nclx") continue;
    r.u16();  // primaries
    r.u16();  // transfer
    const uint16_t matrix = r.u16();
    const uint8_t range = r.u8();
    if (r.ok()) info = {matrix, (range & 0x80) != 0};
  }
  return info;
}

YuvPlanes planes_of(const Dav1dPicture& picture) {
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

// Decodes an av01 item, or each tile of a grid item, into `image` (colour, or alpha into channel 3).
Status decode_into(const Container& c, const Item& item, bool alpha, Image* image) {
  std::string storage;
  std::vector<const Item*> tiles;
  Grid grid{1, 1, image->width, image->height};
  if (item.type == "grid") {
    Result<ByteView> data = item_data(c, item, &storage);
    if (!data.ok()) return data.status();
    Result<Grid> parsed = parse_grid(data.value());
    if (!parsed.ok()) return parsed.status();
    grid = parsed.value();
    if (grid.width != image->width || grid.height != image->height) return corrupt("grid size differs from ispe");
    const std::vector<uint32_t>* refs = c.references_from(item.id, "dimg");
    if (!refs || refs->size() != size_t(grid.rows) * grid.columns) return corrupt("grid tiles missing");
    for (uint32_t id : *refs) {
      const Item* tile = c.item(id);
      if (!tile || tile->type != "av01") return corrupt("grid tile is not an AV1 image");
      tiles.push_back(tile);
    }
  } else if (item.type == "av01") {
    tiles.push_back(&item);
  } else {
    return corrupt("unexpected item type '" + std::string(item.type) + "'");
  }
  const Size tile_size = item.type == "grid" ? item_size(c, *tiles[0]) : Size{image->width, image->height};
  if (tile_size.width == 0 || tile_size.height == 0) return corrupt("an image item has no size (ispe)");
  if (uint64_t(tile_size.width) * grid.columns < grid.width || uint64_t(tile_size.height) * grid.rows < grid.height)
    return corrupt("grid tiles do not cover the image");
  for (size_t i = 0; i < tiles.size(); ++i) {
    const uint32_t dx = uint32_t(i % grid.columns) * tile_size.width;
    const uint32_t dy = uint32_t(i / grid.columns) * tile_size.height;
    if (dx >= image->width || dy >= image->height) continue;  // a tile wholly outside the output
    std::string tile_storage;
    Result<ByteView> obus = item_data(c, *tiles[i], &tile_storage);
    if (!obus.ok()) return obus.status();
    Picture picture;
    EP_TRY(decode_av1(obus.value(), tile_size, &picture));
    const ColourInfo info = colour_info(c, *tiles[i], picture.p);
    if (alpha) luma_to_alpha(planes_of(picture.p), info.full_range, image, dx, dy);
    else yuv_to_rgb(planes_of(picture.p), info, image, dx, dy);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------------------
// AV1 encoding

// The OBUs of an encoded frame without temporal delimiters (AV1-in-ISOBMFF wants none in an item), and the
// sequence header OBU on its own for av1C.
struct Av1Frame {
  std::string obus;
  std::string sequence_header;
};

size_t read_leb128(const uint8_t* p, size_t size, uint64_t* value) {
  *value = 0;
  for (size_t i = 0; i < 8 && i < size; ++i) {
    *value |= uint64_t(p[i] & 0x7f) << (7 * i);
    if (!(p[i] & 0x80)) return i + 1;
  }
  return 0;
}

Result<Av1Frame> split_obus(const std::string& stream) {
  Av1Frame frame;
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

// av1C (AV1-ISOBMFF §2.3): profile, level and tier from the sequence header, then the header itself.
std::string av1_config(const Av1Frame& frame, bool monochrome) {
  const auto* p = reinterpret_cast<const uint8_t*>(frame.sequence_header.data());
  const size_t header_size = (p[0] & 4) ? 2 : 1;
  uint64_t payload_size = 0;
  const size_t leb = read_leb128(p + header_size, frame.sequence_header.size() - header_size, &payload_size);
  const uint8_t* payload = p + header_size + leb;
  const size_t available = frame.sequence_header.size() - header_size - leb;
  uint8_t profile = 0, level = 31, tier = 0;
  if (available >= 2) {
    const uint32_t bits = uint32_t(payload[0]) << 8 | payload[1];
    profile = uint8_t(bits >> 13);
    const bool reduced = (bits >> 11) & 1;
    if (reduced) {
      level = uint8_t((bits >> 6) & 31);
    } else if (available >= 4 && !((bits >> 10) & 1)) {  // no timing info: the first operating point follows
      const uint32_t more = uint32_t(payload[0]) << 24 | uint32_t(payload[1]) << 16 | uint32_t(payload[2]) << 8 |
                            payload[3];
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

Result<Av1Frame> encode_av1(const Image& image, bool alpha, const EncodeSettings& settings) {
  // All-intra: aom's still-image mode (its real-time mode measured slower here at equal bytes).
  const unsigned usage = AOM_USAGE_ALL_INTRA;
  const int speed = avif::speed_for(settings, uint64_t(image.width) * image.height);
  // aom reports no progress: its work, known from the size and speed, is charged before it starts.
  EP_TRY(charge(settings.budget, uint64_t(image.width) * image.height *
                                     (speed == avif::kFastSpeed ? avif::kFastSpeedUnitsPerPixel
                                                                : avif::kSlowSpeedUnitsPerPixel)));
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
  Encoder encoder;
  if (aom_codec_enc_init(&encoder.context, iface, &config, 0) != AOM_CODEC_OK)
    return Status::error(ErrorCode::out_of_memory, "AV1 encoder: cannot start (out of memory?)");
  encoder.open = true;
  aom_codec_ctx_t* ctx = &encoder.context;
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

bool any_transparent(const Image& image) {
  if (image.channels != 4) return false;
  const size_t count = size_t(image.width) * image.height;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < count; ++i)
    if (p[i * 4 + 3] != 255) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Writing the container

struct OutputItem {
  uint16_t id;
  std::string_view type;
  std::string_view content_type;
  std::string_view data;
  std::vector<uint8_t> properties;  // 1-based ipco indexes; bit 7 marks essential
};

void write_ispe(isobmff::Writer* w, uint32_t width, uint32_t height) {
  const size_t box = w->open_full("ispe", 0, 0);
  w->u32(width);
  w->u32(height);
  w->close(box);
}

void write_pixi(isobmff::Writer* w, int channels) {
  const size_t box = w->open_full("pixi", 0, 0);
  w->u8(uint8_t(channels));
  for (int i = 0; i < channels; ++i) w->u8(8);
  w->close(box);
}

}  // namespace

namespace avif {

int speed_for(const EncodeSettings& settings, uint64_t pixels) {
  return settings.fast || pixels > kAvifSlowSpeedMaxPixels ? kFastSpeed : kAvifSpeed;
}

bool is_heic(ByteView bytes) { return classify_brands(bytes) == 2; }

bool sniff(ByteView bytes) { return classify_brands(bytes) == 1; }

Result<ProbeInfo> probe(ByteView bytes) {
  Result<PrimaryImage> primary = open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  const Size size = primary->size;
  ProbeInfo info;
  info.format = Format::avif;
  info.width = size.width;
  info.height = size.height;
  info.orientation = item_orientation(c, item);
  info.has_alpha = alpha_item(c, item) != nullptr;
  // dav1d holds the YUV planes (16-bit samples above 8 bits) and its own per-frame state while we convert.
  bool wide = false;
  const Item* first = &item;
  if (item.type == "grid")
    if (const auto* tiles = c.references_from(item.id, "dimg"); tiles && !tiles->empty()) first = c.item(tiles->front());
  if (first)
    if (const Box* av1c = c.property(*first, "av1C"); av1c && av1c->payload.size >= 3)
      wide = (av1c->payload.data[2] & 0x40) != 0;
  const Size tile = first ? item_size(c, *first) : size;
  info.decoder_overhead_bytes = uint64_t(tile.width) * tile.height * (wide ? 2 : 1) * 3 + (8u << 20);
  return info;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options /*scale_eighths: AV1 has no scaled decode*/) {
  Result<PrimaryImage> primary = open_primary(bytes);
  if (!primary.ok()) return primary.status();
  const Container& c = primary->container;
  const Item& item = *primary->item;
  const Size size = primary->size;
  if (uint64_t(size.width) * size.height > Limits().max_source_pixels)
    return Status::error(ErrorCode::too_large, "the AVIF image is larger than the source pixel limit");
  const Item* alpha = alpha_item(c, item);
  // dav1d reports no progress: each plane, bounded by the header, is charged before it is decoded.
  EP_TRY(charge(options.budget, uint64_t(size.width) * size.height * (alpha ? 2 : 1)));
  Result<Image> image = Image::allocate(size.width, size.height, alpha ? 4 : 3);
  if (!image.ok()) return image;
  EP_TRY(decode_into(c, item, false, &image.value()));
  if (alpha) {
    const Size alpha_size = item_size(c, *alpha);
    if (alpha_size.width != size.width || alpha_size.height != size.height)
      return corrupt("the alpha plane's size differs from the image's");
    EP_TRY(decode_into(c, *alpha, true, &image.value()));
    // 'prem': the colour was stored multiplied by alpha.
    const std::vector<uint32_t>* prem = c.references_from(item.id, "prem");
    image->premultiplied = prem && std::find(prem->begin(), prem->end(), alpha->id) != prem->end();
  }
  return image;
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  Result<Av1Frame> colour = encode_av1(image, false, settings);
  if (!colour.ok()) return colour.status();
  Av1Frame alpha;  // empty unless some pixel is transparent
  const bool has_alpha = any_transparent(image);
  if (has_alpha) {
    Result<Av1Frame> encoded = encode_av1(image, true, settings);
    if (!encoded.ok()) return encoded.status();
    alpha = std::move(encoded.value());
  }
  const Metadata* metadata = settings.metadata;
  std::string exif;
  if (metadata && !metadata->exif.empty()) exif = std::string(4, '\0') + metadata->exif;  // TIFF header offset 0

  // Properties, in ipco order (1-based indexes in the items below).
  isobmff::Writer props;
  write_ispe(&props, image.width, image.height);  // 1
  write_pixi(&props, 3);                          // 2
  size_t box = props.open("av1C");                // 3
  props.bytes(av1_config(colour.value(), false));
  props.close(box);
  box = props.open("colr");  // 4: the pixels' encoding (CICP), always
  props.fourcc("nclx");
  props.u16(1);     // BT.709 primaries (sRGB)
  props.u16(13);    // sRGB transfer
  props.u16(6);     // BT.601 matrix
  props.u8(0x80);   // full range
  props.close(box);
  uint8_t next = 5;
  uint8_t icc_index = 0;
  if (metadata && !metadata->icc.empty()) {  // kept profile (metadata=keep): the pixels are in it
    icc_index = next++;
    box = props.open("colr");
    props.fourcc("prof");
    props.bytes(metadata->icc);
    props.close(box);
  }
  uint8_t alpha_pixi = 0, alpha_av1c = 0, alpha_auxc = 0;
  if (has_alpha) {
    alpha_pixi = next++;
    write_pixi(&props, 1);
    alpha_av1c = next++;
    box = props.open("av1C");
    props.bytes(av1_config(alpha, true));
    props.close(box);
    alpha_auxc = next++;
    box = props.open_full("auxC", 0, 0);
    props.cstring(kAlphaUrn);
    props.close(box);
  }

  std::vector<OutputItem> items;
  items.push_back({1, "av01", {}, colour->obus, {1, 2, uint8_t(0x80 | 3), 4}});
  if (icc_index) items.back().properties.push_back(icc_index);
  if (has_alpha) items.push_back({2, "av01", {}, alpha.obus, {1, alpha_pixi, uint8_t(0x80 | alpha_av1c), alpha_auxc}});
  if (!exif.empty()) items.push_back({3, "Exif", {}, exif, {}});
  if (metadata && !metadata->xmp.empty()) items.push_back({4, "mime", "application/rdf+xml", metadata->xmp, {}});

  isobmff::Writer w;
  box = w.open("ftyp");
  w.fourcc("avif");
  w.u32(0);
  for (std::string_view brand : {"avif", "mif1", "miaf"}) w.fourcc(brand);
  w.close(box);

  const size_t meta = w.open_full("meta", 0, 0);
  box = w.open_full("hdlr", 0, 0);
  w.u32(0);  // pre_defined
  w.fourcc("pict");
  for (int i = 0; i < 3; ++i) w.u32(0);
  w.cstring("");
  w.close(box);
  box = w.open_full("pitm", 0, 0);
  w.u16(1);
  w.close(box);

  // iloc with 32-bit offsets, patched once the mdat's position is known.
  box = w.open_full("iloc", 0, 0);
  w.u8(0x44);  // offset_size 4, length_size 4
  w.u8(0x00);  // base_offset_size 0
  w.u16(uint16_t(items.size()));
  std::vector<size_t> offset_fields;
  for (const OutputItem& item : items) {
    w.u16(item.id);
    w.u16(0);  // data_reference_index: this file
    w.u16(1);  // one extent
    offset_fields.push_back(w.size());
    w.u32(0);
    w.u32(uint32_t(item.data.size()));
  }
  w.close(box);

  box = w.open_full("iinf", 0, 0);
  w.u16(uint16_t(items.size()));
  for (const OutputItem& item : items) {
    const size_t infe = w.open_full("infe", 2, item.type == "Exif" || item.type == "mime" ? 1 : 0);  // 1: hidden
    w.u16(item.id);
    w.u16(0);
    w.fourcc(item.type);
    w.cstring("");
    if (item.type == "mime") w.cstring(item.content_type);
    w.close(infe);
  }
  w.close(box);

  if (items.size() > 1) {
    box = w.open_full("iref", 0, 0);
    for (const OutputItem& item : items) {
      if (item.id == 1) continue;
      const size_t ref = w.open(item.id == 2 ? "auxl" : "cdsc");  // alpha of / metadata about the image
      w.u16(item.id);
      w.u16(1);
      w.u16(1);
      w.close(ref);
    }
    w.close(box);
  }

  const size_t iprp = w.open("iprp");
  box = w.open("ipco");
  w.bytes(props.data());
  w.close(box);
  box = w.open_full("ipma", 0, 0);
  uint32_t associated = 0;
  for (const OutputItem& item : items) associated += !item.properties.empty();
  w.u32(associated);
  for (const OutputItem& item : items) {
    if (item.properties.empty()) continue;
    w.u16(item.id);
    w.u8(uint8_t(item.properties.size()));
    for (uint8_t index : item.properties) w.u8(index);
  }
  w.close(box);
  w.close(iprp);
  w.close(meta);

  uint64_t payload = 0;
  for (const OutputItem& item : items) payload += item.data.size();
  if (payload + 8 > 0xffffffffu - w.size())
    return Status::error(ErrorCode::too_large, "the AVIF output would exceed 4 GB");
  uint32_t offset = uint32_t(w.size() + 8);
  for (size_t i = 0; i < items.size(); ++i) {
    w.patch_u32(offset_fields[i], offset);
    offset += uint32_t(items[i].data.size());
  }
  w.u32(uint32_t(payload + 8));
  w.fourcc("mdat");

  Buffer out;
  if (!out.append(reinterpret_cast<const uint8_t*>(w.data().data()), w.size()))
    return Status::error(ErrorCode::out_of_memory, "out of memory for the AVIF output");
  for (const OutputItem& item : items)
    if (!out.append(reinterpret_cast<const uint8_t*>(item.data.data()), item.data.size()))
      return Status::error(ErrorCode::out_of_memory, "out of memory for the AVIF output");
  return out;
}

Metadata read_metadata(ByteView bytes) {
  Metadata m;
  Result<Container> parsed = parse_container(bytes);
  if (!parsed.ok()) return m;
  const Container& c = parsed.value();
  const Item* primary = c.item(c.primary);
  for (uint16_t index : primary->properties) {
    if (index < 1 || index > c.properties.size() || c.properties[index - 1].type != "colr") continue;
    Reader r(c.properties[index - 1].payload);
    const std::string_view kind = r.fourcc();
    if (kind == "prof" || kind == "rICC") {
      const ByteView icc = r.take(r.remaining());
      m.icc.assign(reinterpret_cast<const char*>(icc.data), icc.size);
    }
  }
  for (const Reference& ref : c.references) {
    if (ref.type != "cdsc" || std::find(ref.to.begin(), ref.to.end(), c.primary) == ref.to.end()) continue;
    const Item* item = c.item(ref.from);
    if (!item) continue;
    std::string storage;
    Result<ByteView> data = item_data(c, *item, &storage);
    if (!data.ok()) continue;
    const ByteView d = data.value();
    if (item->type == "Exif" && d.size > 4) {
      const uint32_t offset = uint32_t(d.data[0]) << 24 | d.data[1] << 16 | d.data[2] << 8 | d.data[3];
      if (offset < d.size - 4) m.exif.assign(reinterpret_cast<const char*>(d.data) + 4 + offset, d.size - 4 - offset);
      if (m.exif.compare(0, 6, std::string("Exif\0\0", 6)) == 0) m.exif.erase(0, 6);  // some writers keep the APP1 prefix
    } else if (item->type == "mime" && item->content_type == "application/rdf+xml") {
      m.xmp.assign(reinterpret_cast<const char*>(d.data), d.size);
    }
  }
  return m;
}

}  // namespace avif
}  // namespace edgepix
