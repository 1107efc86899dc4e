// DynamoDB JSON <-> AttributeValue / Item, with DynamoDB's validation.
//
// Wire form: {"S":"x"}, {"N":"1.5"}, {"B":"<base64>"}, {"BOOL":true},
// {"NULL":true}, {"M":{...}}, {"L":[...]}, {"SS":[...]}, {"NS":[...]},
// {"BS":[...]}.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/model/attribute_value.h"

namespace ddb {

// rapidjson's Writer, with a RawValue that copies the text in one memcpy.
// rapidjson's own copies it a character at a time through its transcoder:
// stored items go out as raw JSON, and that loop was 10% of the CPU of a
// 20-item Query.
class JsonWriter : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using Writer::Writer;
  bool RawValue(const Ch* json, size_t length, rapidjson::Type type) {
    Prefix(type);
    std::memcpy(os_->Push(length), json, length);
    return EndValue(true);
  }
};

// Decodes one AttributeValue. Errors are ValidationExceptions worded as
// DynamoDB words them, for example:
//  - "Supplied AttributeValue is empty, must contain exactly one of the
//    supported datatypes" ({}),
//  - "Supplied AttributeValue has more than one datatypes set, must contain
//    exactly one of the supported datatypes",
//  - "One or more parameter values were invalid: An string set  may not be
//    empty" / "An number set  may not be empty" / "Binary sets should not be
//    empty",
//  - "One or more parameter values were invalid: Input collection [a, a]
//    contains duplicates." (duplicate set members),
//  - "One or more parameter values were invalid: Null attribute value types
//    must have the value of true",
//  - the number errors of number.h; invalid base64 is a SerializationException.
// Nesting deeper than 32 levels: "Nesting Levels have exceeded supported
// limits: Number of nesting levels exceeds the maximum of 32".
Result<AttributeValue> DecodeAttributeValue(const rapidjson::Value& json);

// DecodeAttributeValue for the value of `key` in ExpressionAttributeValues.
// The same errors, except that DynamoDB words the ones that are elsewhere
// "One or more parameter values were invalid: <reason>" as
// "ExpressionAttributeValues contains invalid value: <reason> for key <key>".
Result<AttributeValue> DecodeExpressionAttributeValue(const rapidjson::Value& json,
                                                      std::string_view key);

// Decodes an attribute map {"name": {AttributeValue}, ...}.
Result<Item> DecodeItem(const rapidjson::Value& json);

// The longest attribute name DynamoDB accepts, in bytes (its documented "64
// KB", exclusive). Longer names in an item, a map value or
// ExpressionAttributeNames: ValidationException with
// AttributeNameTooLargeMessage().
inline constexpr size_t kMaxAttributeNameBytes = 65535;
std::string AttributeNameTooLargeMessage();

// Writes the DynamoDB JSON of a value / an item map to `w`.
void EncodeAttributeValue(const AttributeValue& v, JsonWriter& w);
void EncodeItem(const Item& item, JsonWriter& w);
// Convenience: the JSON text of an item.
std::string ItemToJson(const Item& item);

}  // namespace ddb
