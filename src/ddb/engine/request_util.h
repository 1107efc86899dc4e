// Helpers for reading request parameters with DynamoDB's validation errors.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>

#include "ddb/common/error.h"

namespace ddb {

// The member `name` of `req`, or null if absent (JSON null counts as absent).
const rapidjson::Value* Member(const rapidjson::Value& req, std::string_view name);

// A string member. Absent -> nullopt. Wrong JSON type -> SerializationException
// (as botocore-independent clients see from DynamoDB).
Result<std::optional<std::string>> OptString(const rapidjson::Value& req, std::string_view name);
// A Long member (64-bit): fractions truncated, out-of-range values clamped
// (they then fail the parameter's range check).
Result<std::optional<int64_t>> OptInt(const rapidjson::Value& req, std::string_view name);
// An Integer member (Java's 32-bit int, e.g. Limit, Segment): like OptInt,
// but a value outside [-2^31, 2^31) is a SerializationException "NUMBER_VALUE
// cannot be converted to Integer", as a value that does not fit the
// parameter's type is refused before any range check.
Result<std::optional<int64_t>> OptInt32(const rapidjson::Value& req, std::string_view name);
Result<std::optional<bool>> OptBool(const rapidjson::Value& req, std::string_view name);

// Validates a table or index name as DynamoDB does: 3..255 characters of
// [a-zA-Z0-9_.-]. `param` is the parameter name used in the message, e.g.
// "1 validation error detected: Value 'x' at 'tableName' failed to satisfy
// constraint: Member must have length greater than or equal to 3".
Status ValidateTableName(std::string_view name, std::string_view param);

// "arn:aws:dynamodb:<region>:<account>:table/<name>" -> "<name>"; nullopt if
// `s` is not a table ARN. DynamoDB accepts a table ARN wherever a TableName
// is expected.
std::optional<std::string_view> TableNameFromArn(std::string_view s);

// Reads and validates TableName (required). Message for a missing one:
// "1 validation error detected: Value null at 'tableName' failed to satisfy
// constraint: Member must not be null".
Result<std::string> RequireTableName(const rapidjson::Value& req);

// The control-plane operations that name one table (CreateTable,
// DeleteTable, DescribeTable, UpdateTable, DescribeTimeToLive,
// UpdateTimeToLive) refuse a request without TableName (absent or null)
// before any other check, with "The parameter 'TableName' is required but
// was not present in the request"; Ok otherwise.
Status CheckTableNamePresent(const rapidjson::Value& req);

}  // namespace ddb
