// libFuzzer target: a DynamoDB request body as the server parses it
// (ddb::protocol::ParseRequestBody, with its depth limit), then the
// AttributeValue / Item decoder (ddb/model/json_codec.h) on every object of
// the request down to a few levels, as the engine reads Item, Key,
// ExpressionAttributeValues, TransactItems[].Put.Item and the like. Oracle
// besides the sanitizers: whatever decodes re-encodes to JSON that decodes
// to an equal value.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/model/json_codec.h"
#include "ddb/protocol/dynamodb_json.h"
#include "fuzz_check.h"

namespace {

constexpr unsigned kReparseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

void RoundTripItem(const ddb::Item& item) {
  std::string json = ddb::ItemToJson(item);
  rapidjson::Document doc;
  doc.Parse<kReparseFlags>(json.data(), json.size());
  FUZZ_CHECK(!doc.HasParseError());
  auto again = ddb::DecodeItem(doc);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value() == item);
}

void RoundTripValue(const ddb::AttributeValue& value) {
  rapidjson::StringBuffer buffer;
  ddb::JsonWriter writer(buffer);
  ddb::EncodeAttributeValue(value, writer);
  rapidjson::Document doc;
  doc.Parse<kReparseFlags>(buffer.GetString(), buffer.GetSize());
  FUZZ_CHECK(!doc.HasParseError());
  auto again = ddb::DecodeAttributeValue(doc);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value() == value);
}

// Decodes every object down to `depth` levels below `v` both ways.
void Walk(const rapidjson::Value& v, int depth) {
  if (v.IsObject()) {
    if (auto item = ddb::DecodeItem(v); item.ok()) RoundTripItem(item.value());
    if (auto value = ddb::DecodeAttributeValue(v); value.ok()) RoundTripValue(value.value());
    if (depth == 0) return;
    for (const auto& m : v.GetObject()) Walk(m.value, depth - 1);
  } else if (v.IsArray() && depth > 0) {
    for (const auto& e : v.GetArray()) Walk(e, depth - 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // The X-Amz-Target check reads a header; any bytes may arrive there.
  (void)ddb::protocol::ParseServiceTarget(body);
  ddb::protocol::RequestDocument doc;
  if (!ddb::protocol::ParseRequestBody(std::string(body), &doc).ok()) return 0;
  Walk(doc, 6);
  return 0;
}
