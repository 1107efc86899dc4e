// Projection expressions, Project, ResolvePath and key conditions.
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

Item Sample() {
  return {
      {"a", S("x")},
      {"b", N("1")},
      {"m", M({{"x", N("1")}, {"y", M({{"z", S("deep")}, {"w", S("other")}})}})},
      {"l", L({S("e0"), M({{"k", S("v")}, {"j", S("u")}}), S("e2"), S("e3")})},
  };
}

TEST(Projection, ParsesPaths) {
  Request r;
  r.Name("#n", "name");
  auto p = ParseProjection("a, #n, m.y.z, l[1].k", r.ctx);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->paths.size(), 4u);
  EXPECT_EQ(PathToString(p->paths[1]), "name");
  EXPECT_EQ(PathToString(p->paths[3]), "l[1].k");
}

TEST(Projection, Errors) {
  Request r;
  auto err = [&](const char* text) {
    auto p = ParseProjection(text, r.ctx);
    return p.ok() ? std::string() : p.error().message;
  };
  EXPECT_EQ(err("a, name"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: name");
  EXPECT_EQ(err("a, #n"),
            "Invalid ProjectionExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #n");
  EXPECT_EQ(err("a,"), "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(err("a, a.b"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(err("a[0], a.b"),
            "Invalid ProjectionExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
  EXPECT_EQ(err(""), "Invalid ProjectionExpression: The expression can not be empty;");
}

TEST(Projection, ProjectKeepsStructure) {
  Request r;
  auto p = ParseProjection("a, m.y.z, l[3], l[1].k, nope, m.nope", r.ctx);
  ASSERT_TRUE(p.ok());
  Item out = Project(*p, Sample());
  Item want = {
      {"a", S("x")},
      {"m", M({{"y", M({{"z", S("deep")}})}})},
      {"l", L({M({{"k", S("v")}}), S("e3")})},
  };
  EXPECT_EQ(out, want);
  auto flat = ParseProjection("b, a, zz", r.ctx);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(Project(*flat, Sample()), (Item{{"a", S("x")}, {"b", N("1")}}));
}

TEST(Projection, ResolvePath) {
  Item item = Sample();
  Request r;
  auto at = [&](const char* text) {
    auto p = ParseProjection(text, r.ctx);
    EXPECT_TRUE(p.ok()) << text;
    return ResolvePath(item, p->paths[0]);
  };
  ASSERT_NE(at("m.y.z"), nullptr);
  EXPECT_EQ(*at("m.y.z"), S("deep"));
  EXPECT_EQ(*at("l[1].j"), S("u"));
  EXPECT_EQ(at("l[9]"), nullptr);
  EXPECT_EQ(at("a.b"), nullptr);
  EXPECT_EQ(at("m[0]"), nullptr);
  EXPECT_EQ(at("zz"), nullptr);
}

TEST(KeyCondition, Shapes) {
  Request r;
  r.Name("#s", "sk").Value(":h", S("h")).Value(":a", N("1")).Value(":b", N("2"));
  auto kc = ParseKeyCondition("pk = :h", r.ctx);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->hash_name, "pk");
  EXPECT_EQ(kc->hash_value, S("h"));
  EXPECT_FALSE(kc->sort.has_value());

  kc = ParseKeyCondition(":a < #s AND pk = :h", r.ctx);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->hash_name, "pk");
  ASSERT_TRUE(kc->sort.has_value());
  EXPECT_EQ(kc->sort->name, "sk");
  EXPECT_EQ(kc->sort->op, SortOp::kGt);  // flipped: sk > :a
  EXPECT_EQ(kc->sort->v1, N("1"));

  kc = ParseKeyCondition("pk = :h AND #s BETWEEN :a AND :b", r.ctx);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->sort->op, SortOp::kBetween);
  EXPECT_EQ(kc->sort->v2, N("2"));

  kc = ParseKeyCondition("begins_with(#s, :h) AND pk = :h", r.ctx);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->sort->op, SortOp::kBeginsWith);

  kc = ParseKeyCondition("#s = :a AND pk = :h", r.ctx);
  ASSERT_TRUE(kc.ok());
  EXPECT_EQ(kc->hash_name, "sk");
  NormalizeKeyCondition(*kc, "pk");
  EXPECT_EQ(kc->hash_name, "pk");
  EXPECT_EQ(kc->hash_value, S("h"));
  EXPECT_EQ(kc->sort->name, "sk");
  EXPECT_EQ(kc->sort->v1, N("1"));
}

TEST(KeyCondition, Errors) {
  Request r;
  r.Value(":h", S("h")).Value(":a", N("1"));
  auto err = [&](const char* text) {
    auto kc = ParseKeyCondition(text, r.ctx);
    return kc.ok() ? std::string() : kc.error().message;
  };
  EXPECT_EQ(err("pk = :h OR sk = :a"), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(err("NOT pk = :h"), "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(err("pk IN (:h)"), "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(err("pk <> :h"), "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(err("pk = :h AND attribute_exists(sk)"),
            "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(err("pk = :h AND pk = :h"),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(err("pk.x = :h"),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(err("size(pk) = :a"), "KeyConditionExpressions cannot contain nested operations");
  EXPECT_EQ(err("pk < :h"), "Query key condition not supported");
  EXPECT_EQ(err("pk = :h AND"),
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  EXPECT_EQ(err("pk = :nope"),
            "Invalid KeyConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :nope");
}

}  // namespace
}  // namespace ddb::expr
