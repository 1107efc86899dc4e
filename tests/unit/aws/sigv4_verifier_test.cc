// The server side of SigV4: a request signed by our signer (or botocore)
// verifies; any change to what was signed, a wrong secret, an unknown key or
// a clock 15 minutes away is rejected with DynamoDB's error and message.
#include "aws/sigv4_verifier.h"

#include <gtest/gtest.h>

#include "aws/sigv4.h"

namespace aws {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const std::string kBody = R"({"TableName":"cruddur-messages"})";

Clock::time_point T0() { return *ParseAmzDate("20150830T123600Z"); }

SecretLookup Secrets() {
  return [](std::string_view id) -> std::optional<std::string> {
    if (id == "AKIDEXAMPLE") return std::string(kSecret);
    return std::nullopt;
  };
}

HeaderList SignedHeaders(const std::string& secret = kSecret, Clock::time_point t = T0()) {
  HeaderList h = {{"Host", "localhost:8000"},
                  {"Content-Type", "application/x-amz-json-1.0"},
                  {"X-Amz-Target", "DynamoDB_20120810.DescribeTable"}};
  SignRequest("POST", "/", "", h, kBody, {"AKIDEXAMPLE", secret, ""}, {"us-east-1", "dynamodb", t});
  h.push_back({"User-Agent", "added after signing"});
  h.push_back({"Content-Length", std::to_string(kBody.size())});
  return h;
}

std::optional<base::Error> Verify(const HeaderList& h, std::string_view body = kBody,
                                  Clock::time_point now = T0(), std::string_view path = "/") {
  VerifyOptions o;
  o.now = now;
  return VerifySigV4({"POST", path, "", h, body}, Secrets(), o);
}

TEST(SigV4Verifier, AcceptsACorrectlySignedRequest) {
  EXPECT_FALSE(Verify(SignedHeaders()).has_value());
}

TEST(SigV4Verifier, AcceptsBotocoresSignature) {
  // botocore's SigV4Auth for this exact request (see sigv4_test.cc).
  HeaderList h = {
      {"Host", "dynamodb.us-east-1.amazonaws.com"},
      {"Content-Type", "application/x-amz-json-1.0"},
      {"X-Amz-Target", "DynamoDB_20120810.DescribeTable"},
      {"X-Amz-Date", "20150830T123600Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
       "Signature=26f9f9d00e4c5ae0aad333bac67db581c22b999467a07e49c9e21a326793b219"}};
  EXPECT_FALSE(Verify(h).has_value());
}

void ExpectMismatch(const std::optional<base::Error>& e) {
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "InvalidSignatureException");
  EXPECT_EQ(e->message, kSignatureMismatchMessage);
}

TEST(SigV4Verifier, RejectsAWrongSecret) { ExpectMismatch(Verify(SignedHeaders("wrong"))); }

TEST(SigV4Verifier, RejectsAChangedBody) {
  ExpectMismatch(Verify(SignedHeaders(), R"({"TableName":"other"})"));
}

TEST(SigV4Verifier, RejectsAChangedSignedHeader) {
  HeaderList h = SignedHeaders();
  for (Header& x : h) {
    if (x.name == "X-Amz-Target") x.value = "DynamoDB_20120810.DeleteTable";
  }
  ExpectMismatch(Verify(h));
}

TEST(SigV4Verifier, RejectsAChangedPath) {
  ExpectMismatch(Verify(SignedHeaders(), kBody, T0(), "/other"));
}

TEST(SigV4Verifier, RejectsAnUnknownAccessKey) {
  HeaderList h = {{"Host", "localhost:8000"}};
  SignRequest("POST", "/", "", h, kBody, {"AKIDUNKNOWN", kSecret, ""},
              {"us-east-1", "dynamodb", T0()});
  auto e = Verify(h);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "UnrecognizedClientException");
  EXPECT_EQ(e->message, "The security token included in the request is invalid.");
}

TEST(SigV4Verifier, AcceptsSkewWithinFifteenMinutes) {
  EXPECT_FALSE(Verify(SignedHeaders(), kBody, T0() + minutes(15)).has_value());
  EXPECT_FALSE(Verify(SignedHeaders(), kBody, T0() - minutes(15)).has_value());
}

TEST(SigV4Verifier, RejectsAnExpiredSignature) {
  auto e = Verify(SignedHeaders(), kBody, T0() + minutes(15) + seconds(1));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "InvalidSignatureException");
  EXPECT_EQ(e->message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T125101Z - 15 min.)");
}

TEST(SigV4Verifier, RejectsASignatureFromTheFuture) {
  auto e = Verify(SignedHeaders(), kBody, T0() - minutes(20));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "InvalidSignatureException");
  EXPECT_EQ(e->message,
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123100Z "
            "(20150830T121600Z + 15 min.)");
}

TEST(SigV4Verifier, ShapeErrorsComeFirst) {
  auto e = Verify({{"Host", "localhost:8000"}});
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "MissingAuthenticationTokenException");

  HeaderList h = SignedHeaders();
  for (Header& x : h) {
    if (x.name == "Authorization") x.value = x.value.substr(0, x.value.find(", Signature="));
  }
  e = Verify(h);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->Name(), "IncompleteSignatureException");
}

TEST(SigV4Verifier, UsesTheSignedDateHeaderWhenThereIsNoXAmzDate) {
  // Signed with a Date header only (RFC 1123), as some old clients do.
  HeaderList h = {{"Host", "localhost:8000"}, {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"}};
  SigningResult r = Sign({"POST", "/", "", h, kBody}, {"AKIDEXAMPLE", kSecret, ""},
                         {"us-east-1", "dynamodb", T0()});
  h.push_back({"Authorization", r.authorization});
  EXPECT_FALSE(Verify(h).has_value());
}

}  // namespace
}  // namespace aws
