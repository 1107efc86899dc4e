// Authentication on every route: any token problem is 401 with the body
// "{}" (never a 500, §7 / §10.11), checked before the body is read (the
// reference read `message` first and crashed unauthenticated, §3.4), a valid
// token without a directory row is 401 too (the reference's 500, §3.2), and
// an unreachable JWKS is 503, not 401.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_fixture.h"

namespace cruddur::api::testing {
namespace {

namespace http = boost::beast::http;

class AuthTest : public ApiTest {
 protected:
  // One request per route, with `authorization` as the header value (none if
  // empty). The POST body is invalid on purpose: it must not matter.
  std::vector<net::HttpRequest> EveryRoute(const std::string& authorization) {
    std::vector<net::HttpRequest> out = {
        Get("/api/message_groups"),
        Get("/api/messages/00000000-0000-4000-8000-000000000000"),
        Get("/api/messages/not-a-uuid?cursor=garbage"),
        Post("/api/messages", "this is not json"),
        Post("/api/messages", R"({"message":"","handle":""})"),
        Get("/api/users/@bayko/short"),
        MakeRequest(http::verb::head, "/api/message_groups"),
    };
    for (auto& req : out) {
      if (!authorization.empty()) req.set(http::field::authorization, authorization);
    }
    return out;
  }

  void ExpectUnauthorized(const std::string& authorization) {
    for (const auto& req : EveryRoute(authorization)) {
      net::HttpResponse res = Serve(req);
      EXPECT_EQ(res.result_int(), 401u) << req.target() << " with '" << authorization << "'";
      if (req.method() != http::verb::head) {
        EXPECT_EQ(res.body(), "{}") << req.target();
      }
      EXPECT_EQ(Header(res, "Content-Type"), "application/json");
      EXPECT_EQ(Header(res, "WWW-Authenticate"), "Bearer");
    }
  }
};

TEST_F(AuthTest, NoTokenIs401) { ExpectUnauthorized(""); }

TEST_F(AuthTest, MalformedHeadersAre401) {
  for (const std::string& h : std::vector<std::string>{
           "Bearer", "Bearer ", "Bearer null", "Bearer garbage", "Bearer a.b.c",
           "Basic dXNlcjpwYXNz", "Bearer a b", "Token " + TokenFor(kAndrewSub),
           TokenFor(kAndrewSub), "Bearer " + TokenFor(kAndrewSub) + "x",
           "Bearer " + std::string(20000, 'a')}) {
    ExpectUnauthorized(h);
  }
}

TEST_F(AuthTest, RejectedTokensAre401) {
  TokenClaims expired;
  expired.exp = 1'600'000'000;
  ExpectUnauthorized("Bearer " + MintToken(expired));
  TokenClaims other_client;
  other_client.client_id = "someotherappclient";
  ExpectUnauthorized("Bearer " + MintToken(other_client));
  TokenClaims id_token;
  id_token.token_use = "id";
  ExpectUnauthorized("Bearer " + MintToken(id_token));
  TokenClaims other_pool;
  other_pool.iss = auth::CognitoIssuer(kRegion, "us-east-1_OtherPool");
  ExpectUnauthorized("Bearer " + MintToken(other_pool));
  // Signed with a key the pool does not have, under the pool's kid.
  auth::testing::TestRsaKey stranger_key;
  ExpectUnauthorized("Bearer " + auth::testing::SignRs256Jwt(
                                     stranger_key, R"({"kid":"api-test-kid","alg":"RS256"})",
                                     TokenClaims{}.Json()));
  // HS256 with the public key as the secret.
  ExpectUnauthorized("Bearer " +
                     auth::testing::SignHs256Jwt(SharedState()->key->PublicPem(),
                                                 R"({"kid":"api-test-kid","alg":"HS256"})",
                                                 TokenClaims{}.Json()));
}

TEST_F(AuthTest, AValidTokenWithoutADirectoryRowIs401) {
  ExpectUnauthorized("Bearer " + TokenFor(kStrangerSub));
  // The seed's placeholder Cognito id is nobody.
  ExpectUnauthorized("Bearer " + TokenFor("MOCK"));
  // The log still names who it was, and why.
  bool found = false;
  for (const auto& line : LogLines()) {
    if (line.find(kStrangerSub) != std::string::npos) {
      found = true;
      EXPECT_NE(line.find(R"("status":401)"), std::string::npos) << line;
      EXPECT_NE(line.find(R"("error":"UserNotFound")"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(AuthTest, UnreachableJwksIs503) {
  jwks_down_ = true;
  auto verifier = MakeVerifier();
  auto handler = MakeHandler(verifier.get());
  for (const auto& req : EveryRoute("Bearer " + TokenFor(kAndrewSub))) {
    net::HttpResponse res = handler->Serve(req);
    EXPECT_EQ(res.result_int(), 503u) << req.target();
    if (req.method() != http::verb::head) {
      EXPECT_EQ(Errors(res), std::vector<std::string>{"auth_unavailable"});
    }
    EXPECT_EQ(Header(res, "Retry-After"), "1");
  }
  // A token that fails before any key is needed is still a 401.
  EXPECT_EQ(handler->Serve(Get("/api/message_groups", "garbage")).result_int(), 401u);
}

TEST_F(AuthTest, GoodTokensWorkOnEveryRoute) {
  const std::string token = TokenFor(kAndrewSub);
  EXPECT_EQ(Serve(Get("/api/message_groups", token)).result_int(), 200u);
  EXPECT_EQ(Serve(Get("/api/users/@londo/short", token)).result_int(), 200u);
  net::HttpResponse sent =
      Serve(Post("/api/messages", R"({"message":"hi","handle":"londo"})", token));
  ASSERT_EQ(sent.result_int(), 200u) << sent.body();
  const std::string group = ParseJson(sent.body())["message_group_uuid"].GetString();
  EXPECT_EQ(Serve(Get("/api/messages/" + group, token)).result_int(), 200u);
  // The scheme is case-insensitive.
  net::HttpRequest req = Get("/api/message_groups");
  req.set(http::field::authorization, "bearer " + token);
  EXPECT_EQ(Serve(req).result_int(), 200u);
}

}  // namespace
}  // namespace cruddur::api::testing
