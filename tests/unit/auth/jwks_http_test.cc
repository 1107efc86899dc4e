// The HTTP JwksSource: Cognito's URL shape, and an unreachable endpoint
// surfacing as kJwksUnavailable rather than a crash or a hang.
#include "cruddur/auth/jwks_http.h"

#include <gtest/gtest.h>

namespace cruddur::auth {
namespace {

TEST(JwksHttp, CognitoUrl) {
  EXPECT_EQ(CognitoJwksUrl("us-east-1", "us-east-1_abc"),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc/.well-known/jwks.json");
}

TEST(JwksHttp, UnreachableEndpointIsJwksUnavailable) {
  TokenVerifierConfig config;
  config.region = "us-east-1";
  config.user_pool_id = "us-east-1_abc";
  config.client_id = "client";
  // Port 1 on loopback: refused at once.
  config.jwks_source = HttpJwksSource(std::make_shared<aws::HttpClient>(),
                                      "http://127.0.0.1:1/jwks.json", std::chrono::seconds(2));
  TokenVerifier verifier(std::move(config));
  auto r = verifier.Verify("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.AAAA");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, AuthErrorCode::kJwksUnavailable) << r.error().message;
}

}  // namespace
}  // namespace cruddur::auth
