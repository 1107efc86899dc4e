#include "cruddur/messaging/cursor.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace cruddur::messaging {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

ddb::Error Invalid(std::string why) {
  ddb::Error e;
  e.type = std::string(kInvalidCursor);
  e.message = "invalid cursor: " + why;
  e.http_status = 400;
  return e;
}

}  // namespace

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = uint8_t(in[i]) << 16 | uint8_t(in[i + 1]) << 8 | uint8_t(in[i + 2]);
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
  } else if (i + 2 == in.size()) {
    const uint32_t v = uint8_t(in[i]) << 16 | uint8_t(in[i + 1]) << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  if (text.size() % 4 == 1) return false;
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = Value(c);
    if (v < 0) return false;
    acc = acc << 6 | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(char(acc >> bits & 0xff));
    }
  }
  // Leftover bits must be zero (canonical encoding only).
  return (acc & ((1u << bits) - 1)) == 0;
}

std::string EncodeCursor(const rapidjson::Value& key) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  key.Accept(w);
  return Base64UrlEncode(std::string_view(buf.GetString(), buf.GetSize()));
}

ddb::Result<rapidjson::Document> DecodeCursor(std::string_view cursor,
                                              std::initializer_list<std::string_view> attributes,
                                              std::string_view partition_attribute,
                                              std::string_view partition_value) {
  if (cursor.empty()) return Invalid("empty");
  if (cursor.size() > kMaxCursorLength) return Invalid("too long");
  std::string json;
  if (!Base64UrlDecode(cursor, &json)) return Invalid("not base64url");
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return Invalid("not a key");
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
