#include "aws/error_response.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

namespace aws {

ddb::Error ParseErrorResponse(int http_status, std::span<const Header> headers,
                              std::string_view body) {
  ddb::Error e;
  e.http_status = http_status;
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  bool is_object = !doc.HasParseError() && doc.IsObject();

  std::string full_type;
  if (is_object && doc.HasMember("__type") && doc["__type"].IsString()) {
    full_type = doc["__type"].GetString();
  }
  if (!full_type.empty()) {
    size_t hash = full_type.rfind('#');
    if (hash == std::string::npos) {
      e.type = full_type;
    } else {
      e.type = full_type.substr(hash + 1);
      e.type_namespace = full_type.substr(0, hash);
    }
  } else if (auto header = FindHeader(headers, "x-amzn-ErrorType"); header && !header->empty()) {
    e.type = std::string(header->substr(0, header->find(':')));
  } else {
    e.type = std::to_string(http_status);
  }

  if (!is_object) {
    e.message = std::string(body.substr(0, 200));
    return e;
  }
  rapidjson::StringBuffer extra;
  bool first = true;
  bool have_message = false;
  for (auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name == "__type") continue;
    if (!have_message && (name == "message" || name == "Message" || name == "errorMessage") &&
        m.value.IsString()) {
      e.message.assign(m.value.GetString(), m.value.GetStringLength());
      have_message = true;
      continue;
    }
    if (!first) extra.Put(',');
    first = false;
    // A one-member writer per member keeps the output free of braces.
    rapidjson::StringBuffer member;
    rapidjson::Writer<rapidjson::StringBuffer> mw(member);
    mw.StartObject();
    mw.Key(m.name.GetString(), m.name.GetStringLength());
    m.value.Accept(mw);
    mw.EndObject();
    std::string_view text(member.GetString(), member.GetSize());
    text.remove_prefix(1);
    text.remove_suffix(1);
    for (char c : text) extra.Put(c);
  }
  e.extra_json.assign(extra.GetString(), extra.GetSize());
  return e;
}

}  // namespace aws
