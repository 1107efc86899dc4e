// Hostile expressions: deep nesting and long operator chains, within the 4 KB
// limit, must be answered with DynamoDB's ValidationException (a syntax
// error, "too many operators" or the error DynamoDB itself reports), in
// linear time and without exhausting the stack; valid nested expressions
// keep working. Limits: see src/ddb/expr/limits.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>

#include "ddb/expr/ast.h"
#include "ddb/expr/parser.h"
#include "expr_test_util.h"

namespace ddb::expr {
namespace {

using testing::N;
using testing::Request;
using testing::S;

std::string Repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// "Invalid <which>: Syntax error; token: "<EOF>", near: "("": the answer to
// a run of '(' that is never closed (as for "(((").
std::string EofSyntaxError(std::string_view which) {
  return "Invalid " + std::string(which) + ": Syntax error; token: \"<EOF>\", near: \"(\"";
}

std::string RedundantParens(std::string_view which) {
  return "Invalid " + std::string(which) + ": The expression has redundant parentheses;";
}

std::string TooManyOperators(std::string_view which) {
  return "Invalid " + std::string(which) +
         ": The expression contains too many operators; operator count: 301";
}

std::string KeyCondError(Request& r, std::string_view text) {
  auto k = ParseKeyCondition(text, r.ctx);
  return k.ok() ? std::string() : k.error().message;
}

std::string ProjectionError(Request& r, std::string_view text) {
  auto p = ParseProjection(text, r.ctx);
  return p.ok() ? std::string() : p.error().message;
}

// ---- Condition, filter and key-condition expressions ----------------------

TEST(DepthCondition, UnclosedParenthesesAreASyntaxError) {
  // Issue 10: 2,500 '(' used to overflow the stack. Parenthesised
  // conditions cost no stack now: the parser reaches the end of the input
  // and reports it, as for a few of them.
  Request r;
  auto c = r.Cond(std::string(2500, '('));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().Name(), "ValidationException");
  EXPECT_EQ(c.error().message, EofSyntaxError("ConditionExpression"));
  // A few are an ordinary syntax error at the end, as before.
  EXPECT_EQ(r.CondError("((("),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\"");
}

TEST(DepthCondition, FilterAndKeyConditionOfParentheses) {
  Request r;
  auto f = r.Cond(std::string(4000, '('), "FilterExpression");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, EofSyntaxError("FilterExpression"));
  EXPECT_EQ(KeyCondError(r, std::string(4000, '(')), EofSyntaxError("KeyConditionExpression"));
  EXPECT_EQ(r.CondError(std::string(4096, '(')), EofSyntaxError("ConditionExpression"));
}

TEST(DepthCondition, DeeplyParenthesisedComparison) {
  // DynamoDB answers "(((...(a<b)...)))", 2,046 deep, with "redundant
  // parentheses" (Alternator's test_deeply_nested_expression_3).
  Request r;
  r.Value(":v", N("1"));
  ASSERT_EQ(Repeat("(", 2046).size() * 2 + 4, kMaxExpressionBytes);
  EXPECT_EQ(r.CondError(Repeat("(", 2046) + "a<:v" + Repeat(")", 2046)),
            RedundantParens("ConditionExpression"));
  EXPECT_EQ(
      r.Cond(Repeat("(", 2046) + "a<:v" + Repeat(")", 2046), "FilterExpression").error().message,
      RedundantParens("FilterExpression"));
  EXPECT_EQ(r.CondError(Repeat("(", 2000) + "a" + Repeat(")", 2000) + " < :v"),
            RedundantParens("ConditionExpression"));
  // One pair more than is closed: a syntax error at the end.
  EXPECT_EQ(r.CondError(Repeat("(", 2000) + "a<:v" + Repeat(")", 1999)),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \")\"");
}

