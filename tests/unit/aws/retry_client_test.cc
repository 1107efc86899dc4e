// Retries: which errors are retried (the SDKs' standard mode), how long the
// client waits (full jitter under an exponential ceiling), and how attempts
// and the overall timeout bound a call. Also error-body parsing. A scripted
// transport stands in for the network.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <deque>
#include <mutex>
#include <vector>

#include "aws/client.h"
#include "aws/client_error.h"
#include "aws/error_response.h"
#include "aws/retry.h"
#include "ddb/common/error.h"

namespace aws {
namespace {

using std::chrono::milliseconds;

// An error as the client has it: its own for a client-side name, else as
// read off the wire from a DynamoDB endpoint answering `status` with `type`
// in "__type" ("503": a body without one).
base::Error Err(const std::string& type, int status) {
  if (type == "ConnectionError") return ClientError(ClientErrorCode::kConnection, "");
  if (type == "TimeoutError") return ClientError(ClientErrorCode::kTimeout, "");
  if (type == "ChecksumError") return ClientError(ClientErrorCode::kChecksum, "");
  if (type == "NoCredentialsError") return ClientError(ClientErrorCode::kNoCredentials, "");
  if (type == "SSLError") return ClientError(ClientErrorCode::kUntrustedCertificate, "");
  const std::string body = type == "503" ? "" : R"({"__type":")" + type + R"(","message":"m"})";
  return ParseErrorResponse(status, {}, body, DecodeDynamoDbError);
}

TEST(RetryClassification, ThrottlingErrors) {
  for (const char* t : {"ProvisionedThroughputExceededException", "ThrottlingException",
                        "RequestLimitExceeded", "Throttling", "TooManyRequestsException",
                        "LimitExceededException", "TransactionInProgressException"}) {
    EXPECT_EQ(ClassifyError(Err(t, 400)), RetryClass::kThrottling) << t;
  }
}

TEST(RetryClassification, TransientErrors) {
  EXPECT_EQ(ClassifyError(Err("InternalServerError", 500)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("ServiceUnavailable", 503)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("503", 503)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("Whatever", 502)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("Whatever", 504)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("ConnectionError", 0)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("TimeoutError", 0)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("ChecksumError", 0)), RetryClass::kTransient);
  EXPECT_EQ(ClassifyError(Err("TransactionConflictException", 400)), RetryClass::kTransient);
}

TEST(RetryClassification, ClientErrorsAreNeverRetried) {
  for (const char* t :
       {"ValidationException", "ResourceNotFoundException", "ConditionalCheckFailedException",
        "TransactionCanceledException", "AccessDeniedException", "UnrecognizedClientException",
        "InvalidSignatureException", "SerializationException", "NoCredentialsError", "SSLError"}) {
    EXPECT_EQ(ClassifyError(Err(t, 400)), RetryClass::kNotRetryable) << t;
  }
  EXPECT_FALSE(IsRetryable(Err("Whatever", 501)));
  EXPECT_FALSE(IsRetryable(Err("Whatever", 404)));
}

TEST(Backoff, CeilingDoublesUpToTheCap) {
  RetryPolicy p;
  p.base_delay = milliseconds(50);
  p.max_backoff = milliseconds(1000);
  EXPECT_EQ(BackoffCeiling(p, 1), milliseconds(50));
  EXPECT_EQ(BackoffCeiling(p, 2), milliseconds(100));
  EXPECT_EQ(BackoffCeiling(p, 3), milliseconds(200));
  EXPECT_EQ(BackoffCeiling(p, 5), milliseconds(800));
  EXPECT_EQ(BackoffCeiling(p, 6), milliseconds(1000));
  EXPECT_EQ(BackoffCeiling(p, 1000), milliseconds(1000));
}

TEST(Backoff, FullJitterStaysWithinZeroAndTheCeiling) {
  RetryPolicy p;
  for (int attempt = 1; attempt < 12; ++attempt) {
    EXPECT_EQ(BackoffDelay(p, attempt, 0.0), milliseconds(0));
    for (double r : {0.1, 0.5, 0.999999, 1.0, 7.0, -1.0}) {
      auto d = BackoffDelay(p, attempt, r);
      EXPECT_GE(d, milliseconds(0));
      EXPECT_LE(d, BackoffCeiling(p, attempt));
    }
  }
  EXPECT_EQ(BackoffDelay(p, 3, 0.5), milliseconds(100));
}

// A transport that replays scripted outcomes.
class ScriptedTransport : public JsonTransport {
 public:
  explicit ScriptedTransport(std::deque<base::Result<std::string>> script)
      : script_(std::move(script)) {}
  const AwsService& service() const override { return kDynamoDB; }
  base::Result<std::string> RoundTrip(std::string_view operation, std::string_view body,
                                      milliseconds timeout) override {
    std::lock_guard<std::mutex> lock(mu_);
    timeouts.push_back(timeout);
    if (script_.empty()) return std::string("{}");
    auto r = std::move(script_.front());
    script_.pop_front();
    return r;
  }
  std::vector<milliseconds> timeouts;

