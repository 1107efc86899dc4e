// The legacy parameters, translated and then evaluated / applied.
#include "ddb/expr/legacy.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ddb/expr/ast.h"
#include "expr_test_util.h"

namespace ddb::expr {
namespace {

using testing::N;
using testing::S;

rapidjson::Document Json(const char* text) {
  rapidjson::Document d;
  d.Parse(text);
  EXPECT_FALSE(d.HasParseError()) << text;
  return d;
}

Item Sample() { return {{"a", S("abc")}, {"n", N("5")}, {"ss", AttributeValue::SS({"x", "y"})}}; }

bool Holds(const char* expected, const char* op = nullptr) {
  auto e = Json(expected);
  rapidjson::Document o;
  if (op) o.Parse(op);
  auto c = TranslateExpected(e, op ? &o : nullptr);
  EXPECT_TRUE(c.ok()) << expected << ": " << (c.ok() ? "" : c.error().message);
  return c.ok() && Evaluate(**c, Sample());
}

std::string ExpectedError(const char* expected) {
  auto e = Json(expected);
  auto c = TranslateExpected(e, nullptr);
  return c.ok() ? std::string() : c.error().message;
}

TEST(LegacyExpected, ValueAndExists) {
  EXPECT_TRUE(Holds(R"({"a": {"Value": {"S": "abc"}}})"));
  EXPECT_FALSE(Holds(R"({"a": {"Value": {"S": "x"}}})"));
  EXPECT_TRUE(Holds(R"({"a": {"Value": {"S": "abc"}, "Exists": true}})"));
  EXPECT_TRUE(Holds(R"({"zz": {"Exists": false}})"));
  EXPECT_FALSE(Holds(R"({"a": {"Exists": false}})"));
  EXPECT_TRUE(Holds(R"({})"));
}

TEST(LegacyExpected, ComparisonOperators) {
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "4"}]}})"));
  EXPECT_TRUE(Holds(R"({"zz": {"ComparisonOperator": "NE", "AttributeValueList": [{"N": "4"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "LE", "AttributeValueList": [{"N": "5"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "6"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "5"}]}})"));
  EXPECT_FALSE(Holds(R"({"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "NOT_NULL"}})"));
  EXPECT_TRUE(Holds(R"({"zz": {"ComparisonOperator": "NULL"}})"));
  EXPECT_TRUE(
      Holds(R"({"a": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "b"}]}})"));
  EXPECT_TRUE(
      Holds(R"({"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}})"));
  EXPECT_TRUE(Holds(
      R"({"a": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]}})"));
  EXPECT_FALSE(Holds(
      R"({"zz": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]}})"));
  EXPECT_TRUE(Holds(
      R"({"a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "ab"}]}})"));
  EXPECT_TRUE(Holds(
      R"({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}})"));
  EXPECT_TRUE(Holds(
      R"({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}})"));
  EXPECT_TRUE(Holds(R"({"n": {"ComparisonOperator": "EQ", "Value": {"N": "5"}}})"));
}

TEST(LegacyExpected, ConditionalOperator) {
  const char* two = R"({"n": {"Value": {"N": "5"}}, "a": {"Value": {"S": "no"}}})";
  EXPECT_FALSE(Holds(two));
  EXPECT_FALSE(Holds(two, R"("AND")"));
  EXPECT_TRUE(Holds(two, R"("OR")"));
}

TEST(LegacyExpected, Errors) {
  EXPECT_EQ(ExpectedError(R"({"a": {"ComparisonOperator": "EQ", "Exists": true}})"),
            "One or more parameter values were invalid: Exists and ComparisonOperator cannot be "
            "used together for Attribute: a");
  EXPECT_EQ(ExpectedError(R"({"a": {"Exists": true}})"),
            "One or more parameter values were invalid: Value must be provided when Exists is "
            "true for Attribute: a");
  EXPECT_EQ(ExpectedError(R"({"a": {}})"),
            "One or more parameter values were invalid: Value must be provided when Exists is "
            "null for Attribute: a");
  EXPECT_EQ(ExpectedError(R"({"a": {"Exists": false, "Value": {"S": "x"}}})"),
            "One or more parameter values were invalid: Value cannot be used when Exists is false "
            "for Attribute: a");
  EXPECT_EQ(ExpectedError(R"({"a": {"AttributeValueList": [{"S": "x"}]}})"),
            "One or more parameter values were invalid: AttributeValueList can only be used with "
            "a ComparisonOperator for Attribute: a");
  EXPECT_EQ(ExpectedError(R"({"a": {"ComparisonOperator": "EQ"}})"),
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
            "ComparisonOperator");
  EXPECT_EQ(ExpectedError(
                R"({"a": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["x"]}]}})"),
            "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS "
            "AttributeValue type");
}

TEST(LegacyFilter, TranslatesAndEvaluates) {
  auto f = Json(R"({"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]},
                    "a": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "a"}]}})");
  auto c = TranslateFilter(f, nullptr);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(Evaluate(**c, Sample()));
  auto bad =
      Json(R"({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}})");
  auto e = TranslateFilter(bad, nullptr);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "The attempted filter operation is not supported for the provided filter argument "
            "count");
}

