// The DynamoDB wire form of an error: what goes in "__type" and which HTTP
// status carries it. Made here, at the protocol's edge, from the error's code;
// the layers below know only codes (ddb/common/error.h).
#pragma once

#include <string>

#include "ddb/common/error.h"

namespace ddb::protocol {

// "__type": the namespace, '#', and the exception's name. DynamoDB uses three
// namespaces: com.amazon.coral.validate for ValidationException,
// com.amazon.coral.service for protocol-level errors (serialization,
// authentication, unknown operation, body too large) and
// com.amazonaws.dynamodb.v20120810 for the rest. An error of another domain
// (none should reach the wire) is an InternalServerError.
std::string WireType(const Error& error);

// The HTTP status: 500 for InternalServerError, 503 for ServiceUnavailable,
// 413 for a body too large, 408 for a request timeout, 403 for a refused
// request, and 400 for every other DynamoDB error.
int WireStatus(const Error& error);

}  // namespace ddb::protocol
