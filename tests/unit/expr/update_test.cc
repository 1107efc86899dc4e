// Update expressions: parsing rules and messages, then every action applied.
#include <gtest/gtest.h>

#include "ddb/expr/ast.h"
#include "expr_test_util.h"

namespace ddb::expr {
namespace {

using testing::L;
using testing::M;
using testing::N;
using testing::Request;
using testing::S;

class UpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    item_ = {
        {"pk", S("k")},
        {"n", N("5")},
        {"s", S("str")},
        {"l", L({N("0"), N("1"), N("2"), N("3")})},
        {"m", M({{"a", N("1")}})},
        {"ss", AttributeValue::SS({"a", "b"})},
    };
    r_.Value(":v", S("new"))
        .Value(":one", N("1"))
        .Value(":ten", N("10"))
        .Value(":s", S("x"))
        .Value(":l", L({N("9")}))
        .Value(":ssc", AttributeValue::SS({"c", "a"}))
        .Value(":ssab", AttributeValue::SS({"a", "b"}))
        .Value(":ssa", AttributeValue::SS({"a"}))
        .Value(":ns", AttributeValue::NS({"1"}))
        .Value(":big", N("99999999999999999999999999999999999999"));
  }
  // Parses and applies; returns the error message or "".
  std::string Apply(const char* text) {
    auto u = ParseUpdate(text, r_.ctx);
    if (!u.ok()) return "parse: " + u.error().message;
    Status st = ApplyUpdate(**u, item_);
    return st.ok() ? std::string() : st.error().message;
  }
  Item item_;
  Request r_;
};