TEST(DepthCondition, ParenthesisedOperandsCostNoDepth) {
  // Parentheses around an operand are counted, not recursed into: any
  // number of them gets DynamoDB's "redundant parentheses".
  Request r;
  r.Value(":v", N("1"));
  EXPECT_EQ(r.CondError("a = " + Repeat("(", 2000) + ":v" + Repeat(")", 2000)),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(r.CondError("a = " + Repeat("(", 2000) + ":v"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":v\"");
}

TEST(DepthCondition, NotChainHitsTheOperatorLimit) {
  // "not not ... a<b" (1,000 NOTs): DynamoDB rejects it for its 300
  // operators (Alternator's test_deeply_nested_expression_4).
  Request r;
  r.Value(":v", N("1"));
  auto c = r.Cond(Repeat("not ", 1000) + "a < :v");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().Name(), "ValidationException");
  EXPECT_EQ(c.error().message, TooManyOperators("ConditionExpression"));
  EXPECT_EQ(KeyCondError(r, Repeat("NOT ", 1000) + "pk = :v"),
            TooManyOperators("KeyConditionExpression"));
  EXPECT_EQ(r.Cond(Repeat("NOT ", 1000) + "a < :v", "FilterExpression").error().message,
            TooManyOperators("FilterExpression"));
}

TEST(DepthCondition, OperatorLimitIs300) {
  // "a<b or (a<b or (...))": 149 levels hold 299 operators and are accepted;
  // 150 levels hold 301 (parentheses do not count), and DynamoDB answers
  // "operator count: 301" (Alternator's test_deeply_nested_expression_2).
  Request r;
  r.Value(":v", N("1"));
  auto chain = [](int depth) {
    return "a<:v" + Repeat(" or (a<:v", depth) + std::string(depth, ')');
  };
  EXPECT_EQ(r.CondError(chain(149)), "");
  EXPECT_EQ(r.CondError(chain(150)), TooManyOperators("ConditionExpression"));
  ASSERT_LE(chain(400).size(), kMaxExpressionBytes);
  EXPECT_EQ(r.CondError(chain(400)), TooManyOperators("ConditionExpression"));
  // Exactly 300: 150 comparisons, 149 ANDs and one NOT.
  std::string flat = "a = :v" + Repeat(" AND a = :v", 149);
  EXPECT_EQ(r.CondError("NOT " + flat), "");
  EXPECT_EQ(r.CondError("NOT NOT " + flat), TooManyOperators("ConditionExpression"));
  // BETWEEN and IN count once each; known functions count.
  EXPECT_EQ(r.CondError(Repeat("a BETWEEN :v AND :v AND ", 150) + "a = :v"),
            TooManyOperators("ConditionExpression"));
  EXPECT_EQ(r.CondError(Repeat("size(a) = :v AND ", 100) + "a = :v"),
            TooManyOperators("ConditionExpression"));
  EXPECT_EQ(r.CondError(Repeat("attribute_exists(a) AND ", 150) + "a = :v"),
            TooManyOperators("ConditionExpression"));
}

TEST(DepthCondition, NestedSizeCalls) {
  // a < size(size(...size(b)...)) 680 deep (Alternator's
  // test_deeply_nested_expression_5): '<' and 300 size() calls reach the
  // limit before the parser nests any deeper.
  Request r;
  r.Value(":v", N("1"));
  EXPECT_EQ(r.CondError("a < " + Repeat("size(", 680) + "b" + std::string(680, ')')),
            TooManyOperators("ConditionExpression"));
  EXPECT_EQ(r.CondError(Repeat("size(", 680) + "b" + std::string(680, ')') + " = :v"),
            TooManyOperators("ConditionExpression"));
  // Two levels are valid syntax; the inner size() is a number, which size()
  // rejects.
  EXPECT_EQ(r.CondError("size(size(b)) = :v"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: N");
}

TEST(DepthCondition, NestedFunctionCalls) {
  Request r;
  r.Value(":v", N("1"));
  // attribute_exists(attribute_exists(...)): 4 KB hold 227 levels, fewer
  // than 300 operators, so the whole call is checked: the inner call is not
  // allowed as an operand.
  std::string calls = Repeat("attribute_exists(", 227) + "a" + std::string(227, ')');
  ASSERT_LE(calls.size(), kMaxExpressionBytes);
  EXPECT_EQ(r.CondError(calls),
            "Invalid ConditionExpression: The function is not allowed to be used this way in "
            "an expression; function: attribute_exists");
  // With a run of NOTs in front, the 301st operator comes first.
  EXPECT_EQ(r.CondError(Repeat("NOT ", 100) + Repeat("attribute_exists(", 201) + "a" +
                        std::string(201, ')')),
            TooManyOperators("ConditionExpression"));
  // Unknown functions do not count: DynamoDB reports the name however deep
  // the calls nest ("a < f(f(...(b)...))", 1,355 deep, in Alternator's
  // test_deeply_nested_expression_5). Within our nesting limit so do we;
  // past it the parser stops with a syntax error at the call.
  EXPECT_EQ(r.CondError("a < " + Repeat("f(", 300) + "b" + std::string(300, ')')),
            "Invalid ConditionExpression: Invalid function name; function: f");
  EXPECT_EQ(r.CondError("a < " + Repeat("f(", 512) + "b" + std::string(512, ')')),
            "Invalid ConditionExpression: Invalid function name; function: f");
  EXPECT_EQ(r.CondError("a < " + Repeat("f(", 513) + "b" + std::string(513, ')')),
            "Invalid ConditionExpression: Syntax error; token: \"f\", near: \"(f(\"");
  EXPECT_EQ(r.CondError("a < " + Repeat("f(", 1355) + "b" + std::string(1355, ')')),
            "Invalid ConditionExpression: Syntax error; token: \"f\", near: \"(f(\"");
}

TEST(DepthCondition, KeyConditionShapes) {
  Request r;
  r.Value(":v", S("x"));
  EXPECT_EQ(KeyCondError(r, "pk = " + Repeat("size(", 400) + "a" + std::string(400, ')')),
            TooManyOperators("KeyConditionExpression"));
  EXPECT_EQ(KeyCondError(r, Repeat("(", 1500) + "pk = :v" + Repeat(")", 1500)),
            RedundantParens("KeyConditionExpression"));
  // Valid: one pair of parentheses around each part.
  auto k = ParseKeyCondition("(pk = :v) AND (begins_with(sk, :v))", r.ctx);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->hash_name, "pk");
  ASSERT_TRUE(k->sort.has_value());
  EXPECT_EQ(k->sort->op, SortOp::kBeginsWith);
}

TEST(DepthCondition, ValidNestedConditionsStillWork) {
  Request r;
  r.Value(":one", N("1")).Value(":two", N("2")).Value(":s", S("x"));
  Item item{{"a", N("1")}, {"b", N("2")}, {"s", S("xyz")}};
  auto c = r.Cond(
      "((a = :one AND b = :two) OR (NOT (s = :s AND (a = :two OR b = :one)))) AND "
      "(size(s) > (:one)) AND begins_with((s), :s)");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(Evaluate(**c, item));
  // "NOT (NOT (... a = :one ...))": 298 NOTs, each in its own parentheses:
  // 299 operators and 596 levels of nesting.
  std::string nots = Repeat("NOT (", 298) + "a = :one" + std::string(298, ')');
  auto deep = r.Cond(nots);
  ASSERT_TRUE(deep.ok()) << deep.error().message;
  EXPECT_TRUE(Evaluate(**deep, item));
  EXPECT_FALSE(Evaluate(**deep, Item{{"a", N("2")}}));
  std::set<std::string> names;
  CollectTopLevelNames(**deep, &names);
  EXPECT_EQ(names, std::set<std::string>{"a"});
  // "(a) = :v" and "(attribute_exists(a))": one pair of parentheses around
  // an operand or a function condition.
  EXPECT_EQ(r.CondError("(a) = :one AND (attribute_exists(a)) AND NOT (size(s)) < :one"), "");
}

TEST(DepthCondition, ParenthesisedOperandErrorsAreUnchanged) {
  // The single-pass parser reports the same errors as the former
  // backtracking one.
  Request r;
  r.Value(":v", N("1"));
  EXPECT_EQ(r.CondError("(a)"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"a)\"");
  EXPECT_EQ(r.CondError("((a) AND b = :v)"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"a) AND\"");
  EXPECT_EQ(r.CondError("NOT (a)"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"a)\"");
  EXPECT_EQ(r.CondError("(a = :v) = :v"),
            "Invalid ConditionExpression: Syntax error; token: \"=\", near: \") = :v\"");
  EXPECT_EQ(r.CondError("((attribute_exists(a)))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
  EXPECT_EQ(r.CondError("((a)) = :v"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
}

// ---- Update expressions -----------------------------------------------------

TEST(DepthUpdate, ParenthesisedSetValue) {
  // Parenthesised SET values recurse: past 512 levels, a syntax error at the
  // '(' that would open level 513.
  Request r;
  r.Value(":v", N("1"));
  const std::string error = "Invalid UpdateExpression: Syntax error; token: \"(\", near: \"(((\"";
  EXPECT_EQ(r.UpdateError("SET a = " + Repeat("(", 2000) + ":v" + Repeat(")", 2000)), error);
  EXPECT_EQ(r.UpdateError("SET a = " + std::string(4000, '(')), error);
  EXPECT_EQ(r.UpdateError("SET a = " + Repeat("(", 513) + ":v" + Repeat(")", 513)),
            "Invalid UpdateExpression: Syntax error; token: \"(\", near: \"((:v\"");
  // Within the limit, as before.
  EXPECT_EQ(r.UpdateError("SET a = " + Repeat("(", 512) + ":v" + Repeat(")", 512)), "");
  EXPECT_EQ(r.UpdateError("SET a = " + Repeat("(:v + ", 250) + ":v" + Repeat(")", 250)), "");
}

TEST(DepthUpdate, OperatorLimit) {
  // "SET a = :val1 + :val2 + :val3 contains two '+' operators"; the '=' of
  // a SET action does not count.
  Request r;
  r.Value(":v", N("1"));
  // "x0=:v+:v,x1=:v+:v,...": n '+'.
  auto sums = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? ",x" : "x") + std::to_string(i) + "=:v+:v";
    return out;
  };
  EXPECT_EQ(r.UpdateError("SET " + sums(300)), "");
  EXPECT_EQ(r.UpdateError("SET " + sums(301)), TooManyOperators("UpdateExpression"));
  EXPECT_EQ(r.UpdateError("SET a = " + Repeat("size(", 400) + "b" + std::string(400, ')')),
            TooManyOperators("UpdateExpression"));
  // Function calls count with the '+' and '-': 100 calls and 200 '+' are
  // accepted, one more '+' is not.
  std::string calls =
      "SET a = " + Repeat("if_not_exists(b, ", 100) + ":v" + std::string(100, ')') + ", ";
  ASSERT_LE((calls + sums(201)).size(), kMaxExpressionBytes);
  EXPECT_EQ(r.UpdateError(calls + sums(200)), "");
  EXPECT_EQ(r.UpdateError(calls + sums(201)), TooManyOperators("UpdateExpression"));
}

TEST(DepthUpdate, NestedListAppend) {
  // list_append(list_append(...(b, b)..., b), b): 250 nested calls, valid.
  Request r;
  auto u = ParseUpdate("SET a = " + Repeat("list_append(", 250) + "b" + Repeat(", b)", 250), r.ctx);
  ASSERT_TRUE(u.ok()) << u.error().message;
  Item item{{"b", testing::L({N("1")})}};
  ASSERT_TRUE(ApplyUpdate(**u, item).ok());
  EXPECT_EQ(item["a"].list.size(), 251u);
}

TEST(DepthUpdate, ValidNestedValuesStillWork) {
  // if_not_exists(b, if_not_exists(b, ... :v)): 200 nested calls.
  Request r;
  r.Value(":v", N("5")).Value(":one", N("1"));
  auto u = ParseUpdate("SET a = " + Repeat("if_not_exists(b, ", 200) + ":v" +
                           std::string(200, ')') + ", c = (:one + (:v))",
                       r.ctx);
  ASSERT_TRUE(u.ok()) << u.error().message;
  Item item;
  ASSERT_TRUE(ApplyUpdate(**u, item).ok());
  EXPECT_EQ(item["a"], N("5"));
  EXPECT_EQ(item["c"], N("6"));
  item = Item{{"b", N("7")}};
  ASSERT_TRUE(ApplyUpdate(**u, item).ok());
  EXPECT_EQ(item["a"], N("7"));
}

// ---- Projection expressions -------------------------------------------------

TEST(DepthProjection, HostileShapes) {
  Request r;
  EXPECT_EQ(ProjectionError(r, std::string(4000, '(')),
            "Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"((\"");
  EXPECT_EQ(ProjectionError(r, "a" + Repeat(".b", 2000)),
            "Invalid ProjectionExpression: The document path has too many nesting levels; "
            "nesting levels: 2001");
  EXPECT_EQ(ProjectionError(r, "a" + Repeat("[0]", 1300)),
            "Invalid ProjectionExpression: The document path has too many nesting levels; "
            "nesting levels: 1301");
  EXPECT_EQ(ProjectionError(r, "size(" + Repeat("size(", 600) + "a" + std::string(601, ')')),
            "Invalid ProjectionExpression: Syntax error; token: \"(\", near: \"size(size\"");
}

TEST(DepthProjection, ValidNestedPathsStillWork) {
  Request r;
  std::string path = "a" + Repeat(".b", 31);  // 32 levels, DynamoDB's maximum
  std::string many;
  for (int i = 0; i < 500; ++i) many += (i ? ", c" : "c") + std::to_string(i);
  auto p = ParseProjection(path + ", " + many, r.ctx);
  ASSERT_TRUE(p.ok()) << p.error().message;
  AttributeValue deep = N("1");
  for (int i = 0; i < 31; ++i) deep = testing::M({{"b", deep}});
  Item item{{"a", deep}, {"c7", S("x")}, {"d", S("y")}};
  Item out = Project(*p, item);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(out["a"], deep);
  EXPECT_EQ(out["c7"], S("x"));
}

// ---- Time: one pass, no backtracking -----------------------------------------

TEST(DepthTime, HostileInputOfTheMaximumSizeParses) {
  // The former parser backtracked at every '(' and recursed once per level;
  // each of these 4 KB inputs now takes one pass with no recursion per '('.
  // (Speed is the benchmark's business; this pins the answers.)
  Request r;
  r.Value(":v", N("1"));
  const std::string inputs[] = {
      std::string(4096, '('),
      Repeat("(", 999) + "a" + Repeat(")", 999) + " < :v",
      Repeat("(", 999) + "a < :v" + Repeat(")", 999),
      "a = " + Repeat("(", 2040) + ":v" + Repeat(")", 2040),
      Repeat("not ", 1020),
      "a < " + Repeat("f(", 512) + "b" + std::string(512, ')'),
      "a < " + Repeat("f(", 1355) + "b" + std::string(1355, ')'),
  };
  for (const std::string& text : inputs) {
    ASSERT_LE(text.size(), kMaxExpressionBytes);
    EXPECT_NE(r.CondError(text), "") << text.substr(0, 40);
  }
  // 149 nested ORs of comparisons: 299 operators, accepted.
  EXPECT_EQ(r.CondError("a < :v" + Repeat(" or (a < :v", 149) + std::string(149, ')')), "");
  std::string update = "SET a = " + Repeat("(", 990) + ":v" + Repeat(")", 990);
  (void)r.UpdateError(update);  // answers (accepted or refused) without exhausting the stack
}

// ---- The guards behind the parser -------------------------------------------

TEST(DepthGuards, ResolverStopsAtTheLimit) {
  // Trees deeper than the limit cannot come out of the parser; the resolver
  // still refuses to descend into one.
  RawCondition root;
  root.kind = RawCondition::Kind::kCompare;
  root.operands.resize(2);
  root.operands[0].kind = RawOperand::Kind::kPath;
  root.operands[0].path.push_back(RawPathElement{"a", 0, false});
  root.operands[1].kind = RawOperand::Kind::kValue;
  root.operands[1].text = ":v";
  for (size_t i = 0; i < kMaxTreeDepth; ++i) {
    RawCondition n;
    n.kind = RawCondition::Kind::kNot;
    n.children.push_back(std::move(root));
    root = std::move(n);
  }
  Request r;
  r.Value(":v", N("1"));
  Resolver resolver("ConditionExpression", r.ctx, Resolver::Mode::kCondition);
  (void)resolver.Condition(root);
  auto error = resolver.Finish();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message,
            "Invalid ConditionExpression: The expression has too many nesting levels; nesting "
            "levels: " +
                std::to_string(kMaxTreeDepth + 1));
}

TEST(DepthGuards, EvaluatorAndUpdateStopAtTheLimit) {
  // A hand-built NOT chain deeper than the limit evaluates as false instead
  // of recursing without bound.
  auto leaf = std::make_unique<ConditionNode>();
  leaf->kind = ConditionNode::Kind::kTrue;
  std::unique_ptr<ConditionNode> root = std::move(leaf);
  for (size_t i = 0; i < (kMaxTreeDepth / 2 + 1) * 2; ++i) {  // even: true if evaluated
    auto n = std::make_unique<ConditionNode>();
    n->kind = ConditionNode::Kind::kNot;
    n->children.push_back(std::move(root));
    root = std::move(n);
  }
  EXPECT_FALSE(Evaluate(*root, Item{}));
  // An if_not_exists chain deeper than the limit: an error, not a crash.
  Operand value;
  value.kind = Operand::Kind::kValue;
  value.value = N("1");
  for (size_t i = 0; i < kMaxTreeDepth; ++i) {
    Operand n;
    n.kind = Operand::Kind::kIfNotExists;
    n.path = Path{PathElement{"missing", 0, false}};
    n.args.push_back(std::move(value));
    value = std::move(n);
  }
  UpdatePlan plan;
  UpdateAction action;
  action.kind = UpdateAction::Kind::kSet;
  action.path = Path{PathElement{"a", 0, false}};
  action.value = std::move(value);
  plan.actions.push_back(std::move(action));
  Item item;
  Status s = ApplyUpdate(plan, item);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().Name(), "ValidationException");
}

}  // namespace
}  // namespace ddb::expr
