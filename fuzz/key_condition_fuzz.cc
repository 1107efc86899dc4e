// libFuzzer target: KeyConditionExpression text through
// ddb::expr::ParseKeyCondition with the placeholders of expr_fixture.h, then
// NormalizeKeyCondition as Query does with the table's hash key name.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ddb/expr/expression.h"
#include "expr_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::ExprFixture& fx = fuzz::Fixture();
  ddb::expr::ExpressionContext ctx = fx.Context();
  auto kc = ddb::expr::ParseKeyCondition(text, ctx);
  if (!kc.ok()) return 0;
  (void)ctx.CheckAllUsed();
  ddb::expr::KeyCondition swapped = kc.value();
  ddb::expr::NormalizeKeyCondition(kc.value(), "pk");
  ddb::expr::NormalizeKeyCondition(swapped, swapped.sort ? swapped.sort->name : "sk");
  return 0;
}
