// Condition evaluation: every comparator and function, with type mismatches
// and absent attributes, as DynamoDB evaluates them.
#include <gtest/gtest.h>

#include "ddb/expr/ast.h"
#include "expr_test_util.h"

namespace ddb::expr {
namespace {

using testing::B;
using testing::L;
using testing::M;
using testing::N;
using testing::Request;
using testing::S;

class EvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    item_ = {
        {"s", S("hello")},
        {"n", N("5")},
        {"b", B(std::string("\x01\x02\x03", 3))},
        {"t", AttributeValue::Bool(true)},
        {"z", AttributeValue::Null()},
        {"ss", AttributeValue::SS({"a", "b"})},
        {"ns", AttributeValue::NS({"1", "2"})},
        {"bs", AttributeValue::BS({"\x01", "\x02"})},
        {"l", L({S("x"), N("1"), M({{"k", S("v")}})})},
        {"m", M({{"inr", M({{"deep", N("7")}})}, {"lst", L({N("1"), N("2")})}})},
        {"u", S("\xC3\xA9\xF0\x9D\x84\x9E")},  // "é𝄞": 3 UTF-16 code units
    };
    r_.Value(":s", S("hello"))
        .Value(":he", S("he"))
        .Value(":ll", S("ll"))
        .Value(":n5", N("5"))
        .Value(":n4", N("4"))
        .Value(":n6", N("6"))
        .Value(":n3", N("3"))
        .Value(":n2", N("2"))
        .Value(":b12", B(std::string("\x01\x02", 2)))
        .Value(":a", S("a"))
        .Value(":x", S("x"))
        .Value(":one", N("1"))
        .Value(":seven", N("7"))
        .Value(":S", S("S"))
        .Value(":NS", S("NS"))
        .Value(":Lt", S("L"))
        .Value(":mv", M({{"k", S("v")}}))
        .Value(":ssba", AttributeValue::SS({"b", "a"}));
  }
  bool Eval(const char* text) {
    auto c = r_.Cond(text);
    EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message);
    return c.ok() && Evaluate(**c, item_);
  }
  Item item_;
  Request r_;
};

TEST_F(EvaluatorTest, Comparisons) {
  EXPECT_TRUE(Eval("s = :s"));
  EXPECT_FALSE(Eval("s <> :s"));
  EXPECT_TRUE(Eval("n = :n5"));
  EXPECT_TRUE(Eval("n > :n4"));
  EXPECT_TRUE(Eval("n >= :n5"));
  EXPECT_TRUE(Eval("n < :n6"));
  EXPECT_TRUE(Eval("n <= :n5"));
  EXPECT_FALSE(Eval("n < :n5"));
  EXPECT_TRUE(Eval("s > :he"));
  EXPECT_TRUE(Eval("b > :b12"));
  EXPECT_TRUE(Eval(":n4 < n"));
  EXPECT_TRUE(Eval("ss = :ssba"));  // sets compare as sets
  EXPECT_TRUE(Eval("l[2] = :mv"));
  EXPECT_TRUE(Eval("m.inr.deep = :seven"));
  EXPECT_TRUE(Eval("m.lst[1] = :n2"));
}

TEST_F(EvaluatorTest, TypeMismatchesAreFalse) {
  EXPECT_FALSE(Eval("s = :n5"));
  EXPECT_TRUE(Eval("s <> :n5"));
  EXPECT_FALSE(Eval("s < :n5"));
  EXPECT_FALSE(Eval("s > :n5"));
  EXPECT_FALSE(Eval("n > :s"));
  EXPECT_FALSE(Eval("t > :s"));
}

TEST_F(EvaluatorTest, MissingAttributes) {
  EXPECT_FALSE(Eval("absent = :s"));
  EXPECT_TRUE(Eval("absent <> :s"));
  EXPECT_FALSE(Eval("absent < :s"));
  EXPECT_FALSE(Eval("absent BETWEEN :n3 AND :n6"));
  EXPECT_FALSE(Eval("absent IN (:s)"));
  EXPECT_FALSE(Eval("m.nope.deeper = :s"));
  EXPECT_FALSE(Eval("s.x = :s"));   // not a map
  EXPECT_FALSE(Eval("l[9] = :s"));  // past the end
  EXPECT_FALSE(Eval("m[0] = :s"));  // not a list
  Item empty;
  auto c = r_.Cond("attribute_not_exists(s)");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(Evaluate(**c, empty));
}

