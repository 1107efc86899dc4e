// Condition-expression parsing: every construct, precedence, and DynamoDB's
// validation messages.
#include <gtest/gtest.h>

#include "ddb/expr/ast.h"
#include "expr_test_util.h"

namespace ddb::expr {
namespace {

using testing::N;
using testing::Request;
using testing::S;

TEST(ConditionParser, AcceptsEveryConstruct) {
  Request r;
  r.Name("#n", "name").Value(":v", S("x")).Value(":w", S("y")).Value(":t", S("S"));
  for (const char* text : {
           "a = :v",
           "a <> :v",
           "a < :v",
           "a <= :v",
           "a > :v",
           "a >= :v",
           "a BETWEEN :v AND :w",
           "a IN (:v, :w)",
           "a in (:v)",
           "#n = :v",
           "a.b[2].c = :v",
           "a[0][1] = :v",
           "attribute_exists(a)",
           "attribute_not_exists(#n.b)",
           "attribute_type(a, :t)",
           "begins_with(a, :v)",
           "contains(a, :v)",
           "size(a) > :v",
           ":v < size(a)",
           "NOT a = :v",
           "not a = :v and b = :w or c = :v",
           "(a = :v)",
           "(a) = :v",
           "((a = :v) AND b = :w) OR c = :v",
           "NOT (a = :v OR b = :w)",
           "a=:v AND(b=:w)",
           "  a   =   :v  ",
           "a_1 = :v",
           "_x = :v",
       }) {
    auto c = r.Cond(text);
    EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message);
  }
}

TEST(ConditionParser, PrecedenceNotAndOr) {
  Request r;
  r.Value(":v", S("x"));
  // a = :v OR b = :v AND c = :v  ->  OR(a, AND(b, c))
  auto c = r.Cond("a = :v OR b = :v AND c = :v");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->kind, ConditionNode::Kind::kOr);
  ASSERT_EQ((*c)->children.size(), 2u);
  EXPECT_EQ((*c)->children[1]->kind, ConditionNode::Kind::kAnd);
  // NOT binds tighter than AND.
  auto d = r.Cond("NOT a = :v AND b = :v");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)->kind, ConditionNode::Kind::kAnd);
  EXPECT_EQ((*d)->children[0]->kind, ConditionNode::Kind::kNot);
  // Parentheses override.
  auto e = r.Cond("(a = :v OR b = :v) AND c = :v");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->kind, ConditionNode::Kind::kAnd);
  EXPECT_EQ((*e)->children[0]->kind, ConditionNode::Kind::kOr);
}

TEST(ConditionParser, ResolvesPlaceholdersAndRecordsUse) {
  Request r;
  r.Name("#a", "x").Name("#b", "unused").Value(":v", N("1")).Value(":w", N("2"));
  auto c = r.Cond("#a.b[3] = :v");
  ASSERT_TRUE(c.ok());
  const Path& p = (*c)->operands[0].path;
  EXPECT_EQ(PathToString(p), "x.b[3]");
  EXPECT_EQ(r.ctx.used_names, std::set<std::string>{"#a"});
  EXPECT_EQ(r.ctx.used_values, std::set<std::string>{":v"});
  Status st = r.ctx.CheckAllUsed();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  r.names.erase("#b");
  st = r.ctx.CheckAllUsed();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  r.values.erase(":w");
  EXPECT_TRUE(r.ctx.CheckAllUsed().ok());
}

TEST(ConditionParser, UndefinedPlaceholders) {
  Request r;
  r.Value(":v", S("x"));
  EXPECT_EQ(r.CondError("a = :w"),
            "Invalid ConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :w");
  EXPECT_EQ(r.CondError("#n = :v"),
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #n");
  ExpressionContext bare;  // no ExpressionAttributeNames / Values at all
  auto c = ParseCondition("#n = :v", "FilterExpression", bare);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message,
            "Invalid FilterExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #n");
  EXPECT_EQ(c.error().Name(), "ValidationException");
}

