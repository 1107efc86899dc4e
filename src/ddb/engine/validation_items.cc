#include "ddb/engine/validation_items.h"

#include <string>

#include "ddb/engine/request_util.h"
#include "ddb/engine/validation.h"

namespace ddb {
namespace {

using rapidjson::Value;

// The expression members every expression-taking request has: type only.
Status CheckExpressionMaps(const Value& req, Constraints& c) {
  RETURN_IF_ERROR(CheckMapMember(req, "ExpressionAttributeValues", "", false, c));
  return CheckMapMember(req, "ExpressionAttributeNames", "", false, c);
}

// A structure member inside a request (Put, Get, KeysAndAttributes, ...):
// absent -> null, present -> an object, else a SerializationException with
// the deserializer's words for `shape`.
Result<const Value*> OptStructure(const Value& obj, std::string_view name, std::string_view shape) {
  const Value* v = Member(obj, name);
  if (!v || v->IsObject()) return v;
  if (v->IsArray()) {
    return Serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
                         std::string(shape));
  }
  return Serialization("Unexpected field type");
}

// A list element that must be a structure (JSON null reads as absent).
Status CheckListElement(const Value& v, std::string_view shape) {
  if (v.IsObject() || v.IsNull()) return Status::Ok();
  if (v.IsArray()) {
    return Serialization("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
                         std::string(shape));
  }
  return Serialization("Unexpected value type in payload");
}

// DynamoDB renders a map value in these messages with Java's toString; the
// exact text of nested structures cannot be reproduced, so a map is shown
// as {name=...} (a guess at the shape; clients match the rest).
std::string MapShown(const Value& map) {
  std::string s = "{";
  bool first = true;
  for (auto& m : map.GetObject()) {
    s += (first ? "" : ", ") + std::string(m.name.GetString(), m.name.GetStringLength());
    s += m.value.IsArray() && m.value.Empty() ? "=[]" : "=...";
    first = false;
  }
  return s + "}";
}

// The table names of RequestItems: one constraint entry for the whole map
// when any name breaks the name rules.
void CheckTableNameKeys(const Value& map, Constraints& c) {
  for (auto& m : map.GetObject()) {
    Constraints probe;
    CheckName(probe, std::string(m.name.GetString(), m.name.GetStringLength()), "");
    if (!probe.empty()) {
      c.Fail(Quote(MapShown(map)), "requestItems",
             "Map keys must satisfy constraint: [Member must have length less than or equal to "
             "255, Member must have length greater than or equal to 3, Member must satisfy "
             "regular expression pattern: [a-zA-Z0-9_.-]+]");
      return;
    }
  }
}

// A list of at least `min` and at most `max` elements; `shown` renders it.
void CheckListLength(const Value& list, const std::string& shown, const std::string& path,
                     size_t min, size_t max, Constraints& c) {
  if (list.Size() < min) {
    c.Fail(Quote(shown), path,
           "Member must have length greater than or equal to " + std::to_string(min));
  } else if (list.Size() > max) {
    c.Fail(Quote(shown), path,
           "Member must have length less than or equal to " + std::to_string(max));
  }
}

}  // namespace

Status ValidateGetItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckNameListMember(req, "AttributesToGet", "attributesToGet", c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckMapMember(req, "Key", "key", true, c));
  RETURN_IF_ERROR(CheckBoolMember(req, "ConsistentRead"));
  RETURN_IF_ERROR(CheckStringMember(req, "ProjectionExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  return c.ToStatus();
}

Status ValidatePutItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckMapMember(req, "Item", "item", true, c));
  RETURN_IF_ERROR(CheckConditionalOperator(req, c));
  RETURN_IF_ERROR(CheckConditionMap(req, "Expected", "expected", false, c));
  RETURN_IF_ERROR(CheckReturnValues(req, c));
  RETURN_IF_ERROR(CheckReturnItemCollectionMetrics(req, c));
  RETURN_IF_ERROR(CheckStringMember(req, "ConditionExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  RETURN_IF_ERROR(
      CheckReturnValuesOnConditionCheckFailure(req, "returnValuesOnConditionCheckFailure", c));
  return c.ToStatus();
}

