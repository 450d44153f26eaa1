// PNG through libpng: every colour type and bit depth is expanded to 8-bit RGB or RGBA (palette, tRNS, gray,
// 16-bit scaled with rounding). libpng reports fatal errors by longjmp to the setjmp in each run_* function,
// which hold only plain C state.
#include <setjmp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "codec/codec.h"
#include "codec/exif.h"
#include "core/bytes.h"
#include "core/budget.h"

extern "C" {
#include <png.h>
#include <zlib.h>
}

namespace edgepix {
namespace png {
namespace {

constexpr char kXmpKeyword[] = "XML:com.adobe.xmp";  // iTXt keyword, + NUL

struct Context {
  ByteView input;
  size_t offset;
  Buffer* output;
  char message[160];
  bool out_of_memory;
  Budget* budget;       // charged a unit per pixel of each row read or written (an interlaced row per pass)
  uint64_t row_units;   // the image's width
  bool over_budget;
};

Context* context_of(png_structp png) { return static_cast<Context*>(png_get_io_ptr(png)); }

[[noreturn]] void on_error(png_structp png, png_const_charp message) {
  auto* context = static_cast<Context*>(png_get_error_ptr(png));
  std::snprintf(context->message, sizeof(context->message), "%s", message);
  png_longjmp(png, 1);
}
void on_warning(png_structp, png_const_charp) {}

void read_from_memory(png_structp png, png_bytep out, size_t count) {
  Context* context = context_of(png);
  if (count > context->input.size - context->offset) png_error(png, "file is truncated");
  std::memcpy(out, context->input.data + context->offset, count);
  context->offset += count;
}

void write_to_buffer(png_structp png, png_bytep bytes, size_t count) {
  Context* context = context_of(png);
  if (!context->output->append(bytes, count)) {
    context->out_of_memory = true;
    png_error(png, "out of memory");
  }
}
void flush_nothing(png_structp) {}

// libpng's row callback, after each row: a budget that runs out leaves through the error path.
void charge_row(png_structp png, png_uint_32, int) {
  auto* context = static_cast<Context*>(png_get_error_ptr(png));
  if (charge(context->budget, context->row_units).ok()) return;
  context->over_budget = true;
  png_error(png, "over budget");
}

struct DecodeOutput {
  uint8_t* pixels;  // malloc'd
  uint32_t width, height, channels;
};

bool run_decode(Context* context, DecodeOutput* out) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, context, on_error, on_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  uint8_t* volatile pixels = nullptr;
  png_bytep* volatile rows = nullptr;
  if (!info || setjmp(png_jmpbuf(png))) {
    std::free(pixels);
    std::free(rows);
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return false;
  }
  png_set_read_fn(png, context, read_from_memory);
  png_read_info(png, info);
  png_set_expand(png);
  if (png_get_bit_depth(png, info) == 16) png_set_scale_16(png);
  png_set_gray_to_rgb(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const uint32_t width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  const uint32_t channels = png_get_channels(png, info);
  const size_t row_bytes = size_t(width) * channels;
  context->row_units = width;
  if (context->budget) png_set_read_status_fn(png, charge_row);
  pixels = static_cast<uint8_t*>(std::malloc(row_bytes * height));
  rows = static_cast<png_bytep*>(std::malloc(sizeof(png_bytep) * height));
  if (!pixels || !rows) {
    context->out_of_memory = true;
    png_error(png, "out of memory");
  }
  for (uint32_t y = 0; y < height; ++y) rows[y] = pixels + y * row_bytes;
  png_read_image(png, rows);
  png_read_end(png, nullptr);
  std::free(rows);
  png_destroy_read_struct(&png, &info, nullptr);
  *out = {pixels, width, height, channels};
  return true;
}

void write_metadata(png_structp png, png_infop info, const Metadata& metadata) {
  if (!metadata.exif.empty())
    png_set_eXIf_1(png, info, png_uint_32(metadata.exif.size()),
                   reinterpret_cast<png_bytep>(const_cast<char*>(metadata.exif.data())));
  if (!metadata.icc.empty()) {
    // libpng checks the profile and, by default, fails the whole encode on a bad one. A source's profile may be
    // anything; one libpng refuses is left out (a warning), as a reader that cannot use it would ignore it.
    png_set_benign_errors(png, 1);
    png_set_iCCP(png, info, "icc", PNG_COMPRESSION_TYPE_BASE,
                 reinterpret_cast<png_const_bytep>(metadata.icc.data()), png_uint_32(metadata.icc.size()));
    png_set_benign_errors(png, 0);
  }
  if (!metadata.xmp.empty()) {
    png_text text{};
    text.compression = PNG_ITXT_COMPRESSION_NONE;
    text.key = const_cast<char*>(kXmpKeyword);
    text.text = const_cast<char*>(metadata.xmp.c_str());
    text.itxt_length = metadata.xmp.size();
    png_set_text(png, info, &text, 1);
  }
}

bool run_encode(const Image& image, const Metadata* metadata, Context* context) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, context, on_error, on_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, context, write_to_buffer, flush_nothing);
  png_set_IHDR(png, info, image.width, image.height, 8,
               image.channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (metadata) write_metadata(png, info, *metadata);
  context->row_units = image.width;
  if (context->budget) png_set_write_status_fn(png, charge_row);
  png_write_info(png, info);
  for (uint32_t y = 0; y < image.height; ++y) png_write_row(png, image.row(y));
  png_write_end(png, nullptr);  // nothing after the pixels (libpng would repeat eXIf there)
  png_destroy_write_struct(&png, &info);
  return true;
}

const uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

bool is_type(const uint8_t* type, const char* name) { return std::memcmp(type, name, 4) == 0; }

// The chunks before the image data, in order: visit(type, data) with the chunk's four-letter type and its data.
// A chunk that overruns the file ends the walk.
template <class Visit>
void walk_chunks(ByteView bytes, Visit visit) {
  for (size_t at = 8; at + 12 <= bytes.size;) {
    const uint32_t length = be32(bytes.data + at);
    const uint8_t* type = bytes.data + at + 4;
    if (is_type(type, "IDAT") || length > bytes.size - at - 12) break;
    visit(type, ByteView{bytes.data + at + 8, length});
    at += size_t(length) + 12;
  }
}

// zlib-compressed ancillary data (iCCP), bounded so a bomb cannot exhaust memory.
std::string inflate_bounded(const uint8_t* data, size_t size, size_t limit) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) return {};
  std::string out;
  stream.next_in = const_cast<uint8_t*>(data);
  stream.avail_in = uInt(size);
  int status = Z_OK;
  while (status == Z_OK && out.size() < limit) {
    char chunk[16384];
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof(chunk);
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - stream.avail_out);
  }
  inflateEnd(&stream);
  return status == Z_STREAM_END ? out : std::string();
}

