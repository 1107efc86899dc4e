#include "cruddur/messaging/cursor.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "base/base64.h"
#include "base/bounded_json.h"

namespace cruddur::messaging {
namespace {

base::Error Invalid(std::string why) { return {kInvalidCursor, "invalid cursor: " + why}; }

}  // namespace

std::string EncodeCursor(const rapidjson::Value& key) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  key.Accept(w);
  return base::Base64UrlEncode(std::string_view(buf.GetString(), buf.GetSize()));
}

base::Result<rapidjson::Document> DecodeCursor(std::string_view cursor,
                                               std::initializer_list<std::string_view> attributes,
                                               std::string_view partition_attribute,
                                               std::string_view partition_value) {
  if (cursor.empty()) return Invalid("empty");
  if (cursor.size() > kMaxCursorLength) return Invalid("too long");
  std::optional<std::string> json = base::Base64UrlDecode(cursor);
  if (!json) return Invalid("not base64url");
  // The cursor comes from the client: a key is two levels deep, so the
  // parse is bounded well before a hostile one could cost stack or memory.
  rapidjson::Document doc;
  if (!base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&doc, *json, 8).ok() ||
      !doc.IsObject()) {
    return Invalid("not a key");
  }
  if (doc.MemberCount() != attributes.size()) return Invalid("not a key of this listing");
  for (const auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(attributes.begin(), attributes.end(), name) == attributes.end()) {
      return Invalid("not a key of this listing");
    }
    if (!m.value.IsObject() || m.value.MemberCount() != 1 || !m.value.HasMember("S") ||
        !m.value["S"].IsString() || m.value["S"].GetStringLength() == 0) {
      return Invalid("not a key of this listing");
    }
  }
  for (std::string_view a : attributes) {
    if (!doc.HasMember(std::string(a))) {
      return Invalid("not a key of this listing");
    }
  }
  const auto& pv = doc[std::string(partition_attribute)];
  if (std::string_view(pv["S"].GetString(), pv["S"].GetStringLength()) != partition_value) {
    return Invalid("it belongs to another listing");
  }
  return doc;
}

}  // namespace cruddur::messaging
