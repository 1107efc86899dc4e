// Admission rules of the endpoint (server/access_policy.h): Host, Origin,
// preflight grants, exposure at start-up.
#include "server/access_policy.h"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>

#include "ddb/protocol/wire_error.h"
#include "net/auth_error.h"

namespace server {
namespace {

namespace http = boost::beast::http;

net::HttpRequest Req(http::verb verb, std::string host, std::string origin = "") {
  net::HttpRequest r{verb, "/", 11};
  if (!host.empty()) r.set(http::field::host, host);
  if (!origin.empty()) r.set(http::field::origin, origin);
  return r;
}

TEST(AccessPolicy, HostRuleWithoutCredentials) {
  AccessOptions o;
  o.allowed_hosts = {"DDB.internal"};
  AccessPolicy p(o);
  for (const char* ok : {"localhost", "localhost:8000", "127.0.0.1:1", "[::1]:8000", "LocalHost.",
                         "ddb.internal:9000"}) {
    EXPECT_TRUE(p.HostAllowed(ok)) << ok;
    EXPECT_FALSE(p.Admit(Req(http::verb::post, ok)).has_value()) << ok;
  }
  for (const char* bad : {"evil.example", "evil.example:8000", "127.0.0.2",
                          "localhost.evil.example", "192.168.0.1:8000", "[::2]:8000"}) {
    EXPECT_FALSE(p.HostAllowed(bad)) << bad;
    auto refused = p.Admit(Req(http::verb::post, bad));
    ASSERT_TRUE(refused.has_value()) << bad;
    EXPECT_EQ(refused->Name(), "AccessDeniedException");
    EXPECT_EQ(refused->code, net::AuthErrorCode::kRequestRefused);
  }
  EXPECT_FALSE(p.Admit(Req(http::verb::post, "")).has_value());  // no Host: no browser
}

TEST(AccessPolicy, NoHostRuleWithCredentials) {
  AccessOptions o;
  o.credentials = std::make_shared<const CredentialsFile>();
  AccessPolicy p(o);
  EXPECT_FALSE(p.Admit(Req(http::verb::post, "db.example.com")).has_value());
}

TEST(AccessPolicy, DefaultOrigins) {
  AccessPolicy p(AccessOptions{});
  EXPECT_TRUE(p.OriginAllowed("http://localhost:3000"));
  EXPECT_TRUE(p.OriginAllowed("http://127.0.0.1:3000"));
  EXPECT_TRUE(p.OriginAllowed("http://localhost:5173"));
  EXPECT_FALSE(p.OriginAllowed("http://evil.example"));
  EXPECT_FALSE(p.OriginAllowed("null"));
  EXPECT_FALSE(p.OriginAllowed("http://localhost:3001"));
  EXPECT_TRUE(p.Admit(Req(http::verb::post, "localhost", "http://evil.example")).has_value());
}

TEST(AccessPolicy, CorsFlag) {
  AccessOptions o;
  o.allowed_origins = SplitOrigins(" https://app.example/ ,, http://x.test:8080");
  EXPECT_EQ(o.allowed_origins,
            (std::vector<std::string>{"https://app.example", "http://x.test:8080"}));
  AccessPolicy p(o);
  EXPECT_TRUE(p.OriginAllowed("https://APP.example"));
  EXPECT_FALSE(p.OriginAllowed("http://localhost:3000"));
  AccessOptions any;
  any.allowed_origins = SplitOrigins("*");
  EXPECT_TRUE(AccessPolicy(any).OriginAllowed("http://whatever.example"));
}

TEST(AccessPolicy, PreflightGrantsOnlyTheFixedList) {
  AccessPolicy p(AccessOptions{});
  auto req = Req(http::verb::options, "localhost", "http://localhost:3000");
  req.set(http::field::access_control_request_method, "POST");
  req.set(http::field::access_control_request_headers, "x-evil, authorization");
  auto res = p.Preflight(req, "id");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::access_control_allow_origin], "http://localhost:3000");
  EXPECT_EQ(res[http::field::access_control_allow_headers], kCorsAllowHeaders);
  EXPECT_EQ(res[http::field::vary], "Origin");
  req.set(http::field::access_control_request_method, "DELETE");
  res = p.Preflight(req, "id");
  EXPECT_EQ(res.result(), http::status::forbidden);
  EXPECT_EQ(res.find(http::field::access_control_allow_origin), res.end());
}

TEST(AccessPolicy, Exposure) {
  EXPECT_FALSE(CheckExposure("127.0.0.1", false).has_value());
  EXPECT_FALSE(CheckExposure("127.1.2.3", false).has_value());
  EXPECT_FALSE(CheckExposure("::1", false).has_value());
  EXPECT_FALSE(CheckExposure("localhost", false).has_value());
  EXPECT_TRUE(CheckExposure("0.0.0.0", false).has_value());
  EXPECT_TRUE(CheckExposure("::", false).has_value());
  EXPECT_TRUE(CheckExposure("192.168.1.2", false).has_value());
  EXPECT_TRUE(CheckExposure("myhost", false).has_value());
  EXPECT_FALSE(CheckExposure("0.0.0.0", true).has_value());
}

// The policy's errors are of the "aws-auth" domain; on the DynamoDB wire
// they are DynamoDB's errors of the same names (AccessDeniedException is 403
// for a refusal, 400 for a missing permission).
TEST(AccessPolicy, ErrorsOnTheDynamoDbWire) {
  const ddb::Error refused = AsDynamoDbError(Refused("no"));
  EXPECT_EQ(ddb::protocol::WireType(refused), "com.amazon.coral.service#AccessDeniedException");
  EXPECT_EQ(ddb::protocol::WireStatus(refused), 403);
  const ddb::Error denied =
      AsDynamoDbError(base::Error(net::AuthErrorCode::kAccessDenied, "not allowed"));
  EXPECT_EQ(ddb::protocol::WireType(denied), "com.amazon.coral.service#AccessDeniedException");
  EXPECT_EQ(ddb::protocol::WireStatus(denied), 400);
  const ddb::Error missing =
      AsDynamoDbError(base::Error(net::AuthErrorCode::kMissingAuthenticationToken, "m"));
  EXPECT_EQ(missing.code, ddb::ErrorCode::kMissingAuthenticationToken);
  EXPECT_EQ(ddb::protocol::WireType(missing),
            "com.amazon.coral.service#MissingAuthenticationTokenException");
  // Another domain's error reaching the wire is an internal error.
  const base::Error stray(net::AuthErrorCode::kInvalidSignature, "x");
  EXPECT_EQ(ddb::protocol::WireType(ddb::Error(ddb::ErrorCode::kInternalServerError, "")),
            "com.amazonaws.dynamodb.v20120810#InternalServerError");
  EXPECT_EQ(ddb::protocol::WireStatus(stray), 500);
}

TEST(AccessPolicy, DeniedWording) {
  AccessOptions o;
  auto creds = std::make_shared<CredentialsFile>();
  creds->keys.push_back(AccessKey{"AKID", "s", "reader", {}});
  o.credentials = creds;
  AccessPolicy p(o);
  auto e = p.Denied(creds->keys[0], "dynamodb:PutItem", p.TableArn("t"));
  EXPECT_EQ(e.Name(), "AccessDeniedException");
  EXPECT_EQ(e.message,
            "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: "
            "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/t "
            "because no identity-based policy allows the dynamodb:PutItem action");
}

}  // namespace
}  // namespace server
