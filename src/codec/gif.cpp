// GIF through stb_image: the first frame on the logical screen, as RGBA. Animation comes with giflib later.
#include <cstring>

#include <cstdlib>

#include "codec/animation.h"
#include "codec/codec.h"
#include "core/bytes.h"
#include "core/budget.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 65535
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#endif
#include "stb_image.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace edgepix {
namespace gif {
namespace {

// stb_image reads zeros past the end of its input, so a truncated file would decode into invented pixels.
// This walks the block structure and counts the frames whose image data is all there.
uint32_t complete_frames(ByteView bytes, uint32_t stop_after) {
  if (bytes.size < 13) return 0;
  size_t at = 13;
  uint32_t frames = 0;
  const auto skip_color_table = [&](uint8_t flags) {
    if (flags & 0x80) at += 3u * (2u << (flags & 7));
  };
  const auto skip_sub_blocks = [&]() {
    while (at < bytes.size && bytes.data[at] != 0) at += 1 + bytes.data[at];
    ++at;  // the zero-length terminator
    return at <= bytes.size;
  };
  skip_color_table(bytes.data[10]);
  while (at < bytes.size && frames < stop_after) {
    const uint8_t introducer = bytes.data[at++];
    if (introducer == 0x21) {  // extension: label, then sub-blocks
      ++at;
      if (!skip_sub_blocks()) break;
    } else if (introducer == 0x2C) {  // image descriptor, optional local table, LZW code size, data
      if (at + 9 > bytes.size) break;
      const uint8_t flags = bytes.data[at + 8];
      at += 9;
      skip_color_table(flags);
      ++at;
      if (!skip_sub_blocks()) break;
      ++frames;
    } else {
      break;  // the trailer, or garbage
    }
  }
  return frames;
}
bool first_frame_complete(ByteView bytes) { return complete_frames(bytes, 1) == 1; }

// Frames through stb_image's own GIF state machine (its internals are in this file), one canvas at a time.
class GifFrames : public FrameReader {
 public:
  GifFrames(ByteView bytes, uint32_t frames) : remaining_(frames) {
    std::memset(&gif_, 0, sizeof(gif_));
    stbi__start_mem(&context_, bytes.data, int(bytes.size));
  }
  ~GifFrames() override {
    std::free(gif_.out);
    std::free(gif_.history);
    std::free(gif_.background);
  }
  Result<bool> next(Image* canvas, uint32_t* duration_ms) override {
    if (remaining_ == 0) return false;
    int components = 0;
    // "Restore to previous" disposal needs the canvas from two frames back.
    uint8_t* frame = stbi__gif_load_next(&context_, &gif_, &components, 4, two_back_.pixels.data());
    if (!frame || frame == reinterpret_cast<uint8_t*>(&context_))
      return error(ErrorCode::corrupt_image, std::string("GIF frame is corrupt: ") + stbi_failure_reason());
    --remaining_;
    Result<Image> copy = Image::allocate(uint32_t(gif_.w), uint32_t(gif_.h), 4);
    if (!copy.ok()) return copy.status();
    std::memcpy(copy->pixels.data(), frame, copy->pixels.size());
    two_back_ = std::move(previous_);
    Result<Image> keep = Image::allocate(copy->width, copy->height, 4);
    if (!keep.ok()) return keep.status();
    std::memcpy(keep->pixels.data(), frame, keep->pixels.size());
    previous_ = std::move(keep.value());
    *canvas = std::move(copy.value());
    *duration_ms = gif_.delay > 0 ? uint32_t(gif_.delay) : 100;  // browsers show "0" as about 100 ms
    return true;
  }

 private:
  stbi__context context_;
  stbi__gif gif_;
  uint32_t remaining_;
  Image previous_, two_back_;
};

bool sniff(ByteView bytes) {
  return bytes.size >= 6 && (std::memcmp(bytes.data, "GIF87a", 6) == 0 || std::memcmp(bytes.data, "GIF89a", 6) == 0);
}

Result<ProbeInfo> probe(ByteView bytes) {
  if (bytes.size < 13) return error(ErrorCode::corrupt_image, "GIF header is truncated");
  ProbeInfo info;
  info.format = Format::gif;
  info.width = le16(bytes.data + 6);
  info.height = le16(bytes.data + 8);
  if (info.width == 0 || info.height == 0) return error(ErrorCode::corrupt_image, "GIF header has a zero dimension");
  // A GIF may gain transparency in any frame; the first frame is decoded as RGBA and checked for opacity.
  info.has_alpha = true;
  // Counting stops past any sane animation: the plan refuses such counts, and the walk stays cheap.
  info.frame_count = complete_frames(bytes, 100000);
  info.animated = info.frame_count > 1;
  return info;
}

Result<Image> decode(ByteView bytes, const DecodeOptions& options) {
  if (bytes.size < 13 || !first_frame_complete(bytes)) return error(ErrorCode::corrupt_image, "GIF is truncated or corrupt");
  // stb_image reports no progress: the logical screen, bounded by the header, is charged before it starts.
  EP_TRY(charge(options.budget, uint64_t(le16(bytes.data + 6)) * le16(bytes.data + 8)));
  int width = 0, height = 0, channels = 0;
  uint8_t* pixels = stbi_load_from_memory(bytes.data, int(bytes.size), &width, &height, &channels, 4);
  if (!pixels) return error(ErrorCode::corrupt_image, std::string("GIF is corrupt: ") + stbi_failure_reason());
  Image image;
  image.width = uint32_t(width);
  image.height = uint32_t(height);
  image.channels = 4;
  // stb allocates with malloc (STBI_MALLOC default), so the buffer is adopted, not copied.
  image.pixels = Buffer::adopt(pixels, size_t(width) * height * 4);
  return image;
}

Result<std::unique_ptr<FrameReader>> open_frames(ByteView bytes) {
  const uint32_t frames = complete_frames(bytes, 100000);
  if (frames == 0) return error(ErrorCode::corrupt_image, "GIF is truncated or corrupt");
  return std::unique_ptr<FrameReader>(new GifFrames(bytes, frames));
}

}  // namespace
}  // namespace gif

// Read only: the source's family is PNG (a palette image with transparency).
extern const Codec kGifCodec = {
    .format = Format::gif, .name = "gif", .content_type = "image/gif",
    .sniff = gif::sniff, .probe = gif::probe, .decode = gif::decode, .open_frames = gif::open_frames,
    .family = {Format::png, Format::png}, .family_when_refused = {Format::png, Format::png}};

}  // namespace edgepix
