// GIF through stb_image: the first frame on the logical screen, as RGBA. Animation comes with giflib later.
#include <cstring>

#include "codec/codec.h"

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

namespace edgepix::gif {

namespace {
uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | p[1] << 8); }

// stb_image reads zeros past the end of its input, so a truncated file would decode into invented pixels.
// This walks the block structure up to the end of the first image's data and says whether it is all there.
bool first_frame_complete(ByteView bytes) {
  size_t at = 13;
  const auto skip_color_table = [&](uint8_t flags) {
    if (flags & 0x80) at += 3u * (2u << (flags & 7));
  };
  const auto skip_sub_blocks = [&]() {
    while (at < bytes.size && bytes.data[at] != 0) at += 1 + bytes.data[at];
    ++at;  // the zero-length terminator
    return at <= bytes.size;
  };
  skip_color_table(bytes.data[10]);
  while (at < bytes.size) {
    const uint8_t introducer = bytes.data[at++];
    if (introducer == 0x21) {  // extension: label, then sub-blocks
      ++at;
      if (!skip_sub_blocks()) return false;
    } else if (introducer == 0x2C) {  // image descriptor, optional local table, LZW code size, data
      if (at + 9 > bytes.size) return false;
      const uint8_t flags = bytes.data[at + 8];
      at += 9;
      skip_color_table(flags);
      ++at;
      return skip_sub_blocks();
    } else {
      return false;  // trailer before any image, or garbage
    }
  }
  return false;
}
}  // namespace

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
  return info;
}

Result<Image> decode(ByteView bytes, uint32_t) {
  if (bytes.size < 13 || !first_frame_complete(bytes)) return error(ErrorCode::corrupt_image, "GIF is truncated or corrupt");
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

}  // namespace edgepix::gif
