// libFuzzer target: the legacy (pre-expression) request parameters through
// the translators of ddb/expr/legacy.h. The input is a request body (JSON
// object); its Expected, QueryFilter, ScanFilter (each with
// ConditionalOperator), KeyConditions, AttributeUpdates and AttributesToGet
// members are translated, and what translates is evaluated, applied or
// projected on the items of expr_fixture.h.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>

#include "ddb/expr/ast.h"
#include "ddb/expr/expression.h"
#include "ddb/expr/legacy.h"
#include "expr_fixture.h"

namespace {

const rapidjson::Value* Member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

void EvaluateAll(const base::Result<ddb::expr::Condition>& cond) {
  if (!cond.ok()) return;
  for (const ddb::Item& item : fuzz::Fixture().items)
    (void)ddb::expr::Evaluate(*cond.value(), item);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rapidjson::Document doc;
  // Iterative and depth-bounded by the input size, as the server parses.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(
      reinterpret_cast<const char*>(data), size);
  if (doc.HasParseError() || !doc.IsObject()) return 0;
  const rapidjson::Value* op = Member(doc, "ConditionalOperator");
  for (const char* name : {"Expected", "QueryFilter", "ScanFilter"}) {
    const rapidjson::Value* v = Member(doc, name);
    if (v == nullptr) continue;
    EvaluateAll(name[0] == 'E' ? ddb::expr::TranslateExpected(*v, op)
                               : ddb::expr::TranslateFilter(*v, op));
  }
  if (const rapidjson::Value* v = Member(doc, "KeyConditions")) {
    auto kc = ddb::expr::TranslateKeyConditions(*v);
    if (kc.ok()) ddb::expr::NormalizeKeyCondition(kc.value(), "pk");
  }
  if (const rapidjson::Value* v = Member(doc, "AttributeUpdates")) {
    auto update = ddb::expr::TranslateAttributeUpdates(*v);
    if (update.ok()) {
      for (const ddb::Item& original : fuzz::Fixture().items) {
        ddb::Item item = original;
        if (ddb::expr::ApplyUpdate(*update.value(), item).ok()) fuzz::CheckRoundTrip(item);
      }
    }
  }
  if (const rapidjson::Value* v = Member(doc, "AttributesToGet")) {
    auto projection = ddb::expr::TranslateAttributesToGet(*v);
    if (projection.ok()) {
      for (const ddb::Item& item : fuzz::Fixture().items) {
        fuzz::CheckRoundTrip(ddb::expr::Project(projection.value(), item));
      }
    }
  }
  return 0;
}
