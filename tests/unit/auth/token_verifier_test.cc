// TokenVerifier against tokens minted here with a freshly generated RSA key:
// what a Cognito access token must look like to be accepted, and every
// forgery and malformation the API must answer with 401 (never a crash).
#include "cruddur/auth/token_verifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aws/client_error.h"
#include "base/base64.h"
#include "cruddur/auth/jwks.h"
#include "test_signer.h"

namespace cruddur::auth {
namespace {

using testing::SignHs256Jwt;
using testing::SignRs256Jwt;
using testing::TestRsaKey;

constexpr int64_t kNow = 1'700'000'000;
constexpr char kRegion[] = "us-east-1";
constexpr char kPool[] = "us-east-1_TestPool1";
constexpr char kClient[] = "5h2client0id0for0tests";
constexpr char kKid[] = "kid-current";

struct Claims {
  std::string sub = "8f1b2c3d-0000-4000-8000-000000000001";
  std::string username = "andrewbrown";
  std::string iss = CognitoIssuer(kRegion, kPool);
  std::string token_use = "access";
  std::string client_id = kClient;
  int64_t exp = kNow + 3600;
  int64_t iat = kNow - 60;

  std::string Json() const {
    return R"({"sub":")" + sub + R"(","iss":")" + iss + R"(","client_id":")" + client_id +
           R"(","origin_jti":"o1","event_id":"e1","token_use":")" + token_use +
           R"(","scope":"aws.cognito.signin.user.admin","auth_time":)" + std::to_string(iat) +
           R"(,"exp":)" + std::to_string(exp) + R"(,"iat":)" + std::to_string(iat) +
           R"(,"jti":"j1","username":")" + username + R"("})";
  }
};

std::string Rs256Header(std::string_view kid = kKid) {
  return R"({"kid":")" + std::string(kid) + R"(","alg":"RS256"})";
}

class TokenVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new TestRsaKey();
    other_key_ = new TestRsaKey();
  }
  static void TearDownTestSuite() {
    delete key_;
    delete other_key_;
  }

  void SetUp() override { jwks_text_ = JwksOf({{kKid, key_}}); }

  static std::string JwksOf(std::vector<std::pair<std::string, const TestRsaKey*>> keys) {
    std::string out = R"({"keys":[)";
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out += ",";
      out += keys[i].second->Jwk(keys[i].first);
    }
    return out + "]}";
  }

  std::unique_ptr<TokenVerifier> MakeVerifier() {
    TokenVerifierConfig config;
    config.region = kRegion;
    config.user_pool_id = kPool;
    config.client_id = kClient;
    config.leeway = std::chrono::seconds(30);
    config.jwks_source = [this]() -> base::Result<std::string> {
      ++fetches_;
      if (fail_fetch_) return aws::ClientError(aws::ClientErrorCode::kConnection, "down");
      return jwks_text_;
    };
    config.clock = [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
    };
    return std::make_unique<TokenVerifier>(std::move(config));
  }

  std::string GoodToken(const Claims& claims = {}) {
    return SignRs256Jwt(*key_, Rs256Header(), claims.Json());
  }

  void ExpectRejected(std::string_view token, AuthErrorCode code) {
    auto verifier = MakeVerifier();
    auto result = verifier->Verify(token);
    ASSERT_FALSE(result.ok()) << token;
    EXPECT_EQ(AuthErrorCodeName(result.error().code), AuthErrorCodeName(code))
        << result.error().message;
  }

  static TestRsaKey* key_;
  static TestRsaKey* other_key_;
  std::string jwks_text_;
  std::atomic<int> fetches_{0};
  bool fail_fetch_ = false;
  int64_t now_ = kNow;
};

TestRsaKey* TokenVerifierTest::key_ = nullptr;
TestRsaKey* TokenVerifierTest::other_key_ = nullptr;

TEST_F(TokenVerifierTest, AcceptsAGoodAccessTokenAndReturnsItsClaims) {
  auto verifier = MakeVerifier();
  auto result = verifier->VerifyAuthorizationHeader("Bearer " + GoodToken());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->sub, "8f1b2c3d-0000-4000-8000-000000000001");
  EXPECT_EQ(result->username, "andrewbrown");
  EXPECT_EQ(result->client_id, kClient);
  EXPECT_EQ(result->exp, kNow + 3600);
}

