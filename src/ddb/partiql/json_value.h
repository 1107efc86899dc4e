// Building the JSON requests handed to the engine's operations: attribute
// values, items and strings as rapidjson values in a document's allocator.
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "ddb/model/attribute_value.h"

namespace ddb::partiql {

using Allocator = rapidjson::Document::AllocatorType;

// A JSON string holding `s` (embedded NULs kept), copied into `alloc`.
rapidjson::Value JsonString(std::string_view s, Allocator& alloc);
// DynamoDB JSON of a value ({"S": "x"}) / of an item ({"a": {"S": "x"}}).
rapidjson::Value JsonAttributeValue(const AttributeValue& v, Allocator& alloc);
rapidjson::Value JsonItem(const Item& item, Allocator& alloc);

}  // namespace ddb::partiql