Status ValidateUpdateItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckReturnItemCollectionMetrics(req, c));
  RETURN_IF_ERROR(CheckReturnValues(req, c));
  RETURN_IF_ERROR(CheckMapMember(req, "Key", "key", true, c));
  RETURN_IF_ERROR(CheckConditionalOperator(req, c));
  RETURN_IF_ERROR(CheckConditionMap(req, "Expected", "expected", false, c));
  RETURN_IF_ERROR(CheckMapMember(req, "AttributeUpdates", "attributeUpdates", false, c));
  RETURN_IF_ERROR(CheckStringMember(req, "ConditionExpression"));
  RETURN_IF_ERROR(CheckStringMember(req, "UpdateExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  RETURN_IF_ERROR(
      CheckReturnValuesOnConditionCheckFailure(req, "returnValuesOnConditionCheckFailure", c));
  return c.ToStatus();
}

Status ValidateDeleteItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckReturnValues(req, c));
  RETURN_IF_ERROR(CheckReturnItemCollectionMetrics(req, c));
  RETURN_IF_ERROR(CheckMapMember(req, "Key", "key", true, c));
  RETURN_IF_ERROR(CheckConditionalOperator(req, c));
  RETURN_IF_ERROR(CheckConditionMap(req, "Expected", "expected", false, c));
  RETURN_IF_ERROR(CheckStringMember(req, "ConditionExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  RETURN_IF_ERROR(
      CheckReturnValuesOnConditionCheckFailure(req, "returnValuesOnConditionCheckFailure", c));
  return c.ToStatus();
}

Status ValidateQueryMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckIntMember(req, "Limit", "limit", 1, 0, c));
  RETURN_IF_ERROR(CheckMapMember(req, "ExclusiveStartKey", "", false, c));
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckNameListMember(req, "AttributesToGet", "attributesToGet", c));
  RETURN_IF_ERROR(CheckConditionMap(req, "QueryFilter", "queryFilter", true, c));
  RETURN_IF_ERROR(CheckEnumMember(
      req, "Select", "select",
      {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"}, kSelectSet,
      c));
  RETURN_IF_ERROR(CheckConditionalOperator(req, c));
  RETURN_IF_ERROR(CheckConditionMap(req, "KeyConditions", "keyConditions", true, c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckBoolMember(req, "ConsistentRead"));
  RETURN_IF_ERROR(CheckIndexNameMember(req, "indexName", c));
  RETURN_IF_ERROR(CheckBoolMember(req, "ScanIndexForward"));
  RETURN_IF_ERROR(CheckStringMember(req, "KeyConditionExpression"));
  RETURN_IF_ERROR(CheckStringMember(req, "FilterExpression"));
  RETURN_IF_ERROR(CheckStringMember(req, "ProjectionExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  return c.ToStatus();
}

Status ValidateScanMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckIntMember(req, "Limit", "limit", 1, 0, c));
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckNameListMember(req, "AttributesToGet", "attributesToGet", c));
  RETURN_IF_ERROR(CheckIntMember(req, "Segment", "segment", 0, 999999, c));
  RETURN_IF_ERROR(CheckEnumMember(
      req, "Select", "select",
      {"ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"}, kSelectSet,
      c));
  RETURN_IF_ERROR(CheckConditionMap(req, "ScanFilter", "scanFilter", true, c));
  RETURN_IF_ERROR(CheckConditionalOperator(req, c));
  RETURN_IF_ERROR(CheckIntMember(req, "TotalSegments", "totalSegments", 1, 1000000, c));
  RETURN_IF_ERROR(CheckTableNameMember(req, "tableName", c));
  RETURN_IF_ERROR(CheckMapMember(req, "ExclusiveStartKey", "", false, c));
  RETURN_IF_ERROR(CheckIndexNameMember(req, "indexName", c));
  RETURN_IF_ERROR(CheckStringMember(req, "FilterExpression"));
  RETURN_IF_ERROR(CheckStringMember(req, "ProjectionExpression"));
  RETURN_IF_ERROR(CheckExpressionMaps(req, c));
  RETURN_IF_ERROR(CheckBoolMember(req, "ConsistentRead"));
  return c.ToStatus();
}

