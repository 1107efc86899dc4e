// Amazon Ion text for DynamoDB values: what an export in ExportFormat ION
// writes (export_lines.h), per the Developer Guide ("DynamoDB table export
// output format", Amazon Ion):
//
//   S     -> string              "a\"b"
//   N     -> decimal             103.  6d2  1.5  0.001  1d-130   (never an int
//                                or a float: a decimal keeps every digit)
//   B     -> blob                {{AAE=}}
//   BOOL  -> bool                true
//   NULL  -> null                null
//   SS    -> annotated list      $dynamodb_SS::["x","y"]
//   NS    -> annotated list      $dynamodb_NS::[1.,2.5]
//   BS    -> annotated list      $dynamodb_BS::[{{AQ==}}]
//   L     -> list                [1.,"a"]
//   M     -> struct              {k:"v",'a b':1.}
//
// Numbers are written as Amazon's Ion library writes a BigDecimal with its
// trailing zeros stripped (the guide's example: 600 -> 6d2, 2000 -> 2d3,
// 103 -> 103.). Field names are bare symbols when they are identifiers
// ([A-Za-z_$][A-Za-z0-9_$]*, not a keyword or a symbol id like $10), else
// quoted symbols. Strings are UTF-8 (as the stored items are), with
// control characters, '"' and '\' escaped.
//
// Hand-written: Debian 12 packages no Ion library (ion-c is not packaged),
// and the subset needed here is small. ion_reader.h reads it back.
#pragma once

#include <string>
#include <string_view>

#include "ddb/model/attribute_value.h"

namespace ddb::ion {

// Appends the Ion text of `v`. Recursive over M and L: items hold at most 32
// levels (json_codec.h), so the depth is bounded by what the engine stores.
void AppendValue(const AttributeValue& v, std::string* out);
// Appends `item` as an Ion struct: {name:value,...} in name order.
void AppendStruct(const Item& item, std::string* out);
// Appends a field name (a bare or quoted symbol) followed by ':'.
void AppendFieldName(std::string_view name, std::string* out);
// Appends a string (UTF-8 in, "..." out).
void AppendString(std::string_view s, std::string* out);
// Appends a canonical DynamoDB number (number.h) as an Ion decimal.
void AppendDecimal(std::string_view canonical, std::string* out);
// Appends raw bytes as a blob {{base64}}.
void AppendBlob(std::string_view bytes, std::string* out);

// The version marker that begins every line of an Ion export.
inline constexpr std::string_view kVersionMarker = "$ion_1_0";

}  // namespace ddb::ion
