#include "sign/url_signature.h"

#include "sign/hmac.h"

namespace edgepix {

namespace {

struct SplitUrl {
  std::string_view path;   // from the first '/' after the authority, percent-encoding untouched
  std::string_view query;  // without '?', without a fragment
};

SplitUrl split(std::string_view url) {
  const size_t fragment = url.find('#');
  if (fragment != std::string_view::npos) url = url.substr(0, fragment);
  const size_t scheme = url.find("://");
  if (scheme != std::string_view::npos && scheme < url.find('/')) {
    const size_t path_start = url.find_first_of("/?", scheme + 3);
    url = path_start == std::string_view::npos ? std::string_view("/") : url.substr(path_start);
  }
  const size_t question = url.find('?');
  if (question == std::string_view::npos) return {url, {}};
  return {url.substr(0, question), url.substr(question + 1)};
}

// The query without its `sig` parameter(s), other parameters in their order; the sig values found.
std::string without_sig(std::string_view query, std::vector<std::string_view>* signatures,
                        std::string_view* expiry, int* expiry_count) {
  std::string kept;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (param.substr(0, 4) == "sig=") {
      signatures->push_back(param.substr(4));
      continue;
    }
    if (param.substr(0, 4) == "exp=") {
      *expiry = param.substr(4);
      ++*expiry_count;
    }
    if (!kept.empty()) kept += '&';
    kept += param;
  }
  return kept;
}

std::string string_to_sign(std::string_view path, const std::string& query) {
  return query.empty() ? std::string(path) : std::string(path) + "?" + query;
}

bool parse_hex_digest(std::string_view hex, uint8_t out[32]) {
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 64; ++i) {
    const char c = hex[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return false;  // lowercase only, as Cloudflare writes it
    out[i / 2] = uint8_t(i % 2 ? out[i / 2] | v : v << 4);
  }
  return true;
}

bool parse_unix_seconds(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 15) return false;  // up to year ~30 million: plenty, and no overflow
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string sign_url(std::string_view url, std::string_view key, int64_t expires_at) {
  std::string base(url);
  if (expires_at >= 0) base += (base.find('?') == std::string::npos ? "?" : "&") + std::string("exp=") +
                               std::to_string(expires_at);
  const SplitUrl parts = split(base);
  std::vector<std::string_view> ignored;
  std::string_view expiry;
  int expiry_count = 0;
  const std::string query = without_sig(parts.query, &ignored, &expiry, &expiry_count);
  const Sha256::Digest mac = hmac_sha256(key, string_to_sign(parts.path, query));
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "sig=" + to_hex(mac.data(), mac.size());
}

Result<size_t> verify_url(std::string_view url, const std::vector<std::string_view>& keys, int64_t now) {
  const SplitUrl parts = split(url);
  std::vector<std::string_view> signatures;
  std::string_view expiry;
  int expiry_count = 0;
  const std::string query = without_sig(parts.query, &signatures, &expiry, &expiry_count);
  if (signatures.empty()) return error(ErrorCode::signature_missing, "this image requires a signed URL (sig=)");
  uint8_t given[32];
  if (signatures.size() > 1 || !parse_hex_digest(signatures[0], given))
    return error(ErrorCode::bad_signature, "sig must be one 64-digit lowercase hex HMAC-SHA256");
  int64_t expires_at = -1;
  if (expiry_count > 1 || (expiry_count == 1 && !parse_unix_seconds(expiry, &expires_at)))
    return error(ErrorCode::bad_signature, "exp must be one whole number of unix seconds");
  const std::string message = string_to_sign(parts.path, query);
  // Every key is tried, whether or not an earlier one matched, so timing does not reveal which key signed.
  size_t matched = keys.size();
  for (size_t i = 0; i < keys.size(); ++i) {
    const Sha256::Digest mac = hmac_sha256(keys[i], message);
    if (constant_time_equal(mac.data(), given, 32) && matched == keys.size()) matched = i;
  }
  if (matched == keys.size()) return error(ErrorCode::signature_invalid, "the URL signature is not valid");
  if (expires_at >= 0 && expires_at < now)
    return error(ErrorCode::signature_expired, "the signed URL expired at " + std::to_string(expires_at));
  return matched;
}

}  // namespace edgepix