TEST(LegacyKeyConditions, Translates) {
  auto k = Json(
      R"({"sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "2"}]},
                    "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "h"}]}})");
  auto kc = TranslateKeyConditions(k);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->hash_name, "pk");
  EXPECT_EQ(kc->hash_value, S("h"));
  ASSERT_TRUE(kc->sort.has_value());
  EXPECT_EQ(kc->sort->op, SortOp::kBetween);
  EXPECT_EQ(kc->sort->v2, N("2"));
  auto bad =
      Json(R"({"pk": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "h"}]}})");
  auto e = TranslateKeyConditions(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "Attempted conditional constraint is not an indexable operation");
  auto three = Json(R"({"a": {"ComparisonOperator": "NULL"}, "b": {"ComparisonOperator": "NULL"},
                        "c": {"ComparisonOperator": "NULL"}})");
  EXPECT_EQ(TranslateKeyConditions(three).error().message,
            "Conditions can be of length 1 or 2 only");
}

TEST(LegacyKeyConditions, PartsForMultiAttributeKeys) {
  auto k = Json(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
                    "b": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "y"}]},
                    "c": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "z"}]}})");
  auto parts = TranslateKeyConditionParts(k);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "a");
  EXPECT_EQ((*parts)[1].v1, S("y"));
  EXPECT_EQ((*parts)[2].op, SortOp::kBeginsWith);
  // Each entry keeps its checks.
  auto bad = Json(R"({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]},
                      "b": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "y"}]},
                      "c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "z"}]}})");
  EXPECT_EQ(TranslateKeyConditionParts(bad).error().message,
            "Attempted conditional constraint is not an indexable operation");
  // None, or more than 8 (4 HASH + 4 RANGE): the length rule.
  EXPECT_EQ(TranslateKeyConditionParts(Json("{}")).error().message,
            "Conditions can be of length 1 or 2 only");
  std::string nine = "{";
  for (int i = 0; i < 9; ++i) {
    nine += std::string(i ? "," : "") + "\"k" + std::to_string(i) +
            R"(": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]})";
  }
  nine += "}";
  EXPECT_EQ(TranslateKeyConditionParts(Json(nine.c_str())).error().message,
            "Conditions can be of length 1 or 2 only");
}

TEST(LegacyAttributeUpdates, Apply) {
  auto u = Json(R"({"a": {"Action": "PUT", "Value": {"S": "new"}},
                    "n": {"Action": "ADD", "Value": {"N": "2"}},
                    "ss": {"Action": "DELETE", "Value": {"SS": ["x"]}},
                    "c": {"Action": "ADD", "Value": {"NS": ["1"]}},
                    "gone": {"Action": "DELETE"},
                    "p": {"Value": {"N": "1"}}})");
  auto plan = TranslateAttributeUpdates(u);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  Item item = Sample();
  item["gone"] = S("bye");
  ASSERT_TRUE(ApplyUpdate(**plan, item).ok());
  EXPECT_EQ(item["a"], S("new"));
  EXPECT_EQ(item["n"], N("7"));
  EXPECT_EQ(item["ss"], AttributeValue::SS({"y"}));
  EXPECT_EQ(item["c"], AttributeValue::NS({"1"}));
  EXPECT_EQ(item["p"], N("1"));
  EXPECT_EQ(item.count("gone"), 0u);
  EXPECT_EQ(UpdatedPaths(**plan).size(), 6u);

  auto mismatch = Json(R"({"a": {"Action": "ADD", "Value": {"N": "1"}}})");
  auto m = TranslateAttributeUpdates(mismatch);
  ASSERT_TRUE(m.ok());
  Item again = Sample();
  Status st = ApplyUpdate(**m, again);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "Type mismatch for attribute to update");
  auto bad = Json(R"({"a": {"Action": "ADD", "Value": {"S": "x"}}})");
  EXPECT_FALSE(TranslateAttributeUpdates(bad).ok());
}

TEST(LegacyAttributeUpdates, OnlyDeletesCreateNoItem) {
  // API Reference, AttributeValueUpdate: with no item under the key, "DELETE -
  // Nothing happens; there is no attribute to delete".
  const Item key = {{"pk", S("k")}};
  auto deletes = Json(R"({"a": {"Action": "DELETE"},
                          "ss": {"Action": "DELETE", "Value": {"SS": ["x"]}}})");
  auto plan = TranslateAttributeUpdates(deletes);
  ASSERT_TRUE(plan.ok());
  auto r = UpdatedItem(plan->get(), nullptr, key);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // An empty AttributeUpdates creates the key's item, as a PUT does.
  auto empty = Json("{}");
  auto none = TranslateAttributeUpdates(empty);
  ASSERT_TRUE(none.ok());
  r = UpdatedItem(none->get(), nullptr, key);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value_or(Item{}), key);
}

TEST(LegacyAttributesToGet, Translates) {
  auto a = Json(R"(["a", "n"])");
  auto p = TranslateAttributesToGet(a);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Project(*p, Sample()), (Item{{"a", S("abc")}, {"n", N("5")}}));
  auto dup = Json(R"(["a", "a"])");
  EXPECT_EQ(TranslateAttributesToGet(dup).error().message,
            "One or more parameter values were invalid: Duplicate value in attribute name: a");
}

}  // namespace
}  // namespace ddb::expr