TEST(ConditionParser, SyntaxErrors) {
  Request r;
  r.Value(":v", S("x"));
  EXPECT_EQ(r.CondError("a <"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"<\"");
  EXPECT_EQ(r.CondError("foo"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
  EXPECT_EQ(r.CondError("a == :v"),
            "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :v\"");
  EXPECT_EQ(r.CondError("a = :v b"),
            "Invalid ConditionExpression: Syntax error; token: \"b\", near: \":v b\"");
  EXPECT_EQ(r.CondError("a = !"),
            "Invalid ConditionExpression: Syntax error; token: \"!\", near: \"= !\"");
  EXPECT_EQ(r.CondError("a BETWEEN :v OR :v"),
            "Invalid ConditionExpression: Syntax error; token: \"OR\", near: \":v OR :v\"");
  EXPECT_EQ(r.CondError("a = :v AND"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  EXPECT_FALSE(r.CondError("(a = :v").empty());
  EXPECT_FALSE(r.CondError("a IN ()").empty());
  EXPECT_FALSE(r.CondError("a[x] = :v").empty());
  EXPECT_FALSE(r.CondError("a. = :v").empty());
  EXPECT_FALSE(r.CondError("a = :v + :v").empty());
  EXPECT_FALSE(r.CondError("AND = :v").empty());
}

TEST(ConditionParser, EmptyAndTooLong) {
  Request r;
  r.Value(":v", S("x"));
  EXPECT_EQ(r.CondError(""), "Invalid ConditionExpression: The expression can not be empty;");
  std::string ok = "a = :v" + std::string(4096 - 6, ' ');
  EXPECT_EQ(r.CondError(ok), "");
  std::string text = "a = :v" + std::string(4095, ' ');
  EXPECT_EQ(r.CondError(text),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4101");
}

TEST(ConditionParser, ReservedWords) {
  Request r;
  r.Value(":v", S("x")).Name("#n", "name");
  EXPECT_EQ(r.CondError("name = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
  EXPECT_EQ(r.CondError("a.Year = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "Year");
  EXPECT_EQ(r.CondError("size = :v"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "size");
  EXPECT_EQ(r.CondError("#n = :v"), "");
  EXPECT_TRUE(IsReservedWord("ABORT"));
  EXPECT_TRUE(IsReservedWord("zone"));
  EXPECT_TRUE(IsReservedWord("Status"));
  EXPECT_FALSE(IsReservedWord("pk"));
  EXPECT_FALSE(IsReservedWord("attribute_exists"));
}

TEST(ConditionParser, FunctionErrors) {
  Request r;
  r.Value(":v", S("x")).Value(":n", N("1")).Value(":t", S("XX")).Value(":m", testing::M({}));
  EXPECT_EQ(r.CondError("foo(a)"),
            "Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(r.CondError("attribute_exists(a, b)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 2");
  EXPECT_EQ(r.CondError("attribute_exists(:v)"),
            "Invalid ConditionExpression: Operator or function requires a document path; operator "
            "or function: attribute_exists");
  EXPECT_EQ(r.CondError("size(a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
  EXPECT_EQ(r.CondError("attribute_exists(a) = :v"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: attribute_exists");
  EXPECT_EQ(r.CondError("if_not_exists(a, :v) = :v"),
            "Invalid ConditionExpression: The function is not allowed in a condition expression; "
            "function: if_not_exists");
  EXPECT_EQ(r.CondError("begins_with(a, :n)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
  EXPECT_EQ(r.CondError("attribute_type(a, :n)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: attribute_type, operand type: N");
  EXPECT_EQ(r.CondError("attribute_type(a, :t)"),
            "Invalid ConditionExpression: Invalid attribute type name found; type: XX, valid "
            "types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(r.CondError("size(:n) = :n"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: N");
  EXPECT_EQ(r.CondError("a < :m"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: <, operand type: M");
  EXPECT_EQ(r.CondError("a = :m"), "");
}

TEST(ConditionParser, OperandRules) {
  Request r;
  r.Value(":v", S("x")).Value(":a", N("1")).Value(":b", N("10")).Value(":s", S("a"));
  EXPECT_EQ(r.CondError("a = a"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(r.CondError("begins_with(a.b, a.b)"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: begins_with, first operand: [a, "
            "b]");
  EXPECT_EQ(r.CondError("a BETWEEN :b AND :a"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper "
            "bound operand: AttributeValue: {N:1}");
  EXPECT_EQ(r.CondError("a BETWEEN :a AND :s"),
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
            "and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
            "AttributeValue: {S:a}");
  EXPECT_EQ(r.CondError("((a = :v))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(r.CondError("((a)) = :v"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
}

TEST(ConditionParser, Limits) {
  Request r;
  std::string in = "a IN (";
  for (int i = 0; i < 101; ++i) {
    std::string k = ":v" + std::to_string(i);
    r.Value(k, N(std::to_string(i)));
    in += (i ? ", " : "") + k;
  }
  EXPECT_EQ(r.CondError(in + ")"),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; "
            "number of operands: 101");
  std::string in100 = in.substr(0, in.rfind(','));
  EXPECT_EQ(r.CondError(in100 + ")"), "");
  r.values.clear();
  r.Value(":v", S("x"));
  std::string deep = "a";
  for (int i = 0; i < 31; ++i) deep += ".b";
  EXPECT_EQ(r.CondError(deep + " = :v"), "");
  EXPECT_EQ(r.CondError(deep + ".c = :v"),
            "Invalid ConditionExpression: The document path has too many nesting levels; nesting "
            "levels: 33");
}

TEST(ConditionParser, WhichNamesTheParameter) {
  Request r;
  auto c = r.Cond("a <", "FilterExpression");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message,
            "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"<\"");
}

}  // namespace
}  // namespace ddb::expr