TEST_F(UpdateTest, ParseErrors) {
  EXPECT_EQ(r_.UpdateError("SET a = :v SET b = :v"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(r_.UpdateError("REMOVE a ADD b :one remove c"),
            "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(r_.UpdateError("SET a = :v, a.b = :v"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(r_.UpdateError("SET a = :v REMOVE a"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(r_.UpdateError("SET a[1] = :v, a.b = :v"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove "
            "or rewrite one of these paths; path one: [a, [1]], path two: [a, b]");
  EXPECT_EQ(r_.UpdateError("SET a[1] = :v, a[2] = :v"), "");
  EXPECT_EQ(r_.UpdateError("SET a = b + :one + :one"),
            "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":one + :one\"");
  EXPECT_EQ(r_.UpdateError("SET MyStr = myNum + 1"),
            "Invalid UpdateExpression: Syntax error; token: \"1\", near: \"+ 1\"");
  EXPECT_EQ(r_.UpdateError("ADD n :s"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND");
  EXPECT_EQ(r_.UpdateError("DELETE n :one"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
  EXPECT_EQ(r_.UpdateError("SET a = :s + :one"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: +, operand type: S");
  EXPECT_EQ(r_.UpdateError("SET a = list_append(:s, l)"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: list_append, operand type: S");
  EXPECT_EQ(r_.UpdateError("SET a = if_not_exists(:s, :s)"),
            "Invalid UpdateExpression: Operator or function requires a document path; operator "
            "or function: if_not_exists");
  EXPECT_EQ(r_.UpdateError("SET a = foo(b)"),
            "Invalid UpdateExpression: Invalid function name; function: foo");
  EXPECT_EQ(r_.UpdateError("SET a = size(b)"),
            "Invalid UpdateExpression: The function is not allowed in an update expression; "
            "function: size");
  EXPECT_EQ(r_.UpdateError("SET a = list_append(b)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: list_append, number of operands: 1");
  EXPECT_EQ(r_.UpdateError("SET year = :v"),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "year");
  EXPECT_EQ(r_.UpdateError(""), "Invalid UpdateExpression: The expression can not be empty;");
  EXPECT_EQ(r_.UpdateError("SET a = :nope"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :nope");
  EXPECT_EQ(r_.UpdateError("ADD a b"),
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(r_.UpdateError("UPSERT a = :v"),
            "Invalid UpdateExpression: Syntax error; token: \"UPSERT\", near: \"UPSERT a\"");
}

TEST_F(UpdateTest, UpdatedPaths) {
  auto u = ParseUpdate("SET a.b = :v, c = :v REMOVE d[1] ADD e :one DELETE f :ssa", r_.ctx);
  ASSERT_TRUE(u.ok());
  const auto& paths = UpdatedPaths(**u);
  ASSERT_EQ(paths.size(), 5u);
  EXPECT_EQ(PathToString(paths[0]), "a.b");
  EXPECT_EQ(PathToString(paths[2]), "d[1]");
  EXPECT_EQ(PathToString(paths[4]), "f");
}

TEST_F(UpdateTest, Set) {
  r_.Name("#x", "copy");
  EXPECT_EQ(Apply("SET a = :v, m.b = :one"), "");
  EXPECT_EQ(item_["a"], S("new"));
  EXPECT_EQ(item_["m"].map["b"], N("1"));
  EXPECT_EQ(Apply("set #x = s"), "");
  EXPECT_EQ(item_["copy"], S("str"));
}

TEST_F(UpdateTest, SetReadsTheItemBeforeTheUpdate) {
  EXPECT_EQ(Apply("SET n = :ten, o = n"), "");
  EXPECT_EQ(item_["n"], N("10"));
  EXPECT_EQ(item_["o"], N("5"));
}

TEST_F(UpdateTest, Arithmetic) {
  EXPECT_EQ(Apply("SET n = n + :one"), "");
  EXPECT_EQ(item_["n"], N("6"));
  EXPECT_EQ(Apply("SET n = n - :ten"), "");
  EXPECT_EQ(item_["n"], N("-4"));
  EXPECT_EQ(Apply("SET o = :ten - n"), "");
  EXPECT_EQ(item_["o"], N("14"));
  EXPECT_EQ(Apply("SET n = s + :one"),
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(Apply("SET n = nope + :one"),
            "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_EQ(Apply("SET x = nope"),
            "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_FALSE(Apply("SET n = :big + :big").empty());
}

TEST_F(UpdateTest, IfNotExistsAndListAppend) {
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :ten), c = if_not_exists(c, :ten)"), "");
  EXPECT_EQ(item_["n"], N("5"));
  EXPECT_EQ(item_["c"], N("10"));
  EXPECT_EQ(Apply("SET l = list_append(l, :l)"), "");
  EXPECT_EQ(item_["l"].list.size(), 5u);
  EXPECT_EQ(item_["l"].list[4], N("9"));
  EXPECT_EQ(Apply("SET l = list_append(:l, l)"), "");
  EXPECT_EQ(item_["l"].list[0], N("9"));
  EXPECT_EQ(Apply("SET k = list_append(if_not_exists(k, :l), :l)"), "");
  EXPECT_EQ(item_["k"].list.size(), 2u);
  EXPECT_EQ(Apply("SET s = list_append(s, :l)"),
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(Apply("SET n = if_not_exists(nope, :ten) + :one"), "");
  EXPECT_EQ(item_["n"], N("11"));
}

TEST_F(UpdateTest, SetNestedAndListIndexes) {
  EXPECT_EQ(Apply("SET nope.b = :v"),
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(Apply("SET s.b = :v"),
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(Apply("SET m[0] = :v"),
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(Apply("SET l[1] = :v"), "");
  EXPECT_EQ(item_["l"].list[1], S("new"));
  EXPECT_EQ(Apply("SET l[10] = :s"), "");  // past the end appends
  ASSERT_EQ(item_["l"].list.size(), 5u);
  EXPECT_EQ(item_["l"].list[4], S("x"));
}

TEST_F(UpdateTest, Remove) {
  EXPECT_EQ(Apply("REMOVE s, nope, m.a, m.nothing"), "");
  EXPECT_EQ(item_.count("s"), 0u);
  EXPECT_TRUE(item_["m"].map.empty());
  // Indexes refer to the list before the update; later elements shift down.
  EXPECT_EQ(Apply("REMOVE l[1], l[2]"), "");
  ASSERT_EQ(item_["l"].list.size(), 2u);
  EXPECT_EQ(item_["l"].list[0], N("0"));
  EXPECT_EQ(item_["l"].list[1], N("3"));
  EXPECT_EQ(Apply("REMOVE l[7]"), "");
  EXPECT_EQ(item_["l"].list.size(), 2u);
  EXPECT_EQ(Apply("REMOVE nope.x"),
            "The document path provided in the update expression is invalid for update");
}

TEST_F(UpdateTest, Add) {
  EXPECT_EQ(Apply("ADD n :one, c :ten, ss :ssc, newset :ns"), "");
  EXPECT_EQ(item_["n"], N("6"));
  EXPECT_EQ(item_["c"], N("10"));
  EXPECT_EQ(item_["ss"], AttributeValue::SS({"a", "b", "c"}));
  EXPECT_EQ(item_["newset"], AttributeValue::NS({"1"}));
  EXPECT_EQ(Apply("ADD s :one"), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(Apply("ADD ss :ns"), "An operand in the update expression has an incorrect data type");
}

TEST_F(UpdateTest, Delete) {
  EXPECT_EQ(Apply("DELETE ss :ssa, nope :ssa"), "");
  EXPECT_EQ(item_["ss"], AttributeValue::SS({"b"}));
  EXPECT_EQ(Apply("DELETE ss :ssab"), "");  // an empty set removes the attribute
  EXPECT_EQ(item_.count("ss"), 0u);
  EXPECT_EQ(Apply("DELETE n :ssa"),
            "An operand in the update expression has an incorrect data type");
}

TEST_F(UpdateTest, SetsOfListElementsAreWrittenInIndexOrder) {
  // l is [0, 1, 2, 3]: SETs past the end append by index, not by their order
  // in the expression, and an append never overwrites a replaced element.
  r_.Value(":x", S("x")).Value(":y", S("y")).Value(":r", S("r"));
  EXPECT_EQ(Apply("SET l[5] = :x, l[4] = :y"), "");
  EXPECT_EQ(item_["l"], L({N("0"), N("1"), N("2"), N("3"), S("y"), S("x")}));
  EXPECT_EQ(Apply("SET l[9] = :x, a = :v, l[1] = :r, l[7] = :y"), "");
  EXPECT_EQ(item_["l"], L({N("0"), S("r"), N("2"), N("3"), S("y"), S("x"), S("y"), S("x")}));
  EXPECT_EQ(item_["a"], S("new"));
  // Elements of different lists keep their own order.
  item_["m"].map["l"] = L({N("0")});
  EXPECT_EQ(Apply("SET m.l[3] = :x, l[20] = :r, m.l[2] = :y"), "");
  EXPECT_EQ(item_["m"].map["l"], L({N("0"), S("y"), S("x")}));
  EXPECT_EQ(item_["l"].list.back(), S("r"));
}

TEST_F(UpdateTest, ArithmeticPastTheRangeOrPrecisionOverflows) {
  constexpr const char* kOverflow =
      "Number overflow. Attempting to store a number with magnitude larger than supported range";
  r_.Value(":max", N("9.9999999999999999999999999999999999999e125"))
      .Value(":e50", N("1e50"))
      .Value(":half", N("0.5"))
      .Value(":a", N("1.5e-130"))
      .Value(":b", N("1.4e-130"));
  EXPECT_EQ(Apply("SET x = :max + :max"), kOverflow);
  EXPECT_EQ(Apply("SET x = :e50 + :one"), kOverflow);  // 51 significant digits
  EXPECT_EQ(Apply("SET x = :e50 - :one"), kOverflow);
  EXPECT_EQ(Apply("SET x = :big + :half"), kOverflow);  // 39 significant digits
  item_["n"] = N("99999999999999999999999999999999999999");
  EXPECT_EQ(Apply("ADD n :half"), kOverflow);
  EXPECT_EQ(Apply("ADD n :one"), "");
  EXPECT_EQ(item_["n"], N("100000000000000000000000000000000000000"));
  EXPECT_EQ(Apply("SET x = :a - :b"),
            "Number underflow. Attempting to store a number with magnitude smaller than "
            "supported range");
}

// UpdatedItem: what an update leaves under a key whose item is `current`.
class UpdatedItemTest : public UpdateTest {
 protected:
  Result<std::optional<Item>> Run(const char* text, const Item* current) {
    auto u = ParseUpdate(text, r_.ctx);
    EXPECT_TRUE(u.ok()) << text;
    if (!u.ok()) return u.error();
    return UpdatedItem(u->get(), current, key_);
  }
  Item key_ = {{"pk", S("k")}};
};

TEST_F(UpdatedItemTest, UpdatesThatOnlyRemoveCreateNothing) {
  for (const char* text :
       {"REMOVE a", "REMOVE a, b.c, d[2]", "DELETE ss :ssa", "REMOVE a DELETE x.y :ssa"}) {
    auto r = Run(text, nullptr);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_FALSE(r->has_value()) << text;
  }
}

TEST_F(UpdatedItemTest, UpdatesThatWriteCreateTheItemFromTheKey) {
  auto r = Run("SET a = :v REMOVE b.c", nullptr);  // the REMOVE has nothing to act on
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, (Item{{"pk", S("k")}, {"a", S("new")}}));
  r = Run("ADD n :one DELETE ss :ssa", nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, (Item{{"pk", S("k")}, {"n", N("1")}}));
  // No update at all (UpdateItem with only a Key) creates the key's item.
  auto none = UpdatedItem(nullptr, nullptr, key_);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(**none, key_);
}

TEST_F(UpdatedItemTest, AnExistingItemIsUpdatedAsApplyUpdateDoes) {
  auto r = Run("REMOVE s, nope.x", &item_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "The document path provided in the update expression is invalid for update");
  r = Run("REMOVE s", &item_);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->count("s"), 0u);
  EXPECT_EQ(item_.count("s"), 1u);  // `current` is not changed
}

}  // namespace
}  // namespace ddb::expr