TEST_F(TokenVerifierTest, CachesTheJwksAcrossTokens) {
  auto verifier = MakeVerifier();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(verifier->Verify(GoodToken()).ok());
  EXPECT_EQ(fetches_, 1);
  EXPECT_EQ(verifier->jwks_fetch_count(), 1);
}

TEST_F(TokenVerifierTest, RejectsAWrongSignature) {
  // Signed by a key that is not the pool's, under the pool's kid.
  ExpectRejected(SignRs256Jwt(*other_key_, Rs256Header(), Claims{}.Json()),
                 AuthErrorCode::kBadSignature);
  // The pool's signature over other claims.
  std::string good = GoodToken();
  Claims forged;
  forged.sub = "someone-else";
  std::string tampered =
      testing::JwtSigningInput(Rs256Header(), forged.Json()) + good.substr(good.rfind('.'));
  ExpectRejected(tampered, AuthErrorCode::kBadSignature);
  // A truncated signature.
  std::string signature = *base::Base64UrlDecode(good.substr(good.rfind('.') + 1));
  signature.pop_back();
  ExpectRejected(good.substr(0, good.rfind('.') + 1) + base::Base64UrlEncode(signature),
                 AuthErrorCode::kBadSignature);
}

TEST_F(TokenVerifierTest, RejectsAnExpiredTokenBeyondTheLeeway) {
  Claims c;
  c.exp = kNow - 31;
  ExpectRejected(GoodToken(c), AuthErrorCode::kExpired);
  c.exp = kNow - 30;
  ExpectRejected(GoodToken(c), AuthErrorCode::kExpired);
  c.exp = kNow - 29;  // within the 30 s leeway
  EXPECT_TRUE(MakeVerifier()->Verify(GoodToken(c)).ok());
}

TEST_F(TokenVerifierTest, RejectsAWrongIssuer) {
  Claims c;
  c.iss = CognitoIssuer(kRegion, "us-east-1_OtherPool");
  ExpectRejected(GoodToken(c), AuthErrorCode::kBadIssuer);
  c.iss = CognitoIssuer("eu-west-1", kPool);
  ExpectRejected(GoodToken(c), AuthErrorCode::kBadIssuer);
  c.iss = CognitoIssuer(kRegion, kPool) + "/";
  ExpectRejected(GoodToken(c), AuthErrorCode::kBadIssuer);
}

TEST_F(TokenVerifierTest, RejectsAnIdToken) {
  Claims c;
  c.token_use = "id";
  ExpectRejected(GoodToken(c), AuthErrorCode::kBadTokenUse);
}

TEST_F(TokenVerifierTest, RejectsAnotherClientsToken) {
  Claims c;
  c.client_id = "another-app-client";
  ExpectRejected(GoodToken(c), AuthErrorCode::kBadClient);
}

TEST_F(TokenVerifierTest, RejectsAlgNone) {
  std::string input =
      testing::JwtSigningInput(R"({"kid":"kid-current","alg":"none"})", Claims{}.Json());
  ExpectRejected(input + ".", AuthErrorCode::kBadAlgorithm);
  ExpectRejected(testing::JwtSigningInput(R"({"alg":"none"})", Claims{}.Json()) + ".",
                 AuthErrorCode::kBadAlgorithm);
  ExpectRejected(
      testing::JwtSigningInput(R"({"kid":"kid-current","alg":"NONE"})", Claims{}.Json()) + ".",
      AuthErrorCode::kBadAlgorithm);
}

TEST_F(TokenVerifierTest, RejectsHs256SignedWithThePublicKey) {
  // The classic confusion attack: HMAC keyed with the (public) RSA key.
  const std::string header = R"({"kid":"kid-current","alg":"HS256"})";
  for (const std::string& secret :
       {key_->PublicPem(), *base::Base64UrlDecode(key_->NBase64()), key_->Jwk(kKid)}) {
    ExpectRejected(SignHs256Jwt(secret, header, Claims{}.Json()), AuthErrorCode::kBadAlgorithm);
  }
  EXPECT_EQ(fetches_, 0);  // refused before any key is even looked up
}

