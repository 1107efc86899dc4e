// The legacy (pre-expression) request parameters, translated into the AST of
// expression.h so that one evaluator serves both. Inputs are the raw JSON of
// the parameter as the client sent it.
#pragma once

#include <rapidjson/document.h>

#include <vector>

#include "ddb/expr/expression.h"

namespace ddb::expr {

// Expected (+ ConditionalOperator, may be null): Value / Exists /
// ComparisonOperator + AttributeValueList. Errors as DynamoDB words them.
Result<Condition> TranslateExpected(const rapidjson::Value& expected,
                                    const rapidjson::Value* conditional_operator);

// QueryFilter / ScanFilter (+ ConditionalOperator): ComparisonOperator +
// AttributeValueList per attribute.
Result<Condition> TranslateFilter(const rapidjson::Value& filter,
                                  const rapidjson::Value* conditional_operator);

// KeyConditions: EQ on the hash key, EQ/LE/LT/GE/GT/BEGINS_WITH/BETWEEN on the
// sort key.
// Errors: "Conditions can be of length 1 or 2 only" for none or more than
// two entries, and each entry's operator and argument checks.
Result<KeyCondition> TranslateKeyConditions(const rapidjson::Value& key_conditions);

// KeyConditions for a GSI with a multi-attribute key: one condition per key
// attribute given (up to kMaxKeyConditionParts, 4 HASH + 4 RANGE), in the
// request's order, each with TranslateKeyConditions' checks; which
// attributes they name and with which operators is the caller's to check
// against the schema (as for ParseKeyConditionParts). Errors: as
// TranslateKeyConditions', the length rule with its message.
inline constexpr size_t kMaxKeyConditionParts = 8;
Result<std::vector<KeyCondition::Sort>> TranslateKeyConditionParts(
    const rapidjson::Value& key_conditions);

// AttributeUpdates: PUT / ADD / DELETE per attribute.
Result<Update> TranslateAttributeUpdates(const rapidjson::Value& attribute_updates);

// AttributesToGet: a list of top-level names.
Result<Projection> TranslateAttributesToGet(const rapidjson::Value& attributes_to_get);

}  // namespace ddb::expr
