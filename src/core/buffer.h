// Byte ownership without exceptions: large buffers come from malloc so that an allocation failure is a value
// (ErrorCode::out_of_memory), never an abort. Codecs that hand back malloc'd memory (libjpeg's decoded
// pixels, libwebp's writer) are adopted without a copy.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace edgepix {

struct ByteView {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { *this = std::move(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~Buffer() { std::free(data_); }

  // Takes ownership of memory from malloc.
  static Buffer adopt(uint8_t* data, size_t size) {
    Buffer b;
    b.data_ = data;
    b.size_ = b.capacity_ = size;
    return b;
  }
  // False when memory is exhausted; contents are uninitialised.
  bool resize(size_t size) {
    if (size > capacity_ && !reserve(size)) return false;
    size_ = size;
    return true;
  }
  bool append(const uint8_t* bytes, size_t count) {
    if (size_ + count > capacity_ && !reserve((size_ + count) * 3 / 2 + 4096)) return false;
    std::memcpy(data_ + size_, bytes, count);
    size_ += count;
    return true;
  }
  // Hands the memory to a caller that will free() it.
  uint8_t* release() {
    size_ = capacity_ = 0;
    return std::exchange(data_, nullptr);
  }

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  ByteView view() const { return {data_, size_}; }

 private:
  bool reserve(size_t capacity) {
    auto* grown = static_cast<uint8_t*>(std::realloc(data_, capacity));
    if (!grown) return false;
    data_ = grown;
    capacity_ = capacity;
    return true;
  }
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace edgepix