// iCCP: profile name, NUL, compression method, zlib data.
std::string read_icc(ByteView chunk) {
  const void* end_of_name = std::memchr(chunk.data, 0, std::min<size_t>(chunk.size, 80));
  if (!end_of_name) return {};
  const size_t skip = static_cast<const uint8_t*>(end_of_name) - chunk.data + 2;  // NUL, compression method
  return skip < chunk.size ? inflate_bounded(chunk.data + skip, chunk.size - skip, 4 << 20) : std::string();
}

// iTXt holding XMP, uncompressed only: keyword NUL, flag, method, language NUL, translated keyword NUL, text.
bool read_xmp(ByteView chunk, std::string* xmp) {
  if (chunk.size <= sizeof(kXmpKeyword) + 2 || std::memcmp(chunk.data, kXmpKeyword, sizeof(kXmpKeyword)) != 0 ||
      chunk.data[sizeof(kXmpKeyword)] != 0)
    return false;
  const uint8_t* p = chunk.data + sizeof(kXmpKeyword) + 2;
  const uint8_t* end = chunk.data + chunk.size;
  for (int nuls = 0; p < end && nuls < 2; ++p) nuls += *p == 0;
  xmp->assign(reinterpret_cast<const char*>(p), end - p);
  return true;
}

bool sniff(ByteView bytes) { return bytes.size >= 8 && std::memcmp(bytes.data, kSignature, 8) == 0; }