TEST_F(TokenVerifierTest, RejectsOtherAlgorithmsAndCrit) {
  for (const char* alg : {"RS384", "RS512", "PS256", "ES256", "rs256"}) {
    std::string header = std::string(R"({"kid":"kid-current","alg":")") + alg + "\"}";
    ExpectRejected(SignRs256Jwt(*key_, header, Claims{}.Json()), AuthErrorCode::kBadAlgorithm);
  }
  ExpectRejected(SignRs256Jwt(*key_, R"({"kid":"kid-current"})", Claims{}.Json()),
                 AuthErrorCode::kBadAlgorithm);
  ExpectRejected(
      SignRs256Jwt(*key_, R"({"kid":"kid-current","alg":"RS256","crit":["exp"]})", Claims{}.Json()),
      AuthErrorCode::kBadAlgorithm);
}

TEST_F(TokenVerifierTest, UnknownKidTriggersExactlyOneRefetch) {
  auto verifier = MakeVerifier();
  ASSERT_TRUE(verifier->Verify(GoodToken()).ok());
  ASSERT_EQ(fetches_, 1);
  // Past min_refetch_interval (30 s) since that first fetch, a kid that
  // stays unknown causes one re-fetch, then is rejected.
  now_ += 31;
  auto forged =
      verifier->Verify(SignRs256Jwt(*other_key_, Rs256Header("kid-forged"), Claims{}.Json()));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().code, AuthErrorCode::kUnknownKey);
  EXPECT_EQ(fetches_, 2);
  // Within min_refetch_interval a second unknown kid fetches nothing.
  now_ += 5;
  EXPECT_FALSE(
      verifier->Verify(SignRs256Jwt(*other_key_, Rs256Header("kid-x"), Claims{}.Json())).ok());
  EXPECT_EQ(fetches_, 2);
  // Known kids keep working from the cache.
  EXPECT_TRUE(verifier->Verify(GoodToken()).ok());
  EXPECT_EQ(fetches_, 2);
}

TEST_F(TokenVerifierTest, KeyRotationIsPickedUpByTheRefetch) {
  auto verifier = MakeVerifier();
  ASSERT_TRUE(verifier->Verify(GoodToken()).ok());
  now_ += 60;
  jwks_text_ = JwksOf({{kKid, key_}, {"kid-next", other_key_}});
  auto rotated =
      verifier->Verify(SignRs256Jwt(*other_key_, Rs256Header("kid-next"), Claims{}.Json()));
  ASSERT_TRUE(rotated.ok()) << rotated.error().message;
  EXPECT_EQ(fetches_, 2);
  EXPECT_TRUE(verifier->Verify(GoodToken()).ok());
  EXPECT_EQ(fetches_, 2);
}

TEST_F(TokenVerifierTest, RejectsATokenWithoutKid) {
  ExpectRejected(SignRs256Jwt(*key_, R"({"alg":"RS256"})", Claims{}.Json()),
                 AuthErrorCode::kUnknownKey);
}

TEST_F(TokenVerifierTest, ReportsAnUnreachableJwks) {
  fail_fetch_ = true;
  auto verifier = MakeVerifier();
  auto r = verifier->Verify(GoodToken());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AuthErrorCode::kJwksUnavailable);
  // Not retried on every request...
  EXPECT_FALSE(verifier->Verify(GoodToken()).ok());
  EXPECT_EQ(fetches_, 1);
  // ...but once the interval has passed.
  fail_fetch_ = false;
  now_ += 31;
  EXPECT_TRUE(verifier->Verify(GoodToken()).ok());
  EXPECT_EQ(fetches_, 2);
}

