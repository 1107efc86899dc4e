#include "cruddur/api/message_request.h"

#include <rapidjson/document.h>

#include "base/ascii.h"
#include "base/bounded_json.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/messaging/message_store.h"

namespace cruddur::api {
namespace {

// Validating UTF-8 (so stored text is always valid); ParseBoundedJson
// parses iteratively.
constexpr unsigned kParseFlags = rapidjson::kParseValidateEncodingFlag;

// The request is one flat object; a little room for clients that send
// extra structured members. Deeper input is refused while parsing, so it
// costs no more memory than its own bytes.
constexpr unsigned kMaxJsonDepth = 16;

// Reads an optional string member: true and `*out` set (empty when absent or
// null; `*present` says which), or false when it has another type.
bool OptionalString(const rapidjson::Value& object, const char* name, std::string* out,
                    bool* present = nullptr) {
  out->clear();
  if (present) *present = false;
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return true;
  if (!it->value.IsString()) return false;
  if (present) *present = true;
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return true;
}

}  // namespace

size_t CodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool IsJsonContentType(std::string_view content_type) {
  std::string media = base::AsciiLowercase(content_type.substr(0, content_type.find(';')));
  std::erase_if(media, [](char c) { return c == ' ' || c == '\t'; });
  if (media.empty() || media == "application/json") return true;
  return media.starts_with("application/") && media.ends_with("+json");
}

ParsedMessageRequest ParseMessageRequest(std::string_view body) {
  ParsedMessageRequest out;
  rapidjson::Document doc;
  base::JsonParseOutcome parsed = base::ParseBoundedJson<kParseFlags>(&doc, body, kMaxJsonDepth);
  if (!parsed.ok() || !doc.IsObject()) {
    out.bad_request.push_back(codes::kInvalidJson);
    return out;
  }
  MessageRequest& r = out.request;
  if (!OptionalString(doc, "message", &r.message)) {
    out.bad_request.push_back(codes::kMessageNotString);
  }
  if (!OptionalString(doc, "handle", &r.handle)) {
    out.bad_request.push_back(codes::kHandleNotString);
  }
  if (!OptionalString(doc, "message_group_uuid", &r.message_group_uuid, &r.update)) {
    out.bad_request.push_back(codes::kGroupUuidNotString);
  }
  if (!out.bad_request.empty()) return out;

  if (IsBlank(r.message)) out.invalid.push_back(codes::kMessageBlank);
  if (CodePoints(r.message) > messaging::kMaxMessageChars) {
    out.invalid.push_back(codes::kMessageTooLong);
  }
  if (r.update) {
    if (IsBlank(r.message_group_uuid)) out.invalid.push_back(codes::kGroupUuidBlank);
  } else if (IsBlank(r.handle)) {
    out.invalid.push_back(codes::kReceiverHandleBlank);
  }
  return out;
}

}  // namespace cruddur::api
