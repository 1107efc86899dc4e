// The pool's tokens as the API sees them: access tokens verify with
// auth::TokenVerifier against JwksJson(), ID tokens do not, and both carry
// Cognito's claims. Tokens the pool did not mint are "Invalid Access Token".
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "base/base64.h"
#include "cruddur/auth/jwks.h"
#include "cruddur/auth/jwt.h"
#include "cruddur/auth/token_verifier.h"
#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

rapidjson::Document Payload(const std::string& token) {
  rapidjson::Document doc;
  auto jwt = auth::ParseJwt(token, 1 << 16);
  EXPECT_TRUE(jwt.ok());
  if (jwt.ok()) doc.Parse(jwt->payload_json.c_str());
  return doc;
}

class TokenTest : public PoolTest {
 protected:
  std::unique_ptr<auth::TokenVerifier> Verifier(UserPool* pool) {
    auth::TokenVerifierConfig c;
    c.region = "us-east-1";
    c.user_pool_id = kPool;
    c.client_id = kClient;
    c.jwks_source = [pool]() -> base::Result<std::string> { return pool->JwksJson(); };
    c.clock = [this] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
    };
    c.leeway = std::chrono::seconds(0);
    return std::make_unique<auth::TokenVerifier>(std::move(c));
  }
};

TEST_F(TokenTest, JwksParsesAndNamesTheTokenKid) {
  auto jwks = auth::Jwks::Parse(pool_->JwksJson());
  ASSERT_TRUE(jwks.ok()) << jwks.error().message;
  EXPECT_EQ(jwks->size(), 1u);
  rapidjson::Document doc;
  doc.Parse(pool_->JwksJson().c_str());
  const auto& key = doc["keys"][0];
  EXPECT_STREQ(key["alg"].GetString(), "RS256");
  EXPECT_STREQ(key["kty"].GetString(), "RSA");
  EXPECT_STREQ(key["use"].GetString(), "sig");
  EXPECT_STREQ(key["e"].GetString(), "AQAB");
  // kid: base64url of a SHA-256 (32 bytes -> 43 characters).
  EXPECT_EQ(key["kid"].GetStringLength(), 43u);

  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto jwt = auth::ParseJwt(tokens.access_token, 1 << 16);
  ASSERT_TRUE(jwt.ok());
  EXPECT_EQ(jwt->alg, "RS256");
  ASSERT_TRUE(jwt->kid.has_value());
  EXPECT_EQ(*jwt->kid, key["kid"].GetString());
  EXPECT_NE(jwks->Find(*jwt->kid), nullptr);
}

TEST_F(TokenTest, AccessTokenVerifiesWithTheApiVerifier) {
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto verifier = Verifier(pool_.get());
  auto claims = verifier->VerifyAuthorizationHeader("Bearer " + tokens.access_token);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims->sub, sub);
  EXPECT_EQ(claims->username, sub);  // email is the username attribute
  EXPECT_EQ(claims->client_id, kClient);
  EXPECT_EQ(claims->exp, kStart + 3600);
  EXPECT_EQ(pool_->issuer(), "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_cruddur");
}

TEST_F(TokenTest, IdTokenIsRejectedByTheApiVerifier) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto claims = Verifier(pool_.get())->Verify(tokens.id_token);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.error().code, auth::AuthErrorCode::kBadTokenUse);
  // Nor does the pool take it as an access token.
  auto r = WithToken("GetUser", tokens.id_token);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Invalid Access Token");
}

TEST_F(TokenTest, ExpiredAccessToken) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  Advance(std::chrono::seconds(3600));
  auto claims = Verifier(pool_.get())->Verify(tokens.access_token);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.error().code, auth::AuthErrorCode::kExpired);
  auto r = WithToken("GetUser", tokens.access_token);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Access Token has expired");
}

