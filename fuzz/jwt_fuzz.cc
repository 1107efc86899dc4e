// libFuzzer target: bearer tokens and what verifying them parses
// (src/cruddur/auth): ExtractBearerToken on the input as an Authorization
// header, ParseJwt on it as a token, TokenVerifier (with a JWKS holding one
// RSA key generated at start-up, kid "fuzz-kid") on both, and Jwks::Parse on
// it as a JWKS document.
//
// An input with a line break is "<header JSON>\n<payload JSON>" instead: it
// is signed RS256 with that key, so the verifier gets past the signature and
// parses the claims, the part a forged token never reaches.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cruddur/auth/jwks.h"
#include "cruddur/auth/jwt.h"
#include "cruddur/auth/token_verifier.h"
#include "test_signer.h"  // tests/unit/auth: RSA key generation and RS256 signing

namespace {

using namespace cruddur::auth;

struct Fixture {
  testing::TestRsaKey key;
  std::string jwks = R"({"keys":[)" + key.Jwk("fuzz-kid") + "]}";
  TokenVerifier verifier{Config()};

  TokenVerifierConfig Config() {
    TokenVerifierConfig config;
    config.region = "us-east-1";
    config.user_pool_id = "us-east-1_Fuzz00000";
    config.client_id = "fuzzclient";
    config.jwks_source = [this]() -> base::Result<std::string> { return jwks; };
    config.min_refetch_interval = std::chrono::hours(24);
    // 2015-08-30T12:36:00Z: seeds carry exp claims around it.
    config.clock = [] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
    };
    config.verified_cache_entries = 0;  // every input verified afresh
    return config;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* fx = new Fixture();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  if (nl != std::string_view::npos) {
    std::string token = testing::SignRs256Jwt(fx->key, in.substr(0, nl), in.substr(nl + 1));
    (void)fx->verifier.Verify(token);
    return 0;
  }
  (void)ExtractBearerToken(in);
  (void)fx->verifier.VerifyAuthorizationHeader(in);
  (void)ParseJwt(in, 8192);
  (void)fx->verifier.Verify(in);
  (void)Jwks::Parse(in);
  return 0;
}
