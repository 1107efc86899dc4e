// The legacy (pre-expression) request parameters, translated into the AST of
// expression.h so that one evaluator serves both. Inputs are the raw JSON of
// the parameter as the client sent it.
#pragma once

#include <rapidjson/document.h>

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
Result<KeyCondition> TranslateKeyConditions(const rapidjson::Value& key_conditions);

// AttributeUpdates: PUT / ADD / DELETE per attribute.
Result<Update> TranslateAttributeUpdates(const rapidjson::Value& attribute_updates);

// AttributesToGet: a list of top-level names.
Result<Projection> TranslateAttributesToGet(const rapidjson::Value& attributes_to_get);

}  // namespace ddb::expr