TEST_F(TokenTest, AccessTokenClaims) {
  const std::string sub = Register("andrew@exampro.co");
  Advance(std::chrono::seconds(5));
  auto tokens = SignIn("andrew@exampro.co");
  auto p = Payload(tokens.access_token);
  ASSERT_TRUE(p.IsObject());
  EXPECT_STREQ(p["sub"].GetString(), sub.c_str());
  EXPECT_STREQ(p["iss"].GetString(), pool_->issuer().c_str());
  EXPECT_STREQ(p["client_id"].GetString(), kClient);
  EXPECT_STREQ(p["token_use"].GetString(), "access");
  EXPECT_STREQ(p["scope"].GetString(), "aws.cognito.signin.user.admin");
  EXPECT_STREQ(p["username"].GetString(), sub.c_str());
  EXPECT_EQ(p["auth_time"].GetInt64(), kStart + 5);
  EXPECT_EQ(p["iat"].GetInt64(), kStart + 5);
  EXPECT_EQ(p["exp"].GetInt64(), kStart + 5 + 3600);
  for (const char* uuid_claim : {"origin_jti", "event_id", "jti"}) {
    ASSERT_TRUE(p.HasMember(uuid_claim)) << uuid_claim;
    EXPECT_EQ(p[uuid_claim].GetStringLength(), 36u) << uuid_claim;
  }
}

TEST_F(TokenTest, IdTokenClaims) {
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto p = Payload(tokens.id_token);
  ASSERT_TRUE(p.IsObject());
  EXPECT_STREQ(p["sub"].GetString(), sub.c_str());
  ASSERT_TRUE(p["email_verified"].IsBool());
  EXPECT_TRUE(p["email_verified"].GetBool());
  EXPECT_STREQ(p["iss"].GetString(), pool_->issuer().c_str());
  EXPECT_STREQ(p["cognito:username"].GetString(), sub.c_str());
  EXPECT_STREQ(p["aud"].GetString(), kClient);
  EXPECT_STREQ(p["token_use"].GetString(), "id");
  EXPECT_STREQ(p["email"].GetString(), "andrew@exampro.co");
  EXPECT_STREQ(p["name"].GetString(), "Andrew Brown");
  EXPECT_STREQ(p["preferred_username"].GetString(), "andrewbrown");
  EXPECT_EQ(p["exp"].GetInt64(), kStart + 3600);
  EXPECT_EQ(p["iat"].GetInt64(), kStart);
  EXPECT_EQ(p["auth_time"].GetInt64(), kStart);
  // Both tokens of one sign-in name the same session.
  auto a = Payload(tokens.access_token);
  EXPECT_STREQ(p["origin_jti"].GetString(), a["origin_jti"].GetString());
  EXPECT_STREQ(p["event_id"].GetString(), a["event_id"].GetString());
  EXPECT_STRNE(p["jti"].GetString(), a["jti"].GetString());
}

TEST_F(TokenTest, TokensOfAnotherPoolAreInvalid) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  // Same ids, another key (a restart of an in-memory pool).
  auto other = Open("");
  ASSERT_NE(other, nullptr);
  auto r = other->Call("GetUser", J({{"AccessToken", S(tokens.access_token)}}));
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("Invalid Access Token"), std::string::npos) << r.body;
  auto claims = Verifier(other.get())->Verify(tokens.access_token);
  EXPECT_FALSE(claims.ok());
}

TEST_F(TokenTest, TamperedTokensAreInvalid) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  const std::string& t = tokens.access_token;
  const size_t dot1 = t.find('.'), dot2 = t.rfind('.');
  // A payload claiming another user, under the original signature.
  auto payload = base::Base64UrlDecode(t.substr(dot1 + 1, dot2 - dot1 - 1));
  ASSERT_TRUE(payload.has_value());
  std::string forged_payload = *payload;
  forged_payload.replace(forged_payload.find("\"sub\":\"") + 7, 4, "ffff");
  const std::string forged =
      t.substr(0, dot1 + 1) + base::Base64UrlEncode(forged_payload) + t.substr(dot2);
  // alg none.
  const std::string none =
      base::Base64UrlEncode(R"({"alg":"none"})") + "." + t.substr(dot1 + 1, dot2 - dot1 - 1) + ".";
  for (const std::string& bad :
       {forged, none, t.substr(0, dot2), std::string("a.b.c"), std::string("null"), t + "x"}) {
    auto r = WithToken("GetUser", bad);
    EXPECT_EQ(r.Type(), "NotAuthorizedException") << bad << " -> " << r.body;
    EXPECT_EQ(r.Message(), "Invalid Access Token") << bad;
  }
  // Not even of the token's pattern: a validation error.
  auto r = WithToken("GetUser", "has space");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
}

}  // namespace
}  // namespace cruddur::userpool::testing
