#include "ddb/engine/item_common.h"

#include <cmath>

#include "ddb/engine/request_util.h"

namespace ddb {

// ---- Keys -----------------------------------------------------------------------------

namespace {

bool IsEmptyKeyValue(const AttributeValue& v) {
  return (v.type == AttrType::kS || v.type == AttrType::kB) && v.scalar.empty();
}

size_t KeyValueSize(const AttributeValue& v) { return AttributeValueSize(v); }

Status CheckKeySizes(const KeySchema& schema, const AttributeValue& hash,
                     const AttributeValue* range) {
  if (KeyValueSize(hash) > 2048) {
    return Validation(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
        "limit of2048 bytes");
  }
  if (range && KeyValueSize(*range) > 1024) {
    return Validation(
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
        "the size limit of 1024 bytes");
  }
  return Status::Ok();
}

// A secondary index's key values in a written item: 2048 bytes for a
// partition key, 1024 for a sort key, with DynamoDB's own message ("Size limit
// exceeded for Index Key <name> Actual Size: <n> bytes Max Size: 2048 bytes
// IndexName: <index>", seen from DynamoDB for partition keys; the sort key's is
// assumed to differ only in its Max Size). Checked after the table's own key, so
// an oversized table key reports the table key's message (a guess at the order).
// A GSI with multi-attribute keys has each of its attributes checked on its
// own, in KeySchema order (2048 bytes for every partition-key attribute, 1024
// for every sort-key attribute): no documented rule was found for these keys,
// so the per-value limits and the message naming one attribute are a guess.
Status CheckIndexKeySizes(const Item& item, const IndexInfo& idx, bool check_hash) {
  auto check = [&](const KeyAttr& attr, size_t max) -> Status {
    auto it = item.find(attr.name);
    if (it == item.end()) return Status::Ok();
    size_t size = KeyValueSize(it->second);
    if (size <= max) return Status::Ok();
    return Validation(
        "One or more parameter values were invalid: Size limit exceeded for Index Key " +
        attr.name + " Actual Size: " + std::to_string(size) +
        " bytes Max Size: " + std::to_string(max) + " bytes IndexName: " + idx.name);
  };
  if (check_hash) {
    for (const KeyAttr* a : idx.key.HashAttrs()) RETURN_IF_ERROR(check(*a, 2048));
  }
  for (const KeyAttr* a : idx.key.RangeAttrs()) RETURN_IF_ERROR(check(*a, 1024));
  return Status::Ok();
}

}  // namespace

Status CheckQueryPartitionValue(const KeyAttr& attr, const AttributeValue& v) {
  if (v.type != AttrType::kS || !v.scalar.empty()) return Status::Ok();
  return Validation(
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
      "contain an empty string value. Key: " +
      attr.name);
}

Result<PrimaryKey> KeyFromRequest(const KeySchema& schema, const rapidjson::Value* key_json) {
  ASSIGN_OR_RETURN(Item key, DecodeKey(key_json));
  return KeyFromItem(schema, key);
}

Result<Item> DecodeKey(const rapidjson::Value* key_json) {
  if (!key_json || !key_json->IsObject()) {
    return Validation("The provided key element does not match the schema");
  }
  return DecodeItem(*key_json);
}

Result<PrimaryKey> KeyFromItem(const KeySchema& schema, const Item& key) {
  static const char* kMismatch = "The provided key element does not match the schema";
  size_t want = schema.range ? 2 : 1;
  if (key.size() != want) return Validation(kMismatch);
  PrimaryKey pk;
  auto take = [&](const KeyAttr& attr, AttributeValue* out) -> Status {
    auto it = key.find(attr.name);
    if (it == key.end() || it->second.type != attr.type) return Validation(kMismatch);
    if (IsEmptyKeyValue(it->second)) {
      return Validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty " +
          std::string(attr.type == AttrType::kS ? "string" : "binary") +
          " value. Key: " + attr.name);
    }
    *out = it->second;
    return Status::Ok();
  };
  RETURN_IF_ERROR(take(schema.hash, &pk.hash));
  if (schema.range) {
    pk.range.emplace();
    RETURN_IF_ERROR(take(*schema.range, &*pk.range));
  }
  RETURN_IF_ERROR(CheckKeySizes(schema, pk.hash, pk.range ? &*pk.range : nullptr));
  return pk;
}

