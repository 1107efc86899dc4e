// Reading a JSON-protocol error response (DynamoDB, DynamoDB Streams,
// Cognito) into the project's one error type, as botocore reads it:
//
//   HTTP 400  {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
//              "message":"Requested resource not found"}
//
//  - type: what follows the last '#' of "__type" (the whole value if it has
//    none); without "__type", the x-amzn-ErrorType header up to its first
//    ':'; without either, the HTTP status as text ("503"), as botocore does;
//  - type_namespace: what precedes the '#';
//  - message: "message", else "Message", else "errorMessage"; a body that is
//    not JSON gives its first 200 bytes instead;
//  - extra_json: every other top-level member, serialized without the
//    braces (e.g. "\"CancellationReasons\":[...]" or "\"Item\":{...}"), so
//    the error can be inspected or re-sent unchanged;
//  - http_status: the response's status.
#pragma once

#include <span>
#include <string_view>

#include "aws/http_types.h"
#include "ddb/common/error.h"

namespace aws {

ddb::Error ParseErrorResponse(int http_status, std::span<const Header> headers,
                              std::string_view body);

}  // namespace aws
