// SHA-256 (FIPS 180-4), incremental. Used for HMAC-SHA256 URL signatures; no dependencies.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace edgepix {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;
  static constexpr size_t kBlockSize = 64;

  Sha256();
  void update(const uint8_t* data, size_t size);
  void update(std::string_view text) { update(reinterpret_cast<const uint8_t*>(text.data()), text.size()); }
  Digest finish();  // the object is spent afterwards

  static Digest of(std::string_view text) {
    Sha256 hash;
    hash.update(text);
    return hash.finish();
  }

 private:
  void compress(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[kBlockSize];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace edgepix
