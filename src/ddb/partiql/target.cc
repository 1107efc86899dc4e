#include "ddb/partiql/target.h"

#include "ddb/partiql/lexer.h"
#include "ddb/partiql/parser.h"

namespace ddb::partiql {

std::optional<StatementTarget> TargetOf(std::string_view text) {
  auto tokens = Lex(text);
  if (!tokens.ok()) return std::nullopt;
  // The parameters' values do not matter for the table: parse with a NULL
  // or, for INSERT ... VALUE ?, an empty map standing in for each.
  size_t n = 0;
  for (const Token& t : *tokens) n += t.kind == Token::Kind::kParam;
  for (const AttributeValue& stand_in : {AttributeValue::Null(), AttributeValue::M({})}) {
    auto s = Parse(text, std::vector<AttributeValue>(n, stand_in));
    if (!s.ok()) continue;
    StatementTarget t;
    t.table = s->table;
    t.read_only = s->kind == Statement::Kind::kSelect || s->kind == Statement::Kind::kExists;
    return t;
  }
  return std::nullopt;
}

}  // namespace ddb::partiql