Status ValidateItemKeys(const TableInfo& table, const Item& item) {
  if (!item.empty() && item.begin()->first.empty()) {
    // Names sort first when empty: one look suffices.
    return Validation(
        "One or more parameter values were invalid: An attribute name in the item is empty; "
        "attribute names must be at least 1 character long");
  }
  auto check = [&](const KeyAttr& attr) -> Status {
    auto it = item.find(attr.name);
    if (it == item.end()) {
      return Validation("One or more parameter values were invalid: Missing the key " + attr.name +
                        " in the item");
    }
    if (it->second.type != attr.type) {
      return Validation("One or more parameter values were invalid: Type mismatch for key " +
                        attr.name + " expected: " + std::string(AttrTypeName(attr.type)) +
                        " actual: " + std::string(AttrTypeName(it->second.type)));
    }
    if (IsEmptyKeyValue(it->second)) {
      return Validation(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty " +
          std::string(attr.type == AttrType::kS ? "string" : "binary") +
          " value. Key: " + attr.name);
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(check(table.key.hash));
  if (table.key.range) RETURN_IF_ERROR(check(*table.key.range));
  // Index key attributes present in the item must have the index's type.
  auto check_index = [&](const IndexInfo& idx) -> Status {
    for (const KeyAttr* a : idx.key.AllAttrs()) {
      auto it = item.find(a->name);
      if (it == item.end()) continue;
      if (it->second.type != a->type) {
        return Validation(
            "One or more parameter values were invalid: Type mismatch for Index Key " + a->name +
            " Expected: " + std::string(AttrTypeName(a->type)) +
            " Actual: " + std::string(AttrTypeName(it->second.type)) + " IndexName: " + idx.name);
      }
      if (IsEmptyKeyValue(it->second)) {
        return Validation(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an empty "
            "string value. IndexName: " +
            idx.name + ", IndexKey: " + a->name);
      }
    }
    return Status::Ok();
  };
  for (auto& g : table.gsis) RETURN_IF_ERROR(check_index(g));
  for (auto& l : table.lsis) RETURN_IF_ERROR(check_index(l));
  const AttributeValue& hash = item.find(table.key.hash.name)->second;
  const AttributeValue* range =
      table.key.range ? &item.find(table.key.range->name)->second : nullptr;
  RETURN_IF_ERROR(CheckKeySizes(table.key, hash, range));
  for (auto& g : table.gsis) RETURN_IF_ERROR(CheckIndexKeySizes(item, g, /*check_hash=*/true));
  // An LSI's partition key is the table's, checked above.
  for (auto& l : table.lsis) RETURN_IF_ERROR(CheckIndexKeySizes(item, l, /*check_hash=*/false));
  return Status::Ok();
}

Item KeyAttributes(const KeySchema& schema, const PrimaryKey& key) {
  Item out;
  out.emplace(schema.hash.name, key.hash);
  if (schema.range && key.range) out.emplace(schema.range->name, *key.range);
  return out;
}

// ---- Item size ------------------------------------------------------------------

Status CheckUpdatedItemSize(size_t size) {
  // The API Reference lists the message among TransactWriteItems'
  // ValidationError cancellation reasons.
  if (size > kMaxItemSize) {
    return Validation("Item size to update has exceeded the maximum allowed size");
  }
  return Status::Ok();
}

// ---- Expression inputs ---------------------------------------------------------

Result<std::unique_ptr<ExprInputs>> ReadExprInputs(const rapidjson::Value& req) {
  auto in = std::make_unique<ExprInputs>();
  if (const auto* names = Member(req, "ExpressionAttributeNames")) {
    if (!names->IsObject()) return Serialization("Unexpected value type in payload");
    if (names->MemberCount() == 0) return Validation("ExpressionAttributeNames must not be empty");
    for (auto& m : names->GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key.size() < 2 || key[0] != '#') {
        return Validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" +
                          key + "\"");
      }
      if (!m.value.IsString()) return Serialization("Unexpected value type in payload");
      std::string value(m.value.GetString(), m.value.GetStringLength());
      if (value.empty()) {
        return Validation(
            "ExpressionAttributeNames contains invalid value: Empty attribute name "
            "for key " +
            key);
      }
      if (value.size() > kMaxAttributeNameBytes) return Validation(AttributeNameTooLargeMessage());
      in->names.emplace(std::move(key), std::move(value));
    }
    in->has_names = true;
    in->ctx.names = &in->names;
  }
  if (const auto* values = Member(req, "ExpressionAttributeValues")) {
    if (!values->IsObject()) return Serialization("Unexpected value type in payload");
    if (values->MemberCount() == 0) {
      return Validation("ExpressionAttributeValues must not be empty");
    }
    for (auto& m : values->GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key.size() < 2 || key[0] != ':') {
        return Validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" +
                          key + "\"");
      }
      ASSIGN_OR_RETURN(AttributeValue v, DecodeExpressionAttributeValue(m.value, key));
      in->values.emplace(std::move(key), std::move(v));
    }
    in->has_values = true;
    in->ctx.values = &in->values;
  }
  return in;
}

