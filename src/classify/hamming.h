// 64-bit perceptual hashes as text (16 lowercase hex digits) and the distance between two of them.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace edgepix {

// Reads exactly 16 hex digits (either case); false for anything else.
inline bool parse_hex64(std::string_view text, uint64_t* out) {
  if (text.size() != 16) return false;
  uint64_t value = 0;
  for (const char c : text) {
    const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0) return false;
    value = value << 4 | uint64_t(digit);
  }
  *out = value;
  return true;
}

inline std::string hex64(uint64_t value) {
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) text[size_t(i)] = "0123456789abcdef"[value & 15];
  return text;
}

// The number of bits in which the two hashes differ (0..64).
inline int hamming_distance(uint64_t a, uint64_t b) {
  uint64_t bits = a ^ b;
  int count = 0;
  for (; bits; bits &= bits - 1) ++count;
  return count;
}

}  // namespace edgepix