TEST_F(EvaluatorTest, BetweenAndIn) {
  EXPECT_TRUE(Eval("n BETWEEN :n4 AND :n6"));
  EXPECT_TRUE(Eval("n BETWEEN :n5 AND :n5"));
  EXPECT_FALSE(Eval("n BETWEEN :n2 AND :n4"));
  EXPECT_FALSE(Eval("s BETWEEN :n2 AND :n4"));
  EXPECT_TRUE(Eval("n IN (:n4, :n5)"));
  EXPECT_FALSE(Eval("n IN (:n4, :n6)"));
  EXPECT_FALSE(Eval("n IN (:s)"));
  EXPECT_TRUE(Eval("s IN (:n4, :s)"));
}

TEST_F(EvaluatorTest, Logic) {
  EXPECT_TRUE(Eval("s = :s AND n = :n5"));
  EXPECT_FALSE(Eval("s = :s AND n = :n4"));
  EXPECT_TRUE(Eval("s = :n5 OR n = :n5"));
  EXPECT_FALSE(Eval("NOT s = :s"));
  EXPECT_TRUE(Eval("NOT (s = :n5 OR n = :n4)"));
  EXPECT_TRUE(Eval("n = :n4 OR n = :n6 OR s = :s AND n = :n5"));
  EXPECT_FALSE(Eval("(n = :n4 OR s = :s) AND n = :n6"));
}

TEST_F(EvaluatorTest, ExistenceAndType) {
  EXPECT_TRUE(Eval("attribute_exists(s)"));
  EXPECT_TRUE(Eval("attribute_exists(m.inr.deep)"));
  EXPECT_TRUE(Eval("attribute_exists(z)"));  // NULL is a value
  EXPECT_FALSE(Eval("attribute_exists(nope)"));
  EXPECT_TRUE(Eval("attribute_not_exists(nope)"));
  EXPECT_FALSE(Eval("attribute_not_exists(l[0])"));
  EXPECT_TRUE(Eval("attribute_type(s, :S)"));
  EXPECT_TRUE(Eval("attribute_type(ns, :NS)"));
  EXPECT_TRUE(Eval("attribute_type(l, :Lt)"));
  EXPECT_FALSE(Eval("attribute_type(n, :S)"));
  EXPECT_FALSE(Eval("attribute_type(nope, :S)"));
}

TEST_F(EvaluatorTest, BeginsWith) {
  EXPECT_TRUE(Eval("begins_with(s, :he)"));
  EXPECT_TRUE(Eval("begins_with(s, :s)"));
  EXPECT_FALSE(Eval("begins_with(s, :ll)"));
  EXPECT_TRUE(Eval("begins_with(b, :b12)"));
  EXPECT_FALSE(Eval("begins_with(n, :he)"));
  EXPECT_FALSE(Eval("begins_with(nope, :he)"));
  EXPECT_FALSE(Eval("begins_with(s, :b12)"));
}

TEST_F(EvaluatorTest, Contains) {
  EXPECT_TRUE(Eval("contains(s, :ll)"));
  EXPECT_FALSE(Eval("contains(s, :x)"));
  EXPECT_TRUE(Eval("contains(ss, :a)"));
  EXPECT_FALSE(Eval("contains(ss, :x)"));
  EXPECT_TRUE(Eval("contains(ns, :one)"));
  EXPECT_FALSE(Eval("contains(ns, :a)"));
  EXPECT_TRUE(Eval("contains(l, :x)"));
  EXPECT_TRUE(Eval("contains(l, :one)"));
  EXPECT_TRUE(Eval("contains(l, :mv)"));
  EXPECT_FALSE(Eval("contains(l, :a)"));
  EXPECT_FALSE(Eval("contains(n, :n5)"));
  EXPECT_FALSE(Eval("contains(nope, :a)"));
  EXPECT_TRUE(Eval("contains(b, :b12)"));
}

TEST_F(EvaluatorTest, Size) {
  r_.Value(":five", N("5")).Value(":three", N("3"));
  EXPECT_TRUE(Eval("size(s) = :five"));
  EXPECT_TRUE(Eval("size(u) = :three"));  // UTF-16 code units
  EXPECT_TRUE(Eval("size(b) = :three"));
  EXPECT_TRUE(Eval("size(ss) = :n2"));
  EXPECT_TRUE(Eval("size(l) = :three"));
  EXPECT_TRUE(Eval("size(m) = :n2"));
  EXPECT_TRUE(Eval("size(m.lst) < :three"));
  EXPECT_FALSE(Eval("size(n) = :one"));
  EXPECT_FALSE(Eval("size(nope) = :one"));
  EXPECT_TRUE(Eval("size(s) BETWEEN :n4 AND :n6"));
  EXPECT_TRUE(Eval("size(ss) IN (:n2)"));
}

}  // namespace
}  // namespace ddb::expr