TEST_F(TokenVerifierTest, RequiresTheBearerScheme) {
  auto verifier = MakeVerifier();
  const std::string token = GoodToken();
  EXPECT_TRUE(verifier->VerifyAuthorizationHeader("bearer " + token).ok());
  struct Case {
    std::string header;
    AuthErrorCode code;
  };
  for (const Case& c : std::vector<Case>{
           {"Basic " + token, AuthErrorCode::kBadScheme},
           {"Token " + token, AuthErrorCode::kBadScheme},
           {token, AuthErrorCode::kBadScheme},
           {"Bearer " + token + " extra", AuthErrorCode::kBadScheme},
           {"Bearer", AuthErrorCode::kMissingToken},
           {"Bearer   ", AuthErrorCode::kMissingToken},
           {"", AuthErrorCode::kMissingToken},
           {"Bearer null", AuthErrorCode::kMalformed},  // the reference frontend's no-session value
       }) {
    auto r = verifier->VerifyAuthorizationHeader(c.header);
    ASSERT_FALSE(r.ok()) << c.header;
    EXPECT_EQ(AuthErrorCodeName(r.error().code), AuthErrorCodeName(c.code)) << c.header;
  }
}

TEST_F(TokenVerifierTest, RejectsMalformedTokens) {
  const std::string good = GoodToken();
  const std::string header_b64 = base::Base64UrlEncode(Rs256Header());
  const std::string payload_b64 = base::Base64UrlEncode(Claims{}.Json());
  for (const std::string& token : std::vector<std::string>{
           header_b64 + "." + payload_b64,              // two parts
           good + ".extra",                             // four parts
           "a.b",                                       //
           "...",                                       //
           "." + payload_b64 + ".sig",                  // empty header
           header_b64 + "..sig",                        // empty payload
           "e30!." + payload_b64 + "." + "AAAA",        // bad base64 in header
           header_b64 + "." + payload_b64 + "==.AAAA",  // padding
           good.substr(0, good.rfind('.')) + ".A+/=",   // bad base64 signature
           base::Base64UrlEncode("{not json") + "." + payload_b64 + ".AAAA",  // bad JSON header
           base::Base64UrlEncode("[1,2]") + "." + payload_b64 + ".AAAA",      // header not object
           good.substr(0, good.size() / 2),                                   // truncated
           std::string(9000, 'a') + "." + payload_b64 + ".AAAA",              // huge header
       }) {
    ExpectRejected(token, AuthErrorCode::kMalformed);
  }
}

TEST_F(TokenVerifierTest, RejectsSignedButMalformedPayloads) {
  ExpectRejected(SignRs256Jwt(*key_, Rs256Header(), "{not json"), AuthErrorCode::kMalformed);
  ExpectRejected(SignRs256Jwt(*key_, Rs256Header(), "[]"), AuthErrorCode::kMalformed);
  std::string no_exp = Claims{}.Json();
  no_exp.replace(no_exp.find("\"exp\""), 4, "\"xxp");
  ExpectRejected(SignRs256Jwt(*key_, Rs256Header(), no_exp), AuthErrorCode::kMalformed);
  std::string string_exp = Claims{}.Json();
  string_exp.replace(string_exp.find(std::to_string(kNow + 3600)), 10,
                     "\"" + std::to_string(kNow + 3600).substr(0, 8) + "\"");
  ExpectRejected(SignRs256Jwt(*key_, Rs256Header(), string_exp), AuthErrorCode::kMalformed);
}

TEST_F(TokenVerifierTest, EmptyConfiguredClientRejectsEverything) {
  TokenVerifierConfig config;
  config.region = kRegion;
  config.user_pool_id = kPool;
  config.jwks_source = [this]() -> base::Result<std::string> { return jwks_text_; };
  config.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNow)); };
  Claims c;
  c.client_id = "";
  TokenVerifier verifier(std::move(config));
  auto r = verifier.Verify(GoodToken(c));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AuthErrorCode::kBadClient);
}

TEST_F(TokenVerifierTest, ConcurrentVerificationFetchesOnce) {
  auto verifier = MakeVerifier();
  const std::string token = GoodToken();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!verifier->Verify(token).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(fetches_, 1);
}

