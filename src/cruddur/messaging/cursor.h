// Pagination cursors: the engine's LastEvaluatedKey, opaque to clients.
//
// A cursor is the base64url (no padding) of the LastEvaluatedKey's JSON, e.g.
// {"pk":{"S":"MSG#..."},"sk":{"S":"2026-..."}}. Clients pass it back
// unchanged to get the next page. On the way in it is checked: it must
// decode, be a JSON object of exactly the expected string key attributes, and
// belong to the same partition as the query it continues (a cursor from one
// conversation cannot be replayed against another).
#pragma once

#include <rapidjson/document.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/messaging/errors.h"

namespace cruddur::messaging {

// Longest cursor accepted (keys are at most a few hundred bytes).
inline constexpr size_t kMaxCursorLength = 4096;

// The cursor for `last_evaluated_key` (a JSON object).
std::string EncodeCursor(const rapidjson::Value& last_evaluated_key);

// The key `cursor` stands for, as a JSON object usable as ExclusiveStartKey.
// `attributes` are the key attributes it must hold (each {"S": string}, no
// others); `partition_attribute` must equal `partition_value`. Errors:
// kInvalidCursor with a one-line reason.
base::Result<rapidjson::Document> DecodeCursor(std::string_view cursor,
                                               std::initializer_list<std::string_view> attributes,
                                               std::string_view partition_attribute,
                                               std::string_view partition_value);

}  // namespace cruddur::messaging
