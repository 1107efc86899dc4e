// Small helpers for DynamoDB JSON requests and items (internal to messaging).
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace cruddur::messaging::json {

using Alloc = rapidjson::Document::AllocatorType;

inline rapidjson::Value Str(std::string_view s, Alloc& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

// obj[name] = value (name copied).
inline void Set(rapidjson::Value& obj, std::string_view name, rapidjson::Value value, Alloc& a) {
  obj.AddMember(Str(name, a), value, a);
}
inline void SetString(rapidjson::Value& obj, std::string_view name, std::string_view v, Alloc& a) {
  Set(obj, name, Str(v, a), a);
}
// obj[name] = {"S": v}
inline void SetS(rapidjson::Value& obj, std::string_view name, std::string_view v, Alloc& a) {
  rapidjson::Value av(rapidjson::kObjectType);
  av.AddMember("S", Str(v, a), a);
  Set(obj, name, std::move(av), a);
}

// value["S"] of an attribute value, or "" when it is not a string.
inline std::string S(const rapidjson::Value& value) {
  if (!value.IsObject()) return {};
  auto s = value.FindMember("S");
  if (s == value.MemberEnd() || !s->value.IsString()) return {};
  return std::string(s->value.GetString(), s->value.GetStringLength());
}

// item[name]["S"], or "" when absent or not a string.
inline std::string GetS(const rapidjson::Value& item, const char* name) {
  if (!item.IsObject()) return {};
  auto it = item.FindMember(name);
  if (it == item.MemberEnd()) return {};
  return S(it->value);
}

inline std::string ToString(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

// ConsumedCapacity.CapacityUnits of a response, 0 if absent.
inline double CapacityUnits(const rapidjson::Value& response) {
  if (!response.IsObject()) return 0;
  auto it = response.FindMember("ConsumedCapacity");
  if (it == response.MemberEnd()) return 0;
  const rapidjson::Value& cc = it->value;
  if (cc.IsArray()) {
    double sum = 0;
    for (const auto& e : cc.GetArray()) {
      if (e.IsObject() && e.HasMember("CapacityUnits") && e["CapacityUnits"].IsNumber()) {
        sum += e["CapacityUnits"].GetDouble();
      }
    }
    return sum;
  }
  if (cc.IsObject() && cc.HasMember("CapacityUnits") && cc["CapacityUnits"].IsNumber()) {
    return cc["CapacityUnits"].GetDouble();
  }
  return 0;
}

}  // namespace cruddur::messaging::json
