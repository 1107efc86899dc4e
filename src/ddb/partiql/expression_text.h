// Renders parts of a PartiQL statement as DynamoDB expression text (the
// language of ConditionExpression, FilterExpression, UpdateExpression,
// ProjectionExpression), with every name and value behind a generated
// placeholder (#n0, :v0, ...), so that the engine's own expression parser
// and evaluator give PartiQL exactly the JSON API's semantics.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/partiql/statement.h"

namespace ddb::partiql {

// ValidationException for a construct DynamoDB's PartiQL rejects or this
// engine does not translate: "Unsupported operation: <what>". The wording
// is this engine's (DynamoDB's documentation does not give it).
Error Unsupported(std::string_view what);

class ExpressionBuilder {
 public:
  // The placeholder of a name / value (one per distinct name; one per value).
  std::string Name(const std::string& name);
  std::string Value(const AttributeValue& value);
  // a.b[0] -> #n0.#n1[0]
  std::string PathText(const expr::Path& path);

  // A WHERE condition (comparisons, BETWEEN, IN, AND/OR/NOT, IS [NOT]
  // MISSING, begins_with, contains, attribute_type, attribute_exists,
  // attribute_not_exists). Unsupported constructs: Unsupported(...).
  // Text without enclosing parentheses: the expression parser refuses
  // doubled ones ("redundant parentheses"), so the caller adds them where
  // precedence needs them (Conjunct, NOT).
  Result<std::string> Condition(const Expr& e);
  // Condition(e), in parentheses when `e` is an AND or OR: an operand of
  // AND / OR.
  Result<std::string> Conjunct(const Expr& e);
  // An operand of a comparison: a path, a value or size(path).
  Result<std::string> Operand(const Expr& e);
  // The value of SET: an operand, a + b, a - b, list_append(a, b),
  // if_not_exists(path, v).
  Result<std::string> SetValue(const Expr& e);

  bool empty() const { return names_.empty() && values_.empty(); }
  // Adds ExpressionAttributeNames / ExpressionAttributeValues (those that are
  // not empty) to `body`, an object.
  void AddTo(rapidjson::Document& body) const;

 private:
  std::map<std::string, std::string> names_;  // name -> placeholder
  std::vector<AttributeValue> values_;        // :v<i>
};

}  // namespace ddb::partiql