namespace {

// A batch's RequestItems map (table name -> `value_type`, at most
// `max_tables`): its shape's errors, its length and table names into `c`.
// The map; null when absent (recorded in `c`).
Result<const Value*> CheckRequestItems(const Value& req, std::string_view value_type,
                                       size_t max_tables, Constraints& c) {
  const Value* items = Member(req, "RequestItems");
  if (!items) {
    c.Null("requestItems");
    return items;
  }
  if (items->IsArray()) {
    return Serialization("Unrecognized collection type java.util.Map<java.lang.String, " +
                         std::string(value_type) + ">");
  }
  if (!items->IsObject()) return Serialization("Unexpected field type");
  if (items->MemberCount() == 0) {
    c.Fail("'{}'", "requestItems", "Member must have length greater than or equal to 1");
  } else if (items->MemberCount() > max_tables) {
    c.Fail(Quote(MapShown(*items)), "requestItems",
           "Member must have length less than or equal to " + std::to_string(max_tables));
  }
  CheckTableNameKeys(*items, c);
  return items;
}

}  // namespace

Status ValidateBatchGetItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  ASSIGN_OR_RETURN(
      const Value* items,
      CheckRequestItems(req, "com.amazonaws.dynamodb.v20120810.KeysAndAttributes", 100, c));
  if (!items) return c.ToStatus();
  for (auto& m : items->GetObject()) {
    RETURN_IF_ERROR(CheckListElement(m.value, "KeysAndAttributes"));
    std::string path =
        "requestItems." + std::string(m.name.GetString(), m.name.GetStringLength()) + ".member";
    static const Value kEmpty(rapidjson::kObjectType);
    const Value& body = m.value.IsObject() ? m.value : kEmpty;
    ASSIGN_OR_RETURN(const Value* keys, OptList(body, "Keys"));
    if (!keys) {
      c.Null(path + ".keys");
    } else {
      for (const auto& k : keys->GetArray()) {
        if (!k.IsObject() && !k.IsNull()) return Serialization("Unexpected field type");
      }
      CheckListLength(*keys, keys->Empty() ? "[]" : "[...]", path + ".keys", 1, 100, c);
    }
    RETURN_IF_ERROR(CheckNameListMember(body, "AttributesToGet", path + ".attributesToGet", c));
    RETURN_IF_ERROR(CheckBoolMember(body, "ConsistentRead"));
    RETURN_IF_ERROR(CheckStringMember(body, "ProjectionExpression"));
    RETURN_IF_ERROR(CheckMapMember(body, "ExpressionAttributeNames", "", false, c));
  }
  return c.ToStatus();
}

Status ValidateBatchWriteItemMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckReturnItemCollectionMetrics(req, c));
  ASSIGN_OR_RETURN(
      const Value* items,
      CheckRequestItems(req, "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>", 25,
                        c));
  if (!items) return c.ToStatus();
  for (auto& m : items->GetObject()) {
    if (!m.value.IsArray() && !m.value.IsNull()) {
      if (m.value.IsObject()) {
        return Serialization("Start of structure or map found where not expected");
      }
      return Serialization("Unexpected field type");
    }
    // A null list counts as an empty one (a guess: DynamoDB's answer to
    // {"table": null} is not recorded).
    if (m.value.IsNull() || m.value.Empty() || m.value.Size() > 25) {
      c.Fail(Quote(MapShown(*items)), "requestItems",
             "Map value must satisfy constraint: [Member must have length less than or equal to "
             "25, Member must have length greater than or equal to 1]");
    }
  }
  for (auto& m : items->GetObject()) {
    if (m.value.IsNull()) continue;
    std::string path = "requestItems." + std::string(m.name.GetString(), m.name.GetStringLength());
    for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
      const Value& w = m.value[i];
      RETURN_IF_ERROR(CheckListElement(w, "WriteRequest"));
      if (!w.IsObject()) continue;
      std::string p = ElemPath(path + ".member", i);
      ASSIGN_OR_RETURN(const Value* del, OptStructure(w, "DeleteRequest", "DeleteRequest"));
      if (del) RETURN_IF_ERROR(CheckMapMember(*del, "Key", p + ".deleteRequest.key", true, c));
      ASSIGN_OR_RETURN(const Value* put, OptStructure(w, "PutRequest", "PutRequest"));
      if (put) RETURN_IF_ERROR(CheckMapMember(*put, "Item", p + ".putRequest.item", true, c));
    }
  }
  return c.ToStatus();
}

Status ValidateTransactGetItemsMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  ASSIGN_OR_RETURN(const Value* items, OptList(req, "TransactItems"));
  if (!items) {
    c.Null("transactItems");
    return c.ToStatus();
  }
  CheckListLength(*items, items->Empty() ? "[]" : "[...]", "transactItems", 1, 100, c);
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const Value& e = (*items)[i];
    RETURN_IF_ERROR(CheckListElement(e, "TransactGetItem"));
    std::string p = ElemPath("transactItems", i) + ".get";
    static const Value kEmpty(rapidjson::kObjectType);
    ASSIGN_OR_RETURN(const Value* get, OptStructure(e.IsObject() ? e : kEmpty, "Get", "Get"));
    if (!get) {
      c.Null(p);
      continue;
    }
    RETURN_IF_ERROR(CheckMapMember(*get, "Key", p + ".key", true, c));
    RETURN_IF_ERROR(CheckTableNameMember(*get, p + ".tableName", c));
    RETURN_IF_ERROR(CheckStringMember(*get, "ProjectionExpression"));
    RETURN_IF_ERROR(CheckMapMember(*get, "ExpressionAttributeNames", "", false, c));
  }
  return c.ToStatus();
}

Status ValidateTransactWriteItemsMembers(const Value& req) {
  Constraints c;
  RETURN_IF_ERROR(CheckReturnConsumedCapacity(req, c));
  RETURN_IF_ERROR(CheckReturnItemCollectionMetrics(req, c));
  ASSIGN_OR_RETURN(auto token, OptString(req, "ClientRequestToken"));
  if (token && token->empty()) {
    c.Fail(Quote(*token), "clientRequestToken",
           "Member must have length greater than or equal to 1");
  } else if (token && token->size() > 36) {
    c.Fail(Quote(*token), "clientRequestToken", "Member must have length less than or equal to 36");
  }
  ASSIGN_OR_RETURN(const Value* items, OptList(req, "TransactItems"));
  if (!items) {
    c.Null("transactItems");
    return c.ToStatus();
  }
  CheckListLength(*items, items->Empty() ? "[]" : "[...]", "transactItems", 1, 100, c);
  static const char* kKinds[] = {"ConditionCheck", "Put", "Delete", "Update"};
  static const char* kPaths[] = {"conditionCheck", "put", "delete", "update"};
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    const Value& e = (*items)[i];
    RETURN_IF_ERROR(CheckListElement(e, "TransactWriteItem"));
    if (!e.IsObject()) continue;
    for (int k = 0; k < 4; ++k) {
      ASSIGN_OR_RETURN(const Value* body, OptStructure(e, kKinds[k], kKinds[k]));
      if (!body) continue;
      std::string p = ElemPath("transactItems", i) + "." + kPaths[k];
      if (k == 1) {
        RETURN_IF_ERROR(CheckMapMember(*body, "Item", p + ".item", true, c));
      } else {
        RETURN_IF_ERROR(CheckMapMember(*body, "Key", p + ".key", true, c));
      }
      RETURN_IF_ERROR(CheckTableNameMember(*body, p + ".tableName", c));
      ASSIGN_OR_RETURN(auto cond, OptString(*body, "ConditionExpression"));
      if (k == 0 && !cond) c.Null(p + ".conditionExpression");
      if (k == 3) {
        ASSIGN_OR_RETURN(auto update, OptString(*body, "UpdateExpression"));
        if (!update) c.Null(p + ".updateExpression");
      }
      RETURN_IF_ERROR(CheckExpressionMaps(*body, c));
      RETURN_IF_ERROR(CheckReturnValuesOnConditionCheckFailure(
          *body, p + ".returnValuesOnConditionCheckFailure", c));
    }
  }
  return c.ToStatus();
}

}  // namespace ddb
