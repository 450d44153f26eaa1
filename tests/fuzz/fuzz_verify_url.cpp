// Signed URLs (src/sign/url_signature.h): the input as a URL to verify against two keys, and as a URL to sign
// and verify again, which must then pass or fail as a value.
#include <string>

#include "api.h"
#include "target.h"

EDGEPIX_FUZZ_TARGET(verify_url) {
  const char* url = reinterpret_cast<const char*>(data);
  static const char kKeys[] = "first signing key\nsecond signing key";
  constexpr double kNow = 1.7e9;
  ep_output_free(ep_verify_url(url, uint32_t(size), kKeys, sizeof kKeys - 1, kNow));
  ep_output* signed_url = ep_sign_url(url, uint32_t(size), "second signing key", 18, kNow + 60);
  if (signed_url && signed_url->meta) {
    // The meta is {"url":"..."}: verifying it as text exercises the JSON-escaped forms of the input too.
    ep_output_free(ep_verify_url(signed_url->meta, signed_url->meta_size, kKeys, sizeof kKeys - 1, kNow));
  }
  ep_output_free(signed_url);
}
