// Reading a JSON-protocol error response (DynamoDB, DynamoDB Streams,
// Cognito) into an Error, as botocore reads it:
//
//   HTTP 400  {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
//              "message":"Requested resource not found"}
//
//  - the name: what follows the last '#' of "__type" (the whole value if it
//    has none); without "__type", the x-amzn-ErrorType header up to its
//    first ':'; without either, the HTTP status as text ("503"), as botocore
//    does;
//  - code: `decode(name)` when the service's decoder knows the name;
//    otherwise a ClientErrorCode (client_error.h): kThrottled for the names
//    the SDKs' standard retry mode treats as throttling, kServerError for its
//    transient names and for HTTP 500/502/503/504, kUnknownOperation for
//    UnknownOperationException, else kServiceError; these keep the name in
//    the message ("<Name>: <message>");
//  - message: "message", else "Message", else "errorMessage"; a body that is
//    not JSON gives its first 200 bytes instead;
//  - extra_json: every other top-level member, serialized without the
//    braces (e.g. "\"CancellationReasons\":[...]" or "\"Item\":{...}"), so
//    the error can be inspected or re-sent unchanged.
#pragma once

#include <span>
#include <string_view>

#include "aws/http_types.h"
#include "aws/service.h"
#include "base/error.h"

namespace aws {

base::Error ParseErrorResponse(int http_status, std::span<const Header> headers,
                               std::string_view body, ErrorDecoder decode);

}  // namespace aws
