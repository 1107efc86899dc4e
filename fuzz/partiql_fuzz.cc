// libFuzzer target: PartiQL statement text (ExecuteStatement's Statement)
// through ddb::partiql::Parse, with as many `?` parameters as the text has
// question marks (strings and numbers in turn), then the translation the
// engine would run it as, against a table with a hash and range key and one
// index. A statement may be refused; nothing may crash, hang or grow without
// bound.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/model/attribute_value.h"
#include "ddb/partiql/parser.h"
#include "ddb/partiql/translate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // ExecuteStatement's Statement is at most 8192 characters.
  if (size > 8192) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<ddb::AttributeValue> params;
  for (char c : text) {
    if (c != '?') continue;
    params.push_back(params.size() % 2 == 0 ? ddb::AttributeValue::S("a")
                                            : ddb::AttributeValue::N("1"));
  }
  auto statement = ddb::partiql::Parse(text, params);
  if (!statement.ok()) return 0;
  ddb::partiql::TableKeys keys;
  keys.table.hash = "pk";
  keys.table.range = "sk";
  keys.table.range_type = ddb::AttrType::kN;
  keys.indexes["gsi"].hash = "g";
  ddb::partiql::KeyNames& multi = keys.indexes["multi"];  // a multi-attribute key
  multi.hash = "t";
  multi.more_hash.push_back({"r", ddb::AttrType::kS});
  multi.range = "n";
  multi.range_type = ddb::AttrType::kN;
  multi.more_range.push_back({"b", ddb::AttrType::kS});
  const ddb::partiql::Statement& s = statement.value();
  if (s.is_read()) {
    (void)ddb::partiql::TranslateSelect(s, keys);
    (void)ddb::partiql::TranslateSelectAll(s, keys);
    (void)ddb::partiql::TranslateGet(s, keys);
  } else {
    (void)ddb::partiql::TranslateWrite(s, keys);
  }
  return 0;
}
