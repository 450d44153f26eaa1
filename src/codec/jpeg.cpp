// JPEG through libjpeg-turbo: DCT scale-on-load (M/8) and progressive, Huffman-optimised output.
// libjpeg reports fatal errors through a callback that must not return, so errors longjmp back to the one
// setjmp in each run_* function; those functions hold only plain C state so no destructor is skipped.
#include <setjmp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "codec/codec.h"
#include "codec/exif.h"
#include "codec/icc.h"
#include "core/bytes.h"
#include "core/budget.h"

extern "C" {
#include <jerror.h>
#include <jpeglib.h>
}

namespace edgepix {
namespace jpeg {
namespace {

// Metadata segments: APP1 holds EXIF or XMP (told apart by their prefixes), APP2 the ICC profile in parts.
constexpr uint8_t kApp1 = 0xE1, kApp2 = 0xE2;
constexpr char kXmpNamespace[] = "http://ns.adobe.com/xap/1.0/";  // + NUL
constexpr char kIccPrefix[] = "ICC_PROFILE";                       // + NUL, sequence, count

bool starts_with(ByteView segment, const char* prefix, size_t prefix_size) {
  return segment.size >= prefix_size && std::memcmp(segment.data, prefix, prefix_size) == 0;
}

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void fail(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  cinfo->err->format_message(cinfo, err->message);
  longjmp(err->jump, 1);
}

// Warnings that real cameras and editors produce on otherwise good files; every other warning (truncation,
// bad Huffman codes, markers inside entropy data) means the pixels would be partly invented, so it fails.
bool benign_warning(int code) {
  return code == JWRN_EXTRANEOUS_DATA || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM ||
         code == JWRN_BOGUS_ICC || code == JWRN_BOGUS_PROGRESSION || code == JWRN_TOO_MUCH_DATA;
}

void on_message(j_common_ptr cinfo, int level) {
  if (level < 0 && !benign_warning(cinfo->err->msg_code)) fail(cinfo);
}

void install_errors(ErrorManager* err) {
  jpeg_std_error(&err->pub);
  err->pub.error_exit = fail;
  err->pub.emit_message = on_message;
  err->message[0] = 0;
}

// Budget charges from libjpeg's progress monitor, which libjpeg calls before each unit of work: an iMCU row of
// one scan while a multi-scan (progressive) file is read, a row written, an iMCU row of each later pass of the
// encoder (Huffman optimisation, progressive scans). Each call charges that unit's share of the image's pixels,
// so every scan or pass costs about a pass over the image: a file with thousands of scans runs out. A budget that
// runs out leaves through the error path, like any libjpeg error.
struct BudgetMonitor {
  jpeg_progress_mgr pub;
  Budget* budget;
  bool reading_rows;  // decoding: rows are charged by the read loop, not here
  bool* stopped;      // set when the budget ran out: the error to report is the budget's (outside the setjmp frame)
};

void charge_unit_of_work(j_common_ptr cinfo) {
  auto* monitor = reinterpret_cast<BudgetMonitor*>(cinfo->progress);
  if (monitor->reading_rows) return;
  uint64_t pixels, units_per_pass;
  if (cinfo->is_decompressor) {
    const auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
    pixels = uint64_t(d->image_width) * d->image_height;
    units_per_pass = d->total_iMCU_rows;
  } else {
    const auto* c = reinterpret_cast<j_compress_ptr>(cinfo);
    pixels = uint64_t(c->image_width) * c->image_height;
    units_per_pass = uint64_t(monitor->pub.pass_limit);
  }
  if (charge(monitor->budget, pixels / std::max<uint64_t>(1, units_per_pass)).ok()) return;
  *monitor->stopped = true;
  cinfo->err->error_exit(cinfo);
}

void install_monitor(j_common_ptr cinfo, BudgetMonitor* monitor, Budget* budget, bool* stopped) {
  *monitor = {};
  if (!budget) return;
  monitor->pub.progress_monitor = charge_unit_of_work;
  monitor->budget = budget;
  monitor->stopped = stopped;
  cinfo->progress = &monitor->pub;
}

struct DecodeOutput {
  uint8_t* pixels;  // malloc'd
  uint32_t width, height;
  bool cmyk, inverted;  // CMYK pixels (4 bytes each), converted to RGB after the decode
  bool ycbcr;           // left in YCbCr, as asked
  char message[JMSG_LENGTH_MAX];
  bool out_of_memory;
  bool over_budget;
};

// Adobe CMYK JPEGs store inverted ink values; plain ones do not. The naive conversion, for CMYK without a
// usable embedded profile.
void naive_cmyk_to_rgb(uint8_t* pixels, size_t count, bool inverted) {
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* cmyk = pixels + i * 4;
    uint8_t* rgb = pixels + i * 3;  // writes trail reads: in place is safe
    unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];
    if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
    rgb[0] = uint8_t((c * k + 127) / 255);
    rgb[1] = uint8_t((m * k + 127) / 255);
    rgb[2] = uint8_t((y * k + 127) / 255);
  }
}

bool run_decode(ByteView bytes, const DecodeOptions& options, DecodeOutput* out) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  BudgetMonitor monitor;
  uint8_t* volatile pixels = nullptr;
  JSAMPROW* volatile rows = nullptr;
  cinfo.err = &err.pub;
  install_errors(&err);
  if (setjmp(err.jump)) {
    std::free(pixels);
    std::free(rows);
    jpeg_destroy_decompress(&cinfo);
    std::memcpy(out->message, err.message, sizeof(out->message));
    return false;
  }
  jpeg_create_decompress(&cinfo);
  install_monitor(reinterpret_cast<j_common_ptr>(&cinfo), &monitor, options.budget, &out->over_budget);
  jpeg_mem_src(&cinfo, bytes.data, static_cast<unsigned long>(bytes.size));
  jpeg_read_header(&cinfo, TRUE);
  // M/8 picks libjpeg's M×M inverse DCT: the block's lowest frequencies only, so the shrink costs less than a
  // full decode and aliases less than decoding then dropping pixels.
  cinfo.scale_num = options.scale_eighths;
  cinfo.scale_denom = kFullScale;
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  const bool ycbcr = options.keep_ycbcr && cinfo.jpeg_color_space == JCS_YCbCr;
  cinfo.out_color_space = cmyk ? JCS_CMYK : ycbcr ? JCS_YCbCr : JCS_RGB;
  jpeg_start_decompress(&cinfo);
  const size_t row_bytes = size_t(cinfo.output_width) * cinfo.output_components;
  pixels = static_cast<uint8_t*>(std::malloc(row_bytes * cinfo.output_height));
  rows = static_cast<JSAMPROW*>(std::malloc(sizeof(JSAMPROW) * cinfo.output_height));
  if (!pixels || !rows) {
    out->out_of_memory = true;
    ERREXIT(&cinfo, JERR_OUT_OF_MEMORY);
  }
  for (JDIMENSION y = 0; y < cinfo.output_height; ++y) rows[y] = pixels + y * row_bytes;
  // Each output row costs its share of the source's pixels: the blocks behind it are decoded whatever the scale.
  monitor.reading_rows = true;
  const uint64_t source_pixels = uint64_t(cinfo.image_width) * cinfo.image_height;
  while (cinfo.output_scanline < cinfo.output_height) {
    const JDIMENSION read =
        jpeg_read_scanlines(&cinfo, rows + cinfo.output_scanline, cinfo.output_height - cinfo.output_scanline);
    if (!charge(options.budget, read * source_pixels / cinfo.output_height).ok()) {
      out->over_budget = true;
      longjmp(err.jump, 1);
    }
  }
  // Finishing reads on to the EOI and may still fail (a bad marker after the last row, the budget): through the
  // error path, which frees `pixels` and `rows`, so both stay owned here until it has returned.
  jpeg_finish_decompress(&cinfo);
  out->cmyk = cmyk;
  out->ycbcr = ycbcr;
  out->inverted = cinfo.saw_Adobe_marker;
  out->pixels = pixels;
  out->width = cinfo.output_width;
  out->height = cinfo.output_height;
  std::free(rows);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

struct EncodeOutput {
  Buffer* bytes;
  char message[JMSG_LENGTH_MAX];
  bool over_budget;
};

// libjpeg writes into a Buffer that the caller owns, so an error midway (a budget that runs out) frees every byte.
// (libjpeg's own memory destination frees and replaces its buffer as it grows, and the caller's pointer to it
// is only updated at the end: after an error it points at freed memory.)
struct BufferDestination {
  jpeg_destination_mgr pub;
  Buffer* bytes;
};

void give_room(j_compress_ptr cinfo, size_t used, size_t size) {
  auto* destination = reinterpret_cast<BufferDestination*>(cinfo->dest);
  if (!destination->bytes->resize(size)) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
  destination->pub.next_output_byte = destination->bytes->data() + used;
  destination->pub.free_in_buffer = size - used;
}
void start_buffer(j_compress_ptr cinfo) { give_room(cinfo, 0, 64 << 10); }
boolean grow_buffer(j_compress_ptr cinfo) {  // called when the buffer is full
  const size_t used = reinterpret_cast<BufferDestination*>(cinfo->dest)->bytes->size();
  give_room(cinfo, used, used * 2);
  return TRUE;
}
void finish_buffer(j_compress_ptr cinfo) {
  auto* destination = reinterpret_cast<BufferDestination*>(cinfo->dest);
  destination->bytes->resize(destination->bytes->size() - destination->pub.free_in_buffer);  // shrinks: no copy
}

void write_metadata(j_compress_ptr cinfo, const Metadata& metadata) {
  // A marker segment holds at most 65533 bytes: larger EXIF/XMP blocks are dropped rather than cut.
  const struct {
    const char* prefix;
    size_t prefix_size;
    const std::string& block;
  } app1_segments[] = {{kExifPrefix, kExifPrefixSize, metadata.exif},
                       {kXmpNamespace, sizeof(kXmpNamespace), metadata.xmp}};
  for (const auto& app1 : app1_segments) {
    if (app1.block.empty() || app1.block.size() + app1.prefix_size > 65533) continue;
    std::string segment(app1.prefix, app1.prefix_size);
    segment += app1.block;
    jpeg_write_marker(cinfo, kApp1, reinterpret_cast<const JOCTET*>(segment.data()), unsigned(segment.size()));
  }
  if (!metadata.icc.empty())
    jpeg_write_icc_profile(cinfo, reinterpret_cast<const JOCTET*>(metadata.icc.data()), unsigned(metadata.icc.size()));
}

// The progressive scans (component, spectral band Ss..Se, successive approximation Ah/Al). libjpeg's default
// script refines every component's AC and DC by a last bit in four extra scans; refinement scans are the slow
// half of progressive encoding. Here only luma is refined: DC and chroma go whole in one scan. On four 1000 px
// photos at q60 and q85 (cjpeg) this came out smaller than the default script in 7 of 8 encodes (by up to 12%;
// the eighth 0.3% larger), and took ~25% less time to encode natively.
const jpeg_scan_info kProgressiveScans[] = {
    {3, {0, 1, 2, 0}, 0, 0, 0, 0},  // DC of Y, Cb, Cr: the first, blocky picture
    {1, {0, 0, 0, 0}, 1, 5, 0, 1},  // luma's low frequencies, less their last bit
    {1, {2, 0, 0, 0}, 1, 63, 0, 0}, // Cr
    {1, {1, 0, 0, 0}, 1, 63, 0, 0}, // Cb
    {1, {0, 0, 0, 0}, 6, 63, 0, 1}, // luma's high frequencies, less their last bit
    {1, {0, 0, 0, 0}, 1, 63, 1, 0}, // luma's last bit
};

bool run_encode(const Image& image, const EncodeSettings& settings, EncodeOutput* out) {
  jpeg_compress_struct cinfo;
  ErrorManager err;
  BudgetMonitor monitor;
  BufferDestination destination;
  cinfo.err = &err.pub;
  install_errors(&err);
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::memcpy(out->message, err.message, sizeof(out->message));
    return false;
  }
  jpeg_create_compress(&cinfo);
  install_monitor(reinterpret_cast<j_common_ptr>(&cinfo), &monitor, settings.budget, &out->over_budget);
  destination.pub.init_destination = start_buffer;
  destination.pub.empty_output_buffer = grow_buffer;
  destination.pub.term_destination = finish_buffer;
  destination.bytes = out->bytes;
  cinfo.dest = &destination.pub;
  cinfo.image_width = image.width;
  cinfo.image_height = image.height;
  cinfo.input_components = 3;
  cinfo.in_color_space = image.ycbcr ? JCS_YCbCr : JCS_RGB;  // YCbCr in: libjpeg only copies the planes
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, settings.quality, TRUE);
  cinfo.optimize_coding = TRUE;
  if (settings.progressive) {
    cinfo.scan_info = kProgressiveScans;
    cinfo.num_scans = int(sizeof(kProgressiveScans) / sizeof(kProgressiveScans[0]));
  }
  jpeg_start_compress(&cinfo, TRUE);
  if (settings.metadata) write_metadata(&cinfo, *settings.metadata);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.row(cinfo.next_scanline));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

