// Base64 (RFC 4648): ThumbHashes travel as standard base64 with padding, the form the thumbhash package's README
// uses; decoding also takes the URL-safe alphabet and missing padding.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace edgepix {
std::string base64_encode(const std::vector<uint8_t>& bytes);
std::optional<std::vector<uint8_t>> base64_decode(std::string_view text);  // nullopt: not base64
}  // namespace edgepix
