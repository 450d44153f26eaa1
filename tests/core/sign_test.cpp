#include <catch2/catch.hpp>
#include <string>

#include "sign/hmac.h"
#include "sign/sha256.h"
#include "sign/url_signature.h"

using namespace edgepix;

namespace {
std::string hex(const Sha256::Digest& digest) { return to_hex(digest.data(), digest.size()); }
std::string repeat(char c, size_t n) { return std::string(n, c); }
}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples") {
  CHECK(hex(Sha256::of("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(Sha256::of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(Sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;  // fed in uneven pieces, across block boundaries
  const std::string chunk = repeat('a', 997);
  size_t fed = 0;
  while (fed + chunk.size() <= 1000000) {
    million.update(chunk);
    fed += chunk.size();
  }
  million.update(repeat('a', 1000000 - fed));
  CHECK(hex(million.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("HMAC-SHA256 matches the RFC 4231 test cases") {
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4 += char(i);
  struct Case {
    std::string key, data, mac;
  };
  const Case cases[] = {
      {repeat('\x0b', 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {repeat('\xaa', 20), repeat('\xdd', 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {key4, repeat('\xcd', 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {repeat('\xaa', 131), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {repeat('\xaa', 131),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const Case& c : cases) CHECK(hex(hmac_sha256(c.key, c.data)) == c.mac);
}

TEST_CASE("constant-time equality") {
  CHECK(constant_time_equal("secret-token", "secret-token"));
  CHECK_FALSE(constant_time_equal("secret-token", "secret-tokeN"));
  CHECK_FALSE(constant_time_equal("secret", "secret-token"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("signed URLs: Cloudflare's string-to-sign, expiry, rotation, malformed parameters") {
  const std::string url = "https://img.example.com/images/abc123/public?width=400";
  const std::string signed_url = sign_url(url, "key-one", 2000000000);
  // The signature covers the path and the query without sig, in order, exp included.
  const std::string expected_sig =
      hex(hmac_sha256("key-one", "/images/abc123/public?width=400&exp=2000000000"));
  CHECK(signed_url == url + "&exp=2000000000&sig=" + expected_sig);
  CHECK(sign_url("/a/b", "k", -1) == "/a/b?sig=" + hex(hmac_sha256("k", "/a/b")));

  const auto verify = [&](const std::string& u, std::vector<std::string_view> keys, int64_t now) {
    return verify_url(u, keys, now);
  };
  CHECK(verify(signed_url, {"key-one"}, 1999999999).value() == 0);
  CHECK(verify(signed_url, {"key-two", "key-one"}, 0).value() == 1);  // rotation: any listed key
  CHECK(verify(signed_url, {"key-two"}, 0).status().code() == ErrorCode::signature_invalid);
  CHECK(verify(signed_url, {"key-one"}, 2000000001).status().code() == ErrorCode::signature_expired);
  std::string tampered = signed_url;
  tampered[tampered.find("abc123")] = 'x';
  CHECK(verify(tampered, {"key-one"}, 0).status().code() == ErrorCode::signature_invalid);
  std::string later_exp = signed_url;
  later_exp.replace(later_exp.find("2000000000"), 10, "2100000000");
  CHECK(verify(later_exp, {"key-one"}, 0).status().code() == ErrorCode::signature_invalid);
  CHECK(verify(url, {"key-one"}, 0).status().code() == ErrorCode::signature_missing);
  CHECK(verify(url + "&sig=xyz", {"key-one"}, 0).status().code() == ErrorCode::bad_signature);
  CHECK(verify(url + "&sig=" + expected_sig + "&sig=" + expected_sig, {"key-one"}, 0).status().code() ==
        ErrorCode::bad_signature);
  std::string upper = signed_url;
  for (size_t i = upper.find("sig=") + 4; i < upper.size(); ++i) upper[i] = char(std::toupper(upper[i]));
  CHECK(verify(upper, {"key-one"}, 0).status().code() == ErrorCode::bad_signature);
  CHECK(verify(sign_url(url + "&exp=soon", "key-one", -1), {"key-one"}, 0).status().code() ==
        ErrorCode::bad_signature);
  CHECK(verify(signed_url + "#fragment", {"key-one"}, 0).ok());
  CHECK(verify(signed_url, {}, 0).status().code() == ErrorCode::signature_invalid);
}
