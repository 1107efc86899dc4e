#include "ddb/partiql/json_value.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ddb/model/json_codec.h"

namespace ddb::partiql {
namespace {

// Encodes with the model's codec and parses the text back: one encoder of
// DynamoDB JSON in the code base.
template <typename Encode>
rapidjson::Value Reparse(Encode encode, Allocator& alloc) {
  rapidjson::StringBuffer b;
  JsonWriter w(b);
  encode(w);
  rapidjson::Document d(&alloc);
  d.Parse(b.GetString(), b.GetSize());
  return rapidjson::Value(d, alloc);
}

}  // namespace

rapidjson::Value JsonString(std::string_view s, Allocator& alloc) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

rapidjson::Value JsonAttributeValue(const AttributeValue& v, Allocator& alloc) {
  return Reparse([&](JsonWriter& w) { EncodeAttributeValue(v, w); }, alloc);
}

rapidjson::Value JsonItem(const Item& item, Allocator& alloc) {
  return Reparse([&](JsonWriter& w) { EncodeItem(item, w); }, alloc);
}

}  // namespace ddb::partiql
