// Cloudflare Images' signed URLs: `sig` is the lowercase hex HMAC-SHA256, under a signing key, of the URL's path
// plus "?" plus its query string without the `sig` parameter, in the order given (just the path when nothing
// else is in the query). `exp` (unix seconds) makes a URL expire. Several keys may be valid at once (rotation).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace edgepix {

// The signed URL: `url` (absolute or path + query) with `exp=` (when expires_at >= 0) and `sig=` appended.
std::string sign_url(std::string_view url, std::string_view key, int64_t expires_at);

// Index of the first key that signed the URL; errors: signature_missing, signature_invalid, signature_expired
// (all 403) and bad_signature (400: `sig` or `exp` malformed).
Result<size_t> verify_url(std::string_view url, const std::vector<std::string_view>& keys, int64_t now);

}  // namespace edgepix
