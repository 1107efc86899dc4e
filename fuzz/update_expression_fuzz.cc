// libFuzzer target: UpdateExpression text through ddb::expr::ParseUpdate
// with the placeholders of expr_fixture.h, then what UpdateItem does with
// it: the updated paths, and ApplyUpdate to copies of a few items (and to
// "no item"). Oracle besides the sanitizers: an update that applies leaves
// an item that round-trips through DynamoDB JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ddb/expr/ast.h"
#include "ddb/expr/expression.h"
#include "expr_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const fuzz::ExprFixture& fx = fuzz::Fixture();
  ddb::expr::ExpressionContext ctx = fx.Context();
  auto update = ddb::expr::ParseUpdate(text, ctx);
  if (!update.ok()) return 0;
  (void)ctx.CheckAllUsed();
  (void)ddb::expr::UpdatedPaths(*update.value());
  for (const ddb::Item& original : fx.items) {
    ddb::Item item = original;
    if (ddb::expr::ApplyUpdate(*update.value(), item).ok()) fuzz::CheckRoundTrip(item);
  }
  return 0;
}