 private:
  std::mutex mu_;
  std::deque<base::Result<std::string>> script_;
};

struct Harness {
  explicit Harness(std::deque<base::Result<std::string>> script, ClientOptions o = {}) {
    auto t = std::make_unique<ScriptedTransport>(std::move(script));
    transport = t.get();
    o.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    o.random = [] { return 0.5; };
    client = std::make_unique<AwsJsonClient>(std::move(t), o);
  }
  ScriptedTransport* transport;
  std::vector<milliseconds> sleeps;
  std::unique_ptr<AwsJsonClient> client;
};

TEST(AwsJsonClient, RetriesThrottlingThenSucceeds) {
  Harness h({Err("ProvisionedThroughputExceededException", 400), Err("InternalServerError", 500),
             std::string(R"({"ok":1})")});
  CallStats stats;
  auto r = h.client->Call("GetItem", "{}", &stats);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, R"({"ok":1})");
  EXPECT_EQ(stats.attempts, 3);
  // random 0.5 under ceilings of 50 and 100 ms.
  EXPECT_EQ(h.sleeps, (std::vector<milliseconds>{milliseconds(25), milliseconds(50)}));
  EXPECT_EQ(stats.slept, milliseconds(75));
}

TEST(AwsJsonClient, StopsAtMaxAttempts) {
  Harness h({Err("ThrottlingException", 400), Err("ThrottlingException", 400),
             Err("ThrottlingException", 400), std::string("{}")});
  CallStats stats;
  auto r = h.client->Call("GetItem", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ThrottlingException");
  EXPECT_EQ(stats.attempts, 3);  // the SDKs' default
  EXPECT_EQ(h.sleeps.size(), 2u);
}

TEST(AwsJsonClient, NeverRetriesClientErrors) {
  Harness h({Err("ValidationException", 400), std::string("{}")});
  CallStats stats;
  auto r = h.client->Call("GetItem", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ValidationException");
  EXPECT_EQ(stats.attempts, 1);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(AwsJsonClient, MaxAttemptsIsConfigurable) {
  ClientOptions o;
  o.retry.max_attempts = 5;
  Harness h({Err("ConnectionError", 0), Err("ConnectionError", 0), Err("ConnectionError", 0),
             Err("ConnectionError", 0), std::string("{}")},
            o);
  CallStats stats;
  EXPECT_TRUE(h.client->Call("GetItem", "{}", &stats).ok());
  EXPECT_EQ(stats.attempts, 5);
}

TEST(AwsJsonClient, AttemptTimeoutIsBoundedByTheTotal) {
  ClientOptions o;
  o.attempt_timeout = milliseconds(10000);
  o.total_timeout = milliseconds(500);
  Harness h({std::string("{}")}, o);
  ASSERT_TRUE(h.client->Call("GetItem", "{}").ok());
  ASSERT_EQ(h.transport->timeouts.size(), 1u);
  EXPECT_LE(h.transport->timeouts[0], milliseconds(500));
}

TEST(AwsJsonClient, DoesNotSleepPastTheTotalTimeout) {
  ClientOptions o;
  o.total_timeout = milliseconds(30);
  o.retry.base_delay = milliseconds(1000);
  Harness h({Err("ThrottlingException", 400), std::string("{}")}, o);
  CallStats stats;
  auto r = h.client->Call("GetItem", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ThrottlingException");
  EXPECT_EQ(stats.attempts, 1);
  EXPECT_TRUE(h.sleeps.empty());
}

TEST(AwsJsonClient, CallJsonParsesTheResponse) {
  Harness h({std::string(R"({"TableNames":["a"]})"), std::string("not json"), std::string("")});
  rapidjson::Document req(rapidjson::kObjectType);
  auto r = h.client->CallJson("ListTables", req);
  ASSERT_TRUE(r.ok());
  EXPECT_STREQ((*r)["TableNames"][0].GetString(), "a");
  auto bad = h.client->CallJson("ListTables", req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ClientErrorCode::kInvalidResponse);
  auto empty = h.client->CallJson("TagResource", req);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->IsObject());
}

TEST(AwsJsonClient, CallJsonReadsTheWholeResponse) {
  // A NUL does not end the text early: inside a string it is refused.
  Harness h({std::string("{\"TableNames\":[\"a\0b\"]}", 22),
             std::string("{\"TableNames\":[\"caf\xc3\xa9\"]}")});
  rapidjson::Document req(rapidjson::kObjectType);
  auto nul = h.client->CallJson("ListTables", req);
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().code, ClientErrorCode::kInvalidResponse);
  auto accented = h.client->CallJson("ListTables", req);
  ASSERT_TRUE(accented.ok());
  EXPECT_STREQ((*accented)["TableNames"][0].GetString(), "caf\xc3\xa9");
}

std::string json_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// The in-place parse answers as the copying one, for every kind of body; its
// strings (unescaped where they lie) live in the document, which outlives
// the response text (ASan would see a read of the freed body).
TEST(AwsJsonClient, CallJsonInPlaceAnswersAsCallJson) {
  const std::vector<std::string> bodies = {
      R"({"Items":[{"m":{"S":"a \"quoted\" \\ line\nnext"}},{"n":{"N":"1.5"}}],"Count":2})",
      "{\"s\":\"caf\\u00e9 \xf0\x9f\x98\x80\"}",
      std::string("{\"s\":\"a\0b\"}", 11),
      "not json",
      "",
      R"({"Deep":{"L":[{"M":{"x":{"BOOL":true}}},{"NULL":true}]}})"};
  for (const std::string& body : bodies) {
    Harness copy({body}), in_place({body});
    rapidjson::Document req(rapidjson::kObjectType);
    auto want = copy.client->CallJson("Query", req);
    auto got = in_place.client->CallJsonInPlace("Query", req);
    ASSERT_EQ(want.ok(), got.ok()) << body;
    if (!want.ok()) {
      EXPECT_EQ(got.error().code, want.error().code) << body;
      EXPECT_EQ(got.error().message, want.error().message) << body;
      continue;
    }
    rapidjson::Document moved = std::move(got).value();
    EXPECT_EQ(json_text(moved), json_text(*want)) << body;
  }
}

