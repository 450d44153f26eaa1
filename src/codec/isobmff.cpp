#include "codec/isobmff.h"

namespace edgepix::isobmff {

bool Reader::need(size_t count) {
  if (!ok_ || count > size_ - at_) ok_ = false;
  return ok_;
}

uint64_t Reader::number(size_t bytes) {
  if (bytes > 8 || !need(bytes)) {
    ok_ = false;
    return 0;
  }
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = value << 8 | data_[at_ + i];
  at_ += bytes;
  return value;
}

std::string_view Reader::fourcc() {
  if (!need(4)) return "\0\0\0\0";
  std::string_view type(reinterpret_cast<const char*>(data_ + at_), 4);
  at_ += 4;
  return type;
}

ByteView Reader::take(size_t count) {
  if (!need(count)) return {};
  ByteView view{data_ + at_, count};
  at_ += count;
  return view;
}

std::string_view Reader::cstring() {
  size_t end = at_;
  while (ok_ && end < size_ && data_[end] != 0) ++end;
  if (!ok_ || end >= size_) {
    ok_ = false;
    return {};
  }
  std::string_view text(reinterpret_cast<const char*>(data_ + at_), end - at_);
  at_ = end + 1;
  return text;
}

bool next_box(Reader* reader, Box* box) {
  if (!reader->ok() || reader->at_end()) return false;
  uint64_t size = reader->u32();
  box->type = reader->fourcc();
  size_t header = 8;
  if (size == 1) {
    size = reader->u64();
    header = 16;
  } else if (size == 0) {
    size = header + reader->remaining();  // the box runs to the end of its parent
  }
  if (box->type == "uuid") {
    reader->skip(16);
    header += 16;
  }
  if (!reader->ok() || size < header || size - header > reader->remaining()) {
    reader->skip(reader->remaining() + 1);  // malformed: fail the reader
    return false;
  }
  box->payload = reader->take(size_t(size - header));
  return reader->ok();
}

FullBoxHeader full_box_header(Reader* reader) {
  const uint32_t word = reader->u32();
  return {uint8_t(word >> 24), word & 0xffffff};
}

size_t Writer::open(std::string_view type) {
  const size_t start = bytes_.size();
  u32(0);  // the size, filled in by close()
  fourcc(type);
  return start;
}

size_t Writer::open_full(std::string_view type, uint8_t version, uint32_t flags) {
  const size_t start = open(type);
  u32(uint32_t(version) << 24 | (flags & 0xffffff));
  return start;
}

void Writer::close(size_t start) { patch_u32(start, uint32_t(bytes_.size() - start)); }

void Writer::u16(uint16_t value) {
  u8(uint8_t(value >> 8));
  u8(uint8_t(value));
}

void Writer::u32(uint32_t value) {
  u16(uint16_t(value >> 16));
  u16(uint16_t(value));
}

void Writer::patch_u32(size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes_[at + i] = char(value >> (24 - 8 * i));
}

}  // namespace edgepix::isobmff