Result<ProbeInfo> probe(ByteView bytes) {
  if (bytes.size < 33 || std::memcmp(bytes.data + 12, "IHDR", 4) != 0)
    return error(ErrorCode::corrupt_image, "PNG has no IHDR header (truncated or corrupt)");
  ProbeInfo info;
  info.format = Format::png;
  info.width = be32(bytes.data + 16);
  info.height = be32(bytes.data + 20);
  const uint8_t color_type = bytes.data + 25 < bytes.data + bytes.size ? bytes.data[25] : 0;
  if (info.width == 0 || info.height == 0 || info.width > 0x7fffffff || info.height > 0x7fffffff)
    return error(ErrorCode::corrupt_image, "PNG header has an invalid size");
  info.has_alpha = color_type == 4 || color_type == 6;
  // Ancillary chunks that matter before the pixels: transparency, EXIF orientation, animation.
  walk_chunks(bytes, [&](const uint8_t* type, ByteView data) {
    if (is_type(type, "tRNS")) info.has_alpha = true;
    if (is_type(type, "acTL")) info.animated = true;
    if (is_type(type, "eXIf")) info.orientation = exif_orientation(data);
  });
  return info;
}

Metadata read_metadata(ByteView bytes) {
  Metadata m;
  walk_chunks(bytes, [&](const uint8_t* type, ByteView data) {
    if (is_type(type, "eXIf")) m.exif.assign(reinterpret_cast<const char*>(data.data), data.size);
    if (is_type(type, "iCCP")) m.icc = read_icc(data);
    if (is_type(type, "iTXt")) read_xmp(data, &m.xmp);
  });
  return m;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  Context context{bytes, 0, nullptr, "", false, options.budget, 0, false};
  DecodeOutput out{};
  if (!run_decode(&context, &out)) {
    if (context.over_budget) return options.budget->check();
    if (context.out_of_memory) return error(ErrorCode::out_of_memory, "out of memory decoding PNG");
    return error(ErrorCode::corrupt_image, std::string("PNG is corrupt: ") + context.message);
  }
  Image image;
  image.width = out.width;
  image.height = out.height;
  image.channels = out.channels;
  image.pixels = Buffer::adopt(out.pixels, size_t(out.width) * out.height * out.channels);
  return image;
}

Result<Buffer> encode(const Image& image, const EncodeSettings& settings) {
  if (image.premultiplied) return error(ErrorCode::internal, "PNG encoder needs straight alpha");
  Buffer output;
  Context context{{}, 0, &output, "", false, settings.budget, 0, false};
  if (!run_encode(image, settings.metadata, &context)) {
    if (context.over_budget) return settings.budget->check();
    if (context.out_of_memory) return error(ErrorCode::out_of_memory, "out of memory encoding PNG");
    return error(ErrorCode::internal, std::string("PNG encoding failed: ") + context.message);
  }
  return output;
}

// libpng streams rows.
uint64_t encoder_bytes(const EncodeSettings&, uint64_t pixels) { return pixels; }

}  // namespace
}  // namespace png

extern const Codec kPngCodec = {
    .format = Format::png, .name = "png", .content_type = "image/png",
    .sniff = png::sniff, .probe = png::probe, .decode = png::decode, .read_metadata = png::read_metadata,
    .encode = png::encode, .encoder_bytes = png::encoder_bytes, .holds_alpha = true,  // lossless, whatever the quality
    .writes_metadata = {true, true, true},
    .family = {Format::png, Format::png}, .family_when_refused = {Format::png, Format::png}};

}  // namespace edgepix