TEST(Jwks, SkipsUnusableKeysAndRejectsNonJwks) {
  TestRsaKey key;
  const std::string good = key.Jwk("k1");
  const std::string json = R"({"keys":[)" + good +
                           R"(,{"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"},)"
                           R"({"kty":"RSA","kid":"enc","use":"enc","n":")" +
                           key.NBase64() +
                           R"(","e":"AQAB"},)"
                           R"({"kty":"RSA","kid":"small","n":"AQAB","e":"AQAB"},)"
                           R"({"kty":"RSA","kid":"badb64","n":"@@","e":"AQAB"},)"
                           R"(42]})";
  auto jwks = Jwks::Parse(json);
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(jwks->size(), 1u);
  EXPECT_NE(jwks->Find("k1"), nullptr);
  EXPECT_EQ(jwks->Find("enc"), nullptr);
  EXPECT_EQ(jwks->Find("small"), nullptr);
  EXPECT_FALSE(Jwks::Parse("not json").ok());
  EXPECT_FALSE(Jwks::Parse("[]").ok());
  EXPECT_FALSE(Jwks::Parse(R"({"keys":{}})").ok());
  EXPECT_TRUE(Jwks::Parse(R"({"keys":[]})").ok());
}

TEST(CognitoIssuer, MatchesCognitosFormat) {
  EXPECT_EQ(CognitoIssuer("us-east-1", "us-east-1_abc"),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc");
}

}  // namespace
}  // namespace cruddur::auth

namespace cruddur::auth {
namespace {

TEST_F(TokenVerifierTest, RemembersVerifiedTokensButStillChecksExpiry) {
  auto verifier = MakeVerifier();
  const std::string token = GoodToken();
  ASSERT_TRUE(verifier->Verify(token).ok());
  EXPECT_EQ(verifier->verified_cache_hits(), 0);
  auto again = verifier->Verify(token);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sub, "8f1b2c3d-0000-4000-8000-000000000001");
  EXPECT_EQ(verifier->verified_cache_hits(), 1);
  // Past exp + leeway a remembered token is refused like any other.
  now_ = kNow + 3600 + 31;
  auto late = verifier->Verify(token);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(AuthErrorCodeName(late.error().code), AuthErrorCodeName(AuthErrorCode::kExpired));
}

TEST_F(TokenVerifierTest, NeverRemembersRefusedTokens) {
  auto verifier = MakeVerifier();
  Claims wrong;
  wrong.client_id = "another-client";
  const std::string token = GoodToken(wrong);
  for (int i = 0; i < 3; ++i) {
    auto r = verifier->Verify(token);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(AuthErrorCodeName(r.error().code), AuthErrorCodeName(AuthErrorCode::kBadClient));
  }
  EXPECT_EQ(verifier->verified_cache_hits(), 0);
  // A tampered copy of a remembered token is not the remembered token.
  const std::string good = GoodToken();
  ASSERT_TRUE(verifier->Verify(good).ok());
  Claims forged;
  forged.sub = "8f1b2c3d-0000-4000-8000-00000000beef";
  const std::string tampered =
      testing::JwtSigningInput(Rs256Header(), forged.Json()) + good.substr(good.rfind('.'));
  auto r = verifier->Verify(tampered);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(AuthErrorCodeName(r.error().code), AuthErrorCodeName(AuthErrorCode::kBadSignature));
}

TEST_F(TokenVerifierTest, TheCacheIsBoundedAndCanBeTurnedOff) {
  TokenVerifierConfig config;
  config.region = kRegion;
  config.user_pool_id = kPool;
  config.client_id = kClient;
  config.jwks_source = [this]() -> base::Result<std::string> { return jwks_text_; };
  config.clock = [this] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_));
  };
  config.verified_cache_entries = 2;
  TokenVerifier small(config);
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    Claims c;
    c.username = "user" + std::to_string(i);
    tokens.push_back(GoodToken(c));
    ASSERT_TRUE(small.Verify(tokens.back()).ok());
  }
  // The third insert found the cache full and dropped it: only it is left.
  ASSERT_TRUE(small.Verify(tokens[2]).ok());
  EXPECT_EQ(small.verified_cache_hits(), 1);
  ASSERT_TRUE(small.Verify(tokens[0]).ok());
  EXPECT_EQ(small.verified_cache_hits(), 1);

  config.verified_cache_entries = 0;
  TokenVerifier off(config);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(off.Verify(tokens[0]).ok());
  EXPECT_EQ(off.verified_cache_hits(), 0);
}

}  // namespace
}  // namespace cruddur::auth
