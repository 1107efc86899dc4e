// PartiQL parsing: every statement form, values and parameters, and the
// errors for malformed statements.
#include "ddb/partiql/parser.h"

#include <gtest/gtest.h>

namespace ddb::partiql {
namespace {

Statement Ok(std::string_view text, const std::vector<AttributeValue>& params = {}) {
  auto r = Parse(text, params);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : Statement{};
}

std::string Fails(std::string_view text, const std::vector<AttributeValue>& params = {}) {
  auto r = Parse(text, params);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  return r.error().message;
}

TEST(PartiqlParser, SelectStarFromQuotedTable) {
  Statement s = Ok(R"(SELECT * FROM "Music")");
  EXPECT_EQ(s.kind, Statement::Kind::kSelect);
  EXPECT_EQ(s.table, "Music");
  EXPECT_FALSE(s.index);
  EXPECT_TRUE(s.projection.empty());
  EXPECT_FALSE(s.where);
}

TEST(PartiqlParser, SelectProjectionIndexWhereOrderBy) {
  Statement s =
      Ok(R"(select a, b.c, d[2], "e f" from "T"."idx" where a = 'x' and b <> 2 order by sk desc)");
  ASSERT_EQ(s.projection.size(), 4u);
  EXPECT_EQ(s.projection[1].size(), 2u);
  EXPECT_TRUE(s.projection[2][1].is_index);
  EXPECT_EQ(s.projection[2][1].index, 2);
  EXPECT_EQ(s.projection[3][0].name, "e f");
  EXPECT_EQ(s.index.value_or(""), "idx");
  ASSERT_TRUE(s.where);
  EXPECT_EQ(s.where->kind, Expr::Kind::kAnd);
  EXPECT_EQ(s.where->args[1].op, "<>");
  EXPECT_EQ(s.order_by.value_or(""), "sk");
  EXPECT_TRUE(s.order_desc);
}

TEST(PartiqlParser, ConditionForms) {
  for (const char* text : {
           "SELECT * FROM t WHERE a BETWEEN 1 AND 5",
           "SELECT * FROM t WHERE a NOT BETWEEN 1 AND 5",
           "SELECT * FROM t WHERE a IN [1, 2, 3]",
           "SELECT * FROM t WHERE a IN ('x', 'y')",
           "SELECT * FROM t WHERE a NOT IN ['x']",
           "SELECT * FROM t WHERE a IS MISSING",
           "SELECT * FROM t WHERE a.b IS NOT MISSING",
           "SELECT * FROM t WHERE begins_with(a, 'x')",
           "SELECT * FROM t WHERE contains(a, 'x') OR NOT size(b) > 3",
           "SELECT * FROM t WHERE attribute_type(a, 'S')",
           "SELECT * FROM t WHERE attribute_exists(a) AND attribute_not_exists(b)",
           "SELECT * FROM t WHERE (a = 1 OR a = 2) AND b != 3",
           "SELECT * FROM t WHERE a['k'] = 1 AND \"b\"[0].c >= -2.5e3",
       }) {
    Ok(text);
  }
  Statement null = Ok("SELECT * FROM t WHERE a.b IS NOT NULL");
  EXPECT_EQ(null.where->kind, Expr::Kind::kIsNull);
  EXPECT_TRUE(null.where->negated);
  Statement s = Ok("SELECT * FROM t WHERE a NOT IN [1, 2]");
  EXPECT_EQ(s.where->kind, Expr::Kind::kNot);
  EXPECT_EQ(s.where->args[0].kind, Expr::Kind::kIn);
  EXPECT_EQ(s.where->args[0].args.size(), 3u);
}

TEST(PartiqlParser, Literals) {
  Statement s =
      Ok("INSERT INTO t VALUE {'pk': 'a', 'n': 1.50, 'b': TRUE, 'z': NULL, 'l': [1, 'x'], "
         "'m': {'k': FALSE}, 'ss': <<'a', 'b'>>, 'ns': <<1, 2>>, 'q': 'it''s'}");
  EXPECT_EQ(s.kind, Statement::Kind::kInsert);
  const Item& it = s.item;
  EXPECT_EQ(it.at("pk"), AttributeValue::S("a"));
  EXPECT_EQ(it.at("n"), AttributeValue::N("1.5"));
  EXPECT_EQ(it.at("b"), AttributeValue::Bool(true));
  EXPECT_EQ(it.at("z").type, AttrType::kNull);
  EXPECT_EQ(it.at("l").list.size(), 2u);
  EXPECT_EQ(it.at("m").map.at("k"), AttributeValue::Bool(false));
  EXPECT_EQ(it.at("ss"), AttributeValue::SS({"a", "b"}));
  EXPECT_EQ(it.at("ns"), AttributeValue::NS({"1", "2"}));
  EXPECT_EQ(it.at("q"), AttributeValue::S("it's"));
}

TEST(PartiqlParser, ParametersAreSubstitutedInOrder) {
  Statement s = Ok("INSERT INTO t VALUE {'pk': ?, 'v': [?, 1]}",
                   {AttributeValue::S("a"), AttributeValue::B("\x01")});
  EXPECT_EQ(s.item.at("pk"), AttributeValue::S("a"));
  EXPECT_EQ(s.item.at("v").list[0], AttributeValue::B("\x01"));
  Statement v = Ok("INSERT INTO t VALUE ?", {AttributeValue::M({{"pk", AttributeValue::S("x")}})});
  EXPECT_EQ(v.item.at("pk"), AttributeValue::S("x"));
}

TEST(PartiqlParser, ParameterCountMustMatch) {
  const std::string kMessage = "Number of parameters in request and statement don't match.";
  EXPECT_EQ(Fails("SELECT * FROM t WHERE a = ?"), kMessage);
  EXPECT_EQ(Fails("SELECT * FROM t", {AttributeValue::S("x")}), kMessage);
}

TEST(PartiqlParser, UpdateClausesAndReturning) {
  Statement s =
      Ok("UPDATE \"t\" SET a = 1 SET b = b + 1, c = list_append(c, [2]) REMOVE d, e.f "
         "SET g = set_add(g, <<'x'>>) WHERE pk = 'k' AND sk = 2 RETURNING MODIFIED NEW *");
  EXPECT_EQ(s.kind, Statement::Kind::kUpdate);
  ASSERT_EQ(s.sets.size(), 4u);
  EXPECT_EQ(s.sets[1].value.kind, Expr::Kind::kArith);
  EXPECT_EQ(s.sets[2].value.kind, Expr::Kind::kCall);
  EXPECT_EQ(s.sets[2].value.op, "list_append");
  EXPECT_EQ(s.removes.size(), 2u);
  EXPECT_EQ(s.returning, Returning::kModifiedNew);
  EXPECT_EQ(Ok("UPDATE t SET a = 1 WHERE pk = 'k' RETURNING ALL OLD *").returning,
            Returning::kAllOld);
  EXPECT_EQ(Ok("UPDATE t SET a = 1 WHERE pk = 'k' RETURNING all new *").returning,
            Returning::kAllNew);
  EXPECT_EQ(Ok("UPDATE t REMOVE a WHERE pk = 'k' RETURNING MODIFIED OLD *").returning,
            Returning::kModifiedOld);
}

TEST(PartiqlParser, DeleteAndExists) {
  Statement d = Ok("DELETE FROM t WHERE pk = 'a' RETURNING ALL OLD *");
  EXPECT_EQ(d.kind, Statement::Kind::kDelete);
  EXPECT_EQ(d.returning, Returning::kAllOld);
  Statement e = Ok("EXISTS(SELECT * FROM \"t\" WHERE pk = 'a' AND n > 1)");
  EXPECT_EQ(e.kind, Statement::Kind::kExists);
  EXPECT_EQ(e.table, "t");
  EXPECT_TRUE(e.where);
  EXPECT_NE(Fails("DELETE FROM t WHERE pk = 'a' RETURNING ALL NEW *"), "");
}

TEST(PartiqlParser, MalformedStatements) {
  const std::string kPrefix = "Statement wasn't well formed, can't be processed: ";
  for (const char* text : {
           "SELEC * FROM t",
           "SELECT * FROM",
           "SELECT * FROM t WHERE",
           "SELECT * FROM t WHERE a = 'x",
           "SELECT * FROM t WHERE a = 1 garbage",
           "INSERT INTO t VALUES {'a': 1}",
           "UPDATE t WHERE pk = 'a'",
           "DELETE t WHERE pk = 'a'",
           "SELECT * FROM t WHERE a = <<>>",
           "SELECT * FROM t WHERE a ; b",
       }) {
    std::string m = Fails(text);
    EXPECT_EQ(m.rfind(kPrefix, 0), 0u) << text << " -> " << m;
  }
  EXPECT_EQ(Fails("SELECT * FROM t WHERE a = 1 garbage"), kPrefix + "Unexpected token: garbage");
  EXPECT_EQ(Fails("SELECT * FROM"), kPrefix + "Unexpected end of statement");
}

TEST(PartiqlParser, BadLiterals) {
  EXPECT_NE(Fails("INSERT INTO t VALUE {'a': <<1, 'x'>>}"), "");
  EXPECT_NE(Fails("INSERT INTO t VALUE {'a': <<1, 1>>}"), "");
  EXPECT_NE(Fails("INSERT INTO t VALUE {'a': 1, 'a': 2}"), "");
  EXPECT_NE(Fails("INSERT INTO t VALUE {'a': b}"), "");
  EXPECT_NE(Fails("INSERT INTO t VALUE 'x'"), "");
  EXPECT_EQ(Fails("INSERT INTO t VALUE {'a': 1e999}"),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
}

TEST(PartiqlParser, DeepNestingIsRefused) {
  std::string text =
      "SELECT * FROM t WHERE " + std::string(500, '(') + "a = 1" + std::string(500, ')');
  EXPECT_NE(Fails(text), "");
  std::string list =
      "INSERT INTO t VALUE {'a': " + std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_NE(Fails(list), "");
}

}  // namespace
}  // namespace ddb::partiql
