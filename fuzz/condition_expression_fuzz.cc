// libFuzzer target: ConditionExpression / FilterExpression text through
// ddb::expr::ParseCondition (both passes: syntax and resolver) with the
// placeholders of expr_fixture.h, then what the engine does with a parsed
// condition: the names it reads, evaluation against a few items (and "no
// item"), and the unused-placeholder check.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "ddb/expr/ast.h"
#include "ddb/expr/expression.h"
#include "expr_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::ExprFixture& fx = fuzz::Fixture();
  ddb::expr::ExpressionContext ctx = fx.Context();
  auto cond = ddb::expr::ParseCondition(text, "ConditionExpression", ctx);
  if (!cond.ok()) return 0;
  (void)ctx.CheckAllUsed();
  std::set<std::string> names;
  ddb::expr::CollectTopLevelNames(*cond.value(), &names);
  for (const ddb::Item& item : fx.items) (void)ddb::expr::Evaluate(*cond.value(), item);
  return 0;
}
