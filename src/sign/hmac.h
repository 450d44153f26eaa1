// HMAC-SHA256 (RFC 2104) and a constant-time comparison for secrets and MACs.
#pragma once
#include <string>
#include <string_view>

#include "sign/sha256.h"

namespace edgepix {

Sha256::Digest hmac_sha256(std::string_view key, std::string_view message);
std::string to_hex(const uint8_t* bytes, size_t size);
// Compares without an early exit, so the time taken says nothing about where the inputs differ. (A length
// difference is not secret: it returns false at once.)
bool constant_time_equal(const uint8_t* a, const uint8_t* b, size_t size);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace edgepix
