// DynamoDB's constraint validation of a request's members (the second of its
// validation phases).
//
// DynamoDB checks a request in phases and answers with the first that fails:
//   1. JSON shape: a member of the wrong JSON type is a SerializationException;
//   2. constraints of every member (null, lengths, ranges, enums), ALL collected
//      into one "N validation errors detected: ..." message (at most ten);
//   3. request-level rules that need no table (expressions, placeholders,
//      mixed legacy/expression parameters, ...), one message each;
//   4. the table's existence (ResourceNotFoundException);
//   5. the rules that need the table's schema.
// `Constraints` collects phase 2; the `Check*` readers below type-check a
// member (phase 1: their Status is a SerializationException) and record its
// constraint violations in a `Constraints`. An operation runs all its readers
// first and then `Constraints::ToStatus()`, so a type error anywhere wins
// over every constraint violation. (Per-operation passes: item_validation.h.)
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"

namespace ddb {

// Collects "Value <v> at '<path>' failed to satisfy constraint: <rule>"
// entries (at most ten, as DynamoDB reports).
class Constraints {
 public:
  // `value` is already rendered: "null" or "'text'".
  void Fail(const std::string& value, const std::string& path, std::string_view rule);
  void Null(const std::string& path) { Fail("null", path, "Member must not be null"); }
  bool empty() const { return errors_.empty(); }
  // OK if nothing failed, else the ValidationException listing every entry:
  // "1 validation error detected: ..." / "N validation errors detected: a; b".
  Status ToStatus() const;

 private:
  std::vector<std::string> errors_;
};

std::string Quote(std::string_view s);                         // 'text'
std::string ElemPath(const std::string& list_path, size_t i);  // <path>.<i+1>.member

// A table or index name: 3..255 characters of [a-zA-Z0-9_.-].
void CheckName(Constraints& c, const std::string& name, const std::string& path);
// Checks `v` (if present) against an enum; `shown` is DynamoDB's rendering of
// the set, e.g. "[PROVISIONED, PAY_PER_REQUEST]".
void CheckEnum(Constraints& c, const std::optional<std::string>& v, const std::string& path,
               std::initializer_list<std::string_view> allowed, std::string_view shown);

// ---- Member readers: phase 1 (returned) and phase 2 (recorded in `c`) ----
// `path` is the member's path in messages, e.g. "tableName" or
// "transactItems.1.member.put.tableName".

// A required TableName (a name or a table ARN): null, or the name rules.
Status CheckTableNameMember(const rapidjson::Value& obj, const std::string& path, Constraints& c);
// An optional IndexName: the name rules when present.
Status CheckIndexNameMember(const rapidjson::Value& obj, const std::string& path, Constraints& c);
// An optional string enum member.
Status CheckEnumMember(const rapidjson::Value& obj, std::string_view member,
                       const std::string& path, std::initializer_list<std::string_view> allowed,
                       std::string_view shown, Constraints& c);
// A map member (Key, Item, ExpressionAttributeValues, ...): a JSON object.
// `required` records "Member must not be null" when absent.
Status CheckMapMember(const rapidjson::Value& obj, std::string_view member, const std::string& path,
                      bool required, Constraints& c);
// An Integer member within [min, max] (max < min: no upper bound).
Status CheckIntMember(const rapidjson::Value& obj, std::string_view member, const std::string& path,
                      int64_t min, int64_t max, Constraints& c);
// A list of strings (AttributesToGet): at least one element.
Status CheckNameListMember(const rapidjson::Value& obj, std::string_view member,
                           const std::string& path, Constraints& c);
// Typed access to nested members, with DynamoDB's SerializationException
// wording on a type mismatch. Absent (or JSON null) members read as null.
// `shape` names the structure in messages, e.g. "ProvisionedThroughput".
Result<const rapidjson::Value*> OptStruct(const rapidjson::Value& obj, std::string_view name,
                                          std::string_view shape);
Result<const rapidjson::Value*> OptList(const rapidjson::Value& obj, std::string_view name);
// A string member with no constraint (an expression): type only.
Status CheckStringMember(const rapidjson::Value& obj, std::string_view member);
// A boolean member: type only.
Status CheckBoolMember(const rapidjson::Value& obj, std::string_view member);
// Legacy conditions (Expected, KeyConditions, QueryFilter, ScanFilter): a map
// of structures whose ComparisonOperator is an enum (`op_required`: also not
// null, as in KeyConditions and the filters).
Status CheckConditionMap(const rapidjson::Value& obj, std::string_view member,
                         const std::string& path, bool op_required, Constraints& c);

// The enum sets as DynamoDB renders them in its messages.
inline constexpr std::string_view kReturnConsumedCapacitySet = "[INDEXES, TOTAL, NONE]";
inline constexpr std::string_view kReturnValuesSet =
    "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
inline constexpr std::string_view kReturnItemCollectionMetricsSet = "[SIZE, NONE]";
inline constexpr std::string_view kConditionalOperatorSet = "[OR, AND]";
inline constexpr std::string_view kSelectSet =
    "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]";
inline constexpr std::string_view kReturnValuesOnConditionCheckFailureSet = "[ALL_OLD, NONE]";

// The common enum members, each with its set.
Status CheckReturnConsumedCapacity(const rapidjson::Value& obj, Constraints& c);
Status CheckReturnValues(const rapidjson::Value& obj, Constraints& c);
Status CheckReturnItemCollectionMetrics(const rapidjson::Value& obj, Constraints& c);
Status CheckConditionalOperator(const rapidjson::Value& obj, Constraints& c);
Status CheckReturnValuesOnConditionCheckFailure(const rapidjson::Value& obj,
                                                const std::string& path, Constraints& c);

}  // namespace ddb
