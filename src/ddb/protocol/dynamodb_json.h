// The DynamoDB JSON protocol (awsJson1_0) framing: from the X-Amz-Target
// header and the request body to an HTTP status and response body, and the
// wire form of errors. Knows nothing of HTTP transport or of credentials.
//
// Errors on the wire:
//   {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
//    "message":"Requested resource not found"}
// with Error::extra_json members appended. DynamoDB spells the key
// "Message" for SerializationException and "message" for the rest; botocore
// reads either. An empty message is left out, as DynamoDB does for
// UnknownOperationException.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/engine/engine.h"

namespace ddb::protocol {

// The X-Amz-Target prefix of DynamoDB operations.
inline constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

// The X-Amz-Target prefix of DynamoDB Streams operations (same endpoint).
inline constexpr std::string_view kStreamsTargetPrefix = "DynamoDBStreams_20120810.";

// Which API an X-Amz-Target names.
enum class Service { kDynamoDB, kStreams };
struct Target {
  Service service = Service::kDynamoDB;
  std::string_view operation;  // a view into the header value
};

// Like ParseTarget, for both APIs: "DynamoDB_20120810.GetItem" and
// "DynamoDBStreams_20120810.GetRecords". Anything else (or an operation the
// engine does not implement in that API): UnknownOperationException.
Result<Target> ParseServiceTarget(std::string_view target);

// The operation named by an X-Amz-Target value ("DynamoDB_20120810.GetItem"
// -> "GetItem", a view into `target`). A missing or foreign prefix, or an
// operation the engine does not implement: UnknownOperationException with
// no message, HTTP 400.
Result<std::string_view> ParseTarget(std::string_view target);

// A parsed request. Both the values and the parser's stack live in memory
// pools, which the caller may seed with its own buffers.
using RequestDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                               rapidjson::MemoryPoolAllocator<>>;

// Deepest nesting of JSON objects and arrays a request may have: the
// deepest envelope (TransactWriteItems > TransactItems > Update >
// ExpressionAttributeValues > value: 6 levels) plus DynamoDB's 32 levels of
// attribute nesting at two JSON levels each ({"M":{...}}), plus a few. The
// limit is enforced while parsing, so memory and time stay proportional to
// what is accepted and no later walk of the document recurses deeper.
inline constexpr unsigned kMaxRequestJsonDepth = 80;

// Parses a request body, which must be one JSON object. Malformed JSON, a
// body that is not an object, or invalid UTF-8: SerializationException.
// Nested deeper than kMaxRequestJsonDepth: ValidationException "Nesting
// Levels have exceeded supported limits: ..." (DynamoDB's answer to an item
// nested too deep). `stack_allocator` (may be null) serves the parser's stack.
// A std::string, so that plain ASCII takes base::ParseBoundedJson's faster
// form (its terminating NUL ends the text).
Status ParseRequestBody(const std::string& body, RequestDocument* doc,
                        rapidjson::MemoryPoolAllocator<>* stack_allocator = nullptr);

// The JSON body of `error` (replacing `*out`).
void WriteErrorBody(const Error& error, std::string* out);

// What to send back: HTTP status and body.
struct Reply {
  int status = 200;
  std::string body;
};

// Runs `operation` on the engine and fills `reply`: 200 with the engine's
// response object, or the error's status and body. An engine that writes
// nothing yields an empty body (DynamoDB's TagResource answers so).
void Execute(Engine& engine, std::string_view operation, const rapidjson::Value& request,
             Reply* reply);
// The same for either API.
void Execute(Engine& engine, Service service, std::string_view operation,
             const rapidjson::Value& request, Reply* reply);

// The whole framing in one call: ParseRequestBody, ParseServiceTarget (in that
// order, as DynamoDB checks them), then Execute. Credentials are not
// checked here.
void Handle(Engine& engine, std::string_view target, std::string_view body, Reply* reply);

}  // namespace ddb::protocol
