// Helpers shared by the expression tests: literal values and a request-like
// set of placeholders.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ddb/expr/expression.h"

namespace ddb::expr::testing {

inline AttributeValue S(std::string v) { return AttributeValue::S(std::move(v)); }
inline AttributeValue N(std::string v) { return AttributeValue::N(std::move(v)); }
inline AttributeValue B(std::string v) { return AttributeValue::B(std::move(v)); }
inline AttributeValue L(std::vector<AttributeValue> v) { return AttributeValue::L(std::move(v)); }
inline AttributeValue M(AttributeMap v) { return AttributeValue::M(std::move(v)); }

// Placeholders of one request, and shortcuts that parse with them.
struct Request {
  std::map<std::string, std::string> names;
  Item values;
  ExpressionContext ctx;

  Request() {
    ctx.names = &names;
    ctx.values = &values;
  }
  Request& Name(std::string k, std::string v) {
    names[std::move(k)] = std::move(v);
    return *this;
  }
  Request& Value(std::string k, AttributeValue v) {
    values[std::move(k)] = std::move(v);
    return *this;
  }
  Result<Condition> Cond(std::string_view text, std::string_view which = "ConditionExpression") {
    return ParseCondition(text, which, ctx);
  }
  // The error message of parsing `text` as a condition, or "" on success.
  std::string CondError(std::string_view text) {
    auto r = Cond(text);
    return r.ok() ? std::string() : r.error().message;
  }
  std::string UpdateError(std::string_view text) {
    auto r = ParseUpdate(text, ctx);
    return r.ok() ? std::string() : r.error().message;
  }
};

}  // namespace ddb::expr::testing