Status CheckPlaceholdersWithoutExpressions(const ExprInputs& in, bool any_expression,
                                           std::string_view null_expressions_message) {
  if (any_expression) return Status::Ok();
  if (in.has_names) {
    return Validation("ExpressionAttributeNames can only be specified when using expressions" +
                      std::string(null_expressions_message.empty() ? "" : ": ") +
                      std::string(null_expressions_message));
  }
  if (in.has_values) {
    return Validation("ExpressionAttributeValues can only be specified when using expressions" +
                      std::string(null_expressions_message.empty() ? "" : ": ") +
                      std::string(null_expressions_message));
  }
  return Status::Ok();
}

Status CheckNoMixedParameters(const rapidjson::Value& req,
                              std::initializer_list<std::string_view> legacy,
                              std::initializer_list<std::string_view> modern) {
  std::string l, m;
  for (auto p : legacy) {
    if (Member(req, p)) l += (l.empty() ? "" : ", ") + std::string(p);
  }
  for (auto p : modern) {
    if (Member(req, p)) m += (m.empty() ? "" : ", ") + std::string(p);
  }
  if (!l.empty() && !m.empty()) {
    return Validation(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {" +
        l + "} Expression parameters: {" + m + "}");
  }
  return Status::Ok();
}

// ---- Capacity --------------------------------------------------------------------

Result<CapacityMode> ReadCapacityMode(const rapidjson::Value& req) {
  ASSIGN_OR_RETURN(auto v, OptString(req, "ReturnConsumedCapacity"));
  if (!v || *v == "NONE") return CapacityMode::kNone;
  if (*v == "TOTAL") return CapacityMode::kTotal;
  if (*v == "INDEXES") return CapacityMode::kIndexes;
  return Validation("1 validation error detected: Value '" + *v +
                    "' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
                    "satisfy enum value set: [INDEXES, TOTAL, NONE]");
}

double ReadUnits(size_t bytes, bool consistent) {
  double units = std::max<double>(1, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

double WriteUnits(size_t bytes) {
  return std::max<double>(1, std::ceil(static_cast<double>(bytes) / 1024.0));
}

Result<ReturnValues> ReadReturnValues(const rapidjson::Value& req, bool update_item) {
  ASSIGN_OR_RETURN(auto v, OptString(req, "ReturnValues"));
  if (!v || *v == "NONE") return ReturnValues::kNone;
  ReturnValues rv;
  if (*v == "ALL_OLD") {
    rv = ReturnValues::kAllOld;
  } else if (*v == "UPDATED_OLD") {
    rv = ReturnValues::kUpdatedOld;
  } else if (*v == "ALL_NEW") {
    rv = ReturnValues::kAllNew;
  } else if (*v == "UPDATED_NEW") {
    rv = ReturnValues::kUpdatedNew;
  } else {
    return Validation("1 validation error detected: Value '" + *v +
                      "' at 'returnValues' failed to satisfy constraint: Member must satisfy "
                      "enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
  }
  if (!update_item && rv != ReturnValues::kAllOld) {
    return Validation("ReturnValues can only be ALL_OLD or NONE");
  }
  return rv;
}

Result<bool> ReadReturnOldOnConditionFailure(const rapidjson::Value& req) {
  ASSIGN_OR_RETURN(auto v, OptString(req, "ReturnValuesOnConditionCheckFailure"));
  if (!v || *v == "NONE") return false;
  if (*v == "ALL_OLD") return true;
  return Validation("1 validation error detected: Value '" + *v +
                    "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: "
                    "Member must satisfy enum value set: [ALL_OLD, NONE]");
}

Error ConditionFailed(bool return_old, const Item* old_item) {
  Error e = ConditionalCheckFailed();
  if (return_old && old_item && !old_item->empty()) {
    e.extra_json = "\"Item\":" + ItemToJson(*old_item);
  }
  return e;
}

}  // namespace ddb
