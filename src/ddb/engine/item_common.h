// Pieces shared by the item operations (Get/Put/Update/Delete, Query, Scan):
// key validation, expression inputs, ReturnConsumedCapacity arithmetic,
// ReturnValues. (How items and keys are stored: format/stored_item.h,
// format/item_key.h.)
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "ddb/expr/expression.h"
#include "ddb/format/catalog.h"
#include "ddb/format/item_key.h"
#include "ddb/format/stored_item.h"
#include "ddb/model/json_codec.h"

namespace ddb {

// ---- Keys -----------------------------------------------------------------------------
// Validates a Key parameter (exactly the schema's attributes with the
// schema's types, no empty strings/binaries) and returns it.
// `param` is "Key" or "ExclusiveStartKey" (changes the message prefix).
Result<PrimaryKey> KeyFromRequest(const KeySchema& schema, const rapidjson::Value* key_json);
// The two halves of KeyFromRequest: decoding the Key's attribute values
// (needs no table: DynamoDB checks them before the table exists), then
// matching them to the schema. A missing or non-object `key_json` is the
// schema mismatch.
Result<Item> DecodeKey(const rapidjson::Value* key_json);
Result<PrimaryKey> KeyFromItem(const KeySchema& schema, const Item& key);
// Same checks on an item decoded from PutItem's Item: "Missing the key pk in
// the item", type mismatches, empty values, key size limits (the table's key
// 2048/1024 bytes, then each secondary index's key 2048/1024 bytes, every
// attribute of a GSI's multi-attribute key on its own).
Status ValidateItemKeys(const TableInfo& table, const Item& item);
// A Query's partition-key value (already of the key's type): an empty string
// is DynamoDB's ValidationException "... cannot contain an empty string value.
// Key: <name>" (as public emulators checked against AWS record it); an empty
// binary is not refused and simply matches nothing.
Status CheckQueryPartitionValue(const KeyAttr& attr, const AttributeValue& v);
// The key attributes of `key` as an Item (the item an UpdateItem creates
// starts from them).
Item KeyAttributes(const KeySchema& schema, const PrimaryKey& key);

// ---- Item size ------------------------------------------------------------------
// DynamoDB's limit on an item's size (ItemSize), 400 KB: a PutItem's item, a
// BatchWriteItem's or a transaction's Put, an imported item, an updated item.
inline constexpr size_t kMaxItemSize = 400 * 1024;

// Checks the item an UpdateItem (or a transaction's Update) would write
// against DynamoDB's 400 KB limit: ValidationException "Item size to update
// has exceeded the maximum allowed size", the update's wording (PutItem's is
// "Item size has exceeded the maximum allowed size").
Status CheckUpdatedItemSize(size_t size);

// ---- Expression inputs ---------------------------------------------------------
// ExpressionAttributeNames / ExpressionAttributeValues of a request, with the
// ExpressionContext pointing at them. Not movable once made (the context
// holds pointers into it).
struct ExprInputs {
  std::map<std::string, std::string> names;
  Item values;
  bool has_names = false;
  bool has_values = false;
  expr::ExpressionContext ctx;
  ExprInputs() = default;
  ExprInputs(const ExprInputs&) = delete;
  ExprInputs& operator=(const ExprInputs&) = delete;
};
// Reads and validates both maps ("ExpressionAttributeValues must not be
// empty", value decoding errors, name syntax).
Result<std::unique_ptr<ExprInputs>> ReadExprInputs(const rapidjson::Value& req);

// Rejects ExpressionAttributeNames/Values when the request has no expression
// that could use them. `expression_params` lists the request's expression
// parameter names for the message ("ConditionExpression", ...).
Status CheckPlaceholdersWithoutExpressions(const ExprInputs& in, bool any_expression,
                                           std::string_view null_expressions_message);

// Rejects a request that mixes legacy and expression parameters:
// "Can not use both expression and non-expression parameters in the same
// request: Non-expression parameters: {Expected} Expression parameters:
// {ConditionExpression}".
Status CheckNoMixedParameters(const rapidjson::Value& req,
                              std::initializer_list<std::string_view> legacy,
                              std::initializer_list<std::string_view> modern);

// ---- Capacity --------------------------------------------------------------------
enum class CapacityMode { kNone, kTotal, kIndexes };
Result<CapacityMode> ReadCapacityMode(const rapidjson::Value& req);
// Read units for `bytes` read: 4 KB units (at least 1), halved when
// eventually consistent.
double ReadUnits(size_t bytes, bool consistent);
// Write units for an item of `bytes`: 1 KB units, at least 1.
double WriteUnits(size_t bytes);
// The ConsumedCapacity breakdown and its JSON: capacity.h.

// ReturnValues: NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW.
enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
// `allowed_message` is the op-specific error when a value is valid but not
// allowed (e.g. "ReturnValues can only be ALL_OLD or NONE").
Result<ReturnValues> ReadReturnValues(const rapidjson::Value& req, bool update_item);
// ReturnValuesOnConditionCheckFailure: true for ALL_OLD.
Result<bool> ReadReturnOldOnConditionFailure(const rapidjson::Value& req);

// ConditionalCheckFailedException, with the item when asked for.
Error ConditionFailed(bool return_old, const Item* old_item);

}  // namespace ddb
