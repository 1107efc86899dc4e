// libFuzzer target: ProjectionExpression text through
// ddb::expr::ParseProjection with the placeholders of expr_fixture.h, then
// Project on a few items. Oracle besides the sanitizers: a projection is an
// item that round-trips through DynamoDB JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ddb/expr/expression.h"
#include "expr_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::ExprFixture& fx = fuzz::Fixture();
  ddb::expr::ExpressionContext ctx = fx.Context();
  auto projection = ddb::expr::ParseProjection(text, ctx);
  if (!projection.ok()) return 0;
  (void)ctx.CheckAllUsed();
  for (const ddb::Item& item : fx.items) {
    fuzz::CheckRoundTrip(ddb::expr::Project(projection.value(), item));
  }
  return 0;
}