bool is_start_of_frame(uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

// Coefficient planes libjpeg keeps for a progressive image: 64 16-bit coefficients per block, every block of
// every component, at full size whatever the output scale.
uint64_t progressive_coefficient_bytes(const uint8_t* sof, uint32_t width, uint32_t height) {
  const unsigned components = sof[5];
  unsigned h_max = 1, v_max = 1;
  for (unsigned c = 0; c < components; ++c) {
    h_max = std::max<unsigned>(h_max, sof[7 + c * 3] >> 4);
    v_max = std::max<unsigned>(v_max, sof[7 + c * 3] & 15);
  }
  uint64_t total = 0;
  for (unsigned c = 0; c < components; ++c) {
    const unsigned h = std::max(1u, unsigned(sof[7 + c * 3] >> 4)), v = std::max(1u, unsigned(sof[7 + c * 3] & 15));
    const uint64_t comp_w = (uint64_t(width) * h + h_max - 1) / h_max, comp_h = (uint64_t(height) * v + v_max - 1) / v_max;
    // libjpeg pads each component to whole MCUs: round blocks up to the sampling factor.
    const uint64_t blocks_w = ((comp_w + 7) / 8 + h - 1) / h * h, blocks_h = ((comp_h + 7) / 8 + v - 1) / v * v;
    total += blocks_w * blocks_h * 64 * 2;
  }
  return total;
}

// The marker segments before the entropy-coded data, in order: visit(marker, segment) returns false to stop.
// False when a byte where a marker should start is something else (a corrupt header); a truncated segment
// ends the walk quietly.
template <class Visit>
bool walk_segments(ByteView bytes, Visit visit) {
  for (size_t at = 2; at + 4 <= bytes.size;) {
    if (bytes.data[at] != 0xFF) return false;
    const uint8_t marker = bytes.data[at + 1];
    if (marker == 0xFF) { ++at; continue; }  // fill byte
    if (marker == 0xD9 || marker == 0xDA) break;  // the image data (or its end) begins
    const uint16_t length = be16(bytes.data + at + 2);
    if (length < 2 || at + 2 + length > bytes.size) break;
    if (!visit(marker, ByteView{bytes.data + at + 4, size_t(length - 2)})) break;
    at += 2 + length;
  }
  return true;
}

Status read_frame_header(uint8_t marker, ByteView segment, ProbeInfo* info) {
  if (segment.size < 6 || segment.size < 6u + 3u * segment.data[5])
    return error(ErrorCode::corrupt_image, "JPEG frame header is truncated");
  info->height = be16(segment.data + 1);
  info->width = be16(segment.data + 3);
  if (info->width == 0 || info->height == 0)
    return error(ErrorCode::corrupt_image, "JPEG frame header has a zero dimension");
  const bool progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
  if (progressive) info->decoder_overhead_bytes = progressive_coefficient_bytes(segment.data, info->width, info->height);
  return {};
}

bool sniff(ByteView bytes) {
  return bytes.size >= 3 && bytes.data[0] == 0xFF && bytes.data[1] == 0xD8 && bytes.data[2] == 0xFF;
}

Result<ProbeInfo> probe(ByteView bytes) {
  ProbeInfo info;
  info.format = Format::jpeg;
  Status frame_header = error(ErrorCode::corrupt_image, "JPEG has no frame header (truncated or corrupt)");
  const bool well_formed = walk_segments(bytes, [&](uint8_t marker, ByteView segment) {
    if (marker == kApp1 && segment.size > kExifPrefixSize && starts_with(segment, kExifPrefix, kExifPrefixSize))
      info.orientation = exif_orientation(without_exif_prefix(segment));
    if (!is_start_of_frame(marker)) return true;
    frame_header = read_frame_header(marker, segment, &info);
    return false;
  });
  if (!frame_header.ok() && !well_formed)
    return error(ErrorCode::corrupt_image, "JPEG header is corrupt (expected a marker)");
  if (!frame_header.ok()) return frame_header;
  return info;
}

Metadata read_metadata(ByteView bytes) {
  Metadata m;
  std::map<int, std::string> icc_parts;  // by sequence number: APP2 segments may come in any order
  walk_segments(bytes, [&](uint8_t marker, ByteView segment) {
    const char* text = reinterpret_cast<const char*>(segment.data);
    if (marker == kApp1 && starts_with(segment, kExifPrefix, kExifPrefixSize))
      m.exif.assign(text + kExifPrefixSize, segment.size - kExifPrefixSize);
    if (marker == kApp1 && starts_with(segment, kXmpNamespace, sizeof(kXmpNamespace)))
      m.xmp.assign(text + sizeof(kXmpNamespace), segment.size - sizeof(kXmpNamespace));
    // ICC_PROFILE NUL, then the part's sequence number and the count of parts.
    constexpr size_t kIccHeader = sizeof(kIccPrefix) + 2;
    if (marker == kApp2 && starts_with(segment, kIccPrefix, sizeof(kIccPrefix)) && segment.size > kIccHeader)
      icc_parts[segment.data[sizeof(kIccPrefix)]].assign(text + kIccHeader, segment.size - kIccHeader);
    return true;
  });
  for (const auto& part : icc_parts) m.icc += part.second;
  return m;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  DecodeOutput out{};
  if (!run_decode(bytes, options, &out)) {
    if (out.over_budget) return options.budget->check();
    if (out.out_of_memory) return error(ErrorCode::out_of_memory, "out of memory decoding JPEG");
    return error(ErrorCode::corrupt_image, std::string("JPEG is corrupt: ") + out.message);
  }
  // CMYK leaves the decoder as RGB: sRGB through its embedded profile when that is usable, else naively.
  if (out.cmyk && !cmyk_to_srgb(out.pixels, out.width, out.height, out.inverted, read_metadata(bytes).icc))
    naive_cmyk_to_rgb(out.pixels, size_t(out.width) * out.height, out.inverted);
  Image image;
  image.width = out.width;
  image.height = out.height;
  image.channels = 3;
  image.ycbcr = out.ycbcr;
  image.pixels = Buffer::adopt(out.pixels, size_t(out.width) * out.height * 3);
  return image;
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  if (image.channels != 3) return error(ErrorCode::internal, "JPEG encoder needs RGB pixels");
  Buffer bytes;
  EncodeOutput out{&bytes, "", false};
  if (!run_encode(image, settings, &out)) {
    if (out.over_budget) return settings.budget->check();
    return error(ErrorCode::internal, std::string("JPEG encoding failed: ") + out.message);
  }
  return bytes;
}

// libjpeg keeps a progressive image's coefficients (4:2:0: 1.5 samples x 2 bytes).
uint64_t encoder_bytes(const EncodeSettings&, uint64_t pixels) { return pixels * 3; }

}  // namespace
}  // namespace jpeg

extern const Codec kJpegCodec = {
    .format = Format::jpeg, .name = "jpeg", .content_type = "image/jpeg",
    .sniff = jpeg::sniff, .probe = jpeg::probe, .decode = jpeg::decode, .read_metadata = jpeg::read_metadata,
    .scales_on_load = true, .decodes_ycbcr = true,  // scaled IDCTs (M/8); YCbCr left as coded
    .encode = jpeg::encode, .encoder_bytes = jpeg::encoder_bytes, .lossy = true, .encodes_ycbcr = true,  // no alpha
    .writes_metadata = {true, true, true},
    .family = {Format::jpeg, Format::jpeg}, .family_when_refused = {Format::jpeg, Format::jpeg}};

}  // namespace edgepix
