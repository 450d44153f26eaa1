// ISO base media file format boxes (ISO/IEC 14496-12) as HEIF and AVIF use them: a bounded reader whose
// every read is checked (a failed read leaves the reader failed, so parsers check once at the end), and a
// writer that fills in each box's size when the box is closed.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/buffer.h"

namespace edgepix::isobmff {

class Reader {
 public:
  explicit Reader(ByteView bytes) : data_(bytes.data), size_(bytes.size) {}
  bool ok() const { return ok_; }
  bool at_end() const { return at_ >= size_; }
  size_t remaining() const { return ok_ ? size_ - at_ : 0; }

  uint8_t u8() { return uint8_t(number(1)); }
  uint16_t u16() { return uint16_t(number(2)); }
  uint32_t u32() { return uint32_t(number(4)); }
  uint64_t u64() { return number(8); }
  uint64_t number(size_t bytes);  // big-endian, 0..8 bytes (0 reads nothing and gives 0: iloc's field sizes)
  std::string_view fourcc();
  ByteView take(size_t count);
  void skip(size_t count) { take(count); }
  std::string_view cstring();  // NUL-terminated; the NUL is consumed, not returned

 private:
  bool need(size_t count);
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
  bool ok_ = true;
};

struct Box {
  std::string_view type;  // four characters
  ByteView payload;       // after the header (for a full box, version and flags are the payload's first 4 bytes)
};

// The next box in `reader`: false at the end, or when the header is malformed or the box overruns its parent
// (then reader.ok() is false too).
bool next_box(Reader* reader, Box* box);

struct FullBoxHeader {
  uint8_t version = 0;
  uint32_t flags = 0;
};
FullBoxHeader full_box_header(Reader* reader);

class Writer {
 public:
  // Opens a box; returns where it starts, for close().
  size_t open(std::string_view type);
  size_t open_full(std::string_view type, uint8_t version, uint32_t flags);
  void close(size_t start);

  void u8(uint8_t value) { bytes_.push_back(char(value)); }
  void u16(uint16_t value);
  void u32(uint32_t value);
  void fourcc(std::string_view type) { bytes_.append(type.data(), 4); }
  void bytes(std::string_view data) { bytes_.append(data); }
  void cstring(std::string_view text) { bytes_.append(text).push_back('\0'); }
  void patch_u32(size_t at, uint32_t value);

  size_t size() const { return bytes_.size(); }
  const std::string& data() const { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace edgepix::isobmff
