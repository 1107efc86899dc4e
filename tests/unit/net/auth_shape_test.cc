// The credential shape checks DynamoDB applies before verifying signatures.
#include "net/auth_shape.h"

#include <gtest/gtest.h>

namespace net {
namespace {

constexpr std::string_view kGood =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

AuthShapeInput Signed(std::string_view auth) {
  AuthShapeInput in;
  in.authorization = auth;
  in.x_amz_date = "20240102T030405Z";
  return in;
}

TEST(AuthShape, WellFormedHeaderPassesAndIsParsed) {
  SigV4Header h;
  EXPECT_FALSE(CheckAuthShape(Signed(kGood), "dynamodb", &h).has_value());
  EXPECT_EQ(h.algorithm, "AWS4-HMAC-SHA256");
  EXPECT_EQ(h.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(h.scope_date, "20240102");
  EXPECT_EQ(h.region, "us-east-1");
  EXPECT_EQ(h.service, "dynamodb");
  EXPECT_EQ(h.terminator, "aws4_request");
  EXPECT_EQ(h.signed_headers, "content-type;host;x-amz-date;x-amz-target");
  EXPECT_EQ(h.signature.size(), 64u);
}

TEST(AuthShape, AnyCredentialsAndRegionPass) {
  EXPECT_FALSE(CheckAuthShape(Signed("AWS4-HMAC-SHA256 Credential=x/20240102/local/dynamodb/"
                                     "aws4_request,SignedHeaders=host,Signature=00"))
                   .has_value());
}

TEST(AuthShape, DateHeaderInsteadOfXAmzDate) {
  AuthShapeInput in;
  in.authorization = kGood;
  in.date = "Tue, 02 Jan 2024 03:04:05 GMT";
  EXPECT_FALSE(CheckAuthShape(in).has_value());
}

TEST(AuthShape, MissingAuthorization) {
  auto err = CheckAuthShape(AuthShapeInput{});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "MissingAuthenticationTokenException");
  EXPECT_EQ(err->message, "Request is missing Authentication Token");
}

TEST(AuthShape, MissingParameters) {
  auto err = CheckAuthShape(Signed("AWS4-HMAC-SHA256 Signature=abc"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256 Signature=abc");
}

TEST(AuthShape, GarbageHeaderListsEverything) {
  AuthShapeInput in;
  in.authorization = "Bearer";
  auto err = CheckAuthShape(in);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "Authorization header requires 'Credential' parameter. Authorization header requires "
            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
            "header. Authorization=Bearer");
}

TEST(AuthShape, PairWithoutEqualSign) {
  auto err = CheckAuthShape(Signed("AWS4-HMAC-SHA256 Signature=b, Credential, SignedHeaders"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "'Credential' not a valid key=value pair (missing equal-sign) in Authorization "
            "header: 'AWS4-HMAC-SHA256 Signature=b, Credential, SignedHeaders'.");
}

TEST(AuthShape, BadDateFormat) {
  AuthShapeInput in = Signed(kGood);
  in.x_amz_date = "201";
  auto err = CheckAuthShape(in);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "Date must be in ISO-8601 'basic format'. Got '201'. See "
            "http://en.wikipedia.org/wiki/ISO_8601");
}

TEST(AuthShape, HostMustBeSigned) {
  auto err =
      CheckAuthShape(Signed("AWS4-HMAC-SHA256 Credential=a/20240102/us-east-1/dynamodb/"
                            "aws4_request, SignedHeaders=x-amz-date, Signature=00"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "InvalidSignatureException");
  EXPECT_EQ(err->message, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(AuthShape, UnsupportedAlgorithm) {
  auto err =
      CheckAuthShape(Signed("AWS4-HMAC-SHA25 Credential=a/20240102/us-east-1/dynamodb/"
                            "aws4_request, SignedHeaders=host, Signature=00"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA25' (only AWS4-HMAC-SHA256 for now). ");
}

TEST(AuthShape, CredentialNeedsFiveParts) {
  auto err = CheckAuthShape(
      Signed("AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=00"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'a/b/c/d'");
  // Trailing slashes are ignored.
  EXPECT_FALSE(CheckAuthShape(Signed("AWS4-HMAC-SHA256 Credential=a/20240102/r/dynamodb/"
                                     "aws4_request//, SignedHeaders=host, Signature=00"))
                   .has_value());
}

TEST(AuthShape, CredentialScope) {
  auto err = CheckAuthShape(
      Signed("AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/s3/aws4, SignedHeaders=host, "
             "Signature=00"));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "InvalidSignatureException");
  EXPECT_EQ(err->message,
            "Credential should be scoped to correct service: 'dynamodb'. Credential should be "
            "scoped with a valid terminator: 'aws4_request', not 'aws4'. Date in Credential "
            "scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240101' "
            "!= '20240102', from '20240102T030405Z'.");
}

TEST(AuthShape, QueryStringSignature) {
  AuthShapeInput in;
  in.query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Date=20240102T030405Z";
  auto err = CheckAuthShape(in);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "IncompleteSignatureException");
  EXPECT_EQ(err->message,
            "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string "
            "parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string "
            "parameters.");
  in.query = std::string_view(
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Date=d&X-Amz-Signature=s&"
      "X-Amz-SignedHeaders=host");
  EXPECT_FALSE(CheckAuthShape(in).has_value());
  in.authorization = kGood;
  err = CheckAuthShape(in);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->Name(), "InvalidSignatureException");
}

}  // namespace
}  // namespace net