TEST(ErrorResponse, DynamoDBErrorBody) {
  base::Error e = ParseErrorResponse(
      400, {},
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
      R"("message":"The conditional request failed","Item":{"pk":{"S":"a"}}})",
      DecodeDynamoDbError);
  EXPECT_EQ(e.code, ddb::ErrorCode::kConditionalCheckFailed);
  EXPECT_EQ(e.message, "The conditional request failed");
  EXPECT_EQ(e.extra_json, R"("Item":{"pk":{"S":"a"}})");
}

TEST(ErrorResponse, CapitalMessageAndNoNamespace) {
  base::Error e = ParseErrorResponse(
      400, {}, R"({"__type":"com.amazon.coral.service#SerializationException","Message":"bad"})",
      DecodeDynamoDbError);
  EXPECT_EQ(e.code, ddb::ErrorCode::kSerialization);
  EXPECT_EQ(e.message, "bad");
  // A service without a decoder (Cognito): the name stays in the message.
  e = ParseErrorResponse(400, {}, R"({"__type":"NotAuthorizedException","message":"no"})", nullptr);
  EXPECT_EQ(e.code, ClientErrorCode::kServiceError);
  EXPECT_EQ(e.message, "NotAuthorizedException: no");
  EXPECT_EQ(e.extra_json, "");
  // A name DynamoDB's decoder does not know, likewise.
  e = ParseErrorResponse(400, {}, R"({"__type":"x#BrandNewException","message":"new"})",
                         DecodeDynamoDbError);
  EXPECT_EQ(e.code, ClientErrorCode::kServiceError);
  EXPECT_EQ(e.message, "BrandNewException: new");
  e = ParseErrorResponse(400, {}, R"({"__type":"UnknownOperationException"})", nullptr);
  EXPECT_EQ(e.code, ClientErrorCode::kUnknownOperation);
  EXPECT_EQ(e.message, "UnknownOperationException");
}

TEST(ErrorResponse, HeaderAndStatusFallbacks) {
  HeaderList h = {{"x-amzn-ErrorType", "UserNotFoundException:http://internal.amazon.com/"}};
  base::Error e = ParseErrorResponse(400, h, R"({"message":"User does not exist."})", nullptr);
  EXPECT_EQ(e.code, ClientErrorCode::kServiceError);
  EXPECT_EQ(e.message, "UserNotFoundException: User does not exist.");
  e = ParseErrorResponse(503, {}, "<html>Service Unavailable</html>", DecodeDynamoDbError);
  EXPECT_EQ(e.code, ClientErrorCode::kServerError);
  EXPECT_EQ(e.message, "503: <html>Service Unavailable</html>");
  EXPECT_TRUE(IsRetryable(e));
}

}  // namespace
}  // namespace aws
