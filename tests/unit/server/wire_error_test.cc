// The DynamoDB wire form of each code (ddb/protocol/wire_error.h): the
// "__type" namespace DynamoDB sends and the HTTP status. Statuses follow the
// Developer Guide's "Error handling with DynamoDB" table (400 for every
// client error, 500 InternalServerError, 503 ServiceUnavailable); 413, 408
// and 403 are what the HTTP layer itself answers (a body too large, a request
// too slow, a refused browser origin or Host).
#include "ddb/protocol/wire_error.h"

#include <gtest/gtest.h>

#include <string>

#include "ddb/protocol/dynamodb_json.h"

namespace ddb::protocol {
namespace {

struct Row {
  ErrorCode code;
  const char* type;
  int status;
};

TEST(WireError, TypeAndStatusOfEveryCode) {
  const Row rows[] = {
      {ErrorCode::kValidation, "com.amazon.coral.validate#ValidationException", 400},
      {ErrorCode::kSerialization, "com.amazon.coral.service#SerializationException", 400},
      {ErrorCode::kUnknownOperation, "com.amazon.coral.service#UnknownOperationException", 400},
      {ErrorCode::kRequestEntityTooLarge, "com.amazon.coral.service#RequestEntityTooLargeException",
       413},
      {ErrorCode::kMissingAuthenticationToken,
       "com.amazon.coral.service#MissingAuthenticationTokenException", 400},
      {ErrorCode::kIncompleteSignature, "com.amazon.coral.service#IncompleteSignatureException",
       400},
      {ErrorCode::kInvalidSignature, "com.amazon.coral.service#InvalidSignatureException", 400},
      {ErrorCode::kUnrecognizedClient, "com.amazon.coral.service#UnrecognizedClientException", 400},
      {ErrorCode::kAccessDenied, "com.amazon.coral.service#AccessDeniedException", 400},
      {ErrorCode::kRequestRefused, "com.amazon.coral.service#AccessDeniedException", 403},
      {ErrorCode::kRequestTimeout, "com.amazonaws.dynamodb.v20120810#RequestTimeoutException", 408},
      {ErrorCode::kInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError",
       500},
      {ErrorCode::kServiceUnavailable, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", 503},
      {ErrorCode::kResourceNotFound, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
       400},
      {ErrorCode::kConditionalCheckFailed,
       "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400},
      {ErrorCode::kProvisionedThroughputExceeded,
       "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400},
      {ErrorCode::kTransactionCanceled,
       "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", 400},
      {ErrorCode::kTrimmedDataAccess, "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException",
       400},
      {ErrorCode::kExportNotFound, "com.amazonaws.dynamodb.v20120810#ExportNotFoundException", 400},
      {ErrorCode::kImportConflict, "com.amazonaws.dynamodb.v20120810#ImportConflictException", 400},
  };
  for (const Row& r : rows) {
    const Error e(r.code, "m");
    EXPECT_EQ(WireType(e), r.type);
    EXPECT_EQ(WireStatus(e), r.status) << r.type;
  }
}

// An error of another domain that reaches the wire is an internal error, not
// a guess at a DynamoDB name.
TEST(WireError, AnotherDomainIsAnInternalError) {
  class Other final : public std::error_category {
   public:
    const char* name() const noexcept override { return "other"; }
    std::string message(int) const override { return "ValidationException"; }
  };
  static const Other other;
  const Error e(std::error_code(static_cast<int>(ErrorCode::kValidation), other), "m");
  EXPECT_EQ(WireType(e), "com.amazonaws.dynamodb.v20120810#InternalServerError");
  EXPECT_EQ(WireStatus(e), 500);
}

// The body: "Message" for SerializationException, "message" otherwise, the
// extra members appended, an empty message left out.
TEST(WireError, Body) {
  std::string body;
  WriteErrorBody(Error(ErrorCode::kSerialization, "bad"), &body);
  EXPECT_EQ(body,
            R"({"__type":"com.amazon.coral.service#SerializationException","Message":"bad"})");
  WriteErrorBody(Error(ErrorCode::kConditionalCheckFailed, "no", R"("Item":{"k":{"S":"v"}})"),
                 &body);
  EXPECT_EQ(body, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
                  R"("message":"no","Item":{"k":{"S":"v"}}})");
  WriteErrorBody(Error(ErrorCode::kUnknownOperation, ""), &body);
  EXPECT_EQ(body, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
}

}  // namespace
}  // namespace ddb::protocol
