#include "sign/hmac.h"

#include <algorithm>

namespace edgepix {

Sha256::Digest hmac_sha256(std::string_view key, std::string_view message) {
  uint8_t block[Sha256::kBlockSize] = {};
  if (key.size() > Sha256::kBlockSize) {
    const Sha256::Digest hashed = Sha256::of(key);
    std::copy(hashed.begin(), hashed.end(), block);
  } else {
    std::copy(key.begin(), key.end(), block);
  }
  uint8_t inner_pad[Sha256::kBlockSize], outer_pad[Sha256::kBlockSize];
  for (size_t i = 0; i < Sha256::kBlockSize; ++i) {
    inner_pad[i] = block[i] ^ 0x36;
    outer_pad[i] = block[i] ^ 0x5c;
  }
  Sha256 inner;
  inner.update(inner_pad, sizeof(inner_pad));
  inner.update(message);
  const Sha256::Digest inner_digest = inner.finish();
  Sha256 outer;
  outer.update(outer_pad, sizeof(outer_pad));
  outer.update(inner_digest.data(), inner_digest.size());
  return outer.finish();
}

std::string to_hex(const uint8_t* bytes, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    hex[i * 2] = kDigits[bytes[i] >> 4];
    hex[i * 2 + 1] = kDigits[bytes[i] & 15];
  }
  return hex;
}

bool constant_time_equal(const uint8_t* a, const uint8_t* b, size_t size) {
  volatile uint8_t difference = 0;  // volatile: keep the compiler from turning the loop into an early exit
  for (size_t i = 0; i < size; ++i) difference = difference | (a[i] ^ b[i]);
  return difference == 0;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return constant_time_equal(reinterpret_cast<const uint8_t*>(a.data()), reinterpret_cast<const uint8_t*>(b.data()),
                             a.size());
}

}  // namespace edgepix
