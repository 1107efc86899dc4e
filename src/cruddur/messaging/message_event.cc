#include "cruddur/messaging/message_event.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string_view>

#include "cruddur/messaging/item_json.h"
#include "cruddur/messaging/timestamp.h"

namespace cruddur::messaging {
namespace {

constexpr std::string_view kMessagePrefix = "MSG#";
constexpr std::string_view kInboxPrefix = "GRP#";

}  // namespace

std::optional<MessageEvent> MessageEventFromImage(const rapidjson::Value& image) {
  const std::string pk = json::GetS(image, "pk");
  if (!pk.starts_with(kMessagePrefix)) return std::nullopt;
  MessageEvent e;
  e.message_group_uuid = pk.substr(kMessagePrefix.size());
  e.uuid = json::GetS(image, "message_uuid");
  e.handle = json::GetS(image, "user_handle");
  e.display_name = json::GetS(image, "user_display_name");
  e.message = json::GetS(image, "message");
  e.sender_uuid = json::GetS(image, "user_uuid");
  const std::string sk = json::GetS(image, "sk");
  auto normalized = NormalizeTimestamp(sk);
  e.created_at = normalized.ok() ? *normalized : sk;
  if (e.message_group_uuid.empty() || e.uuid.empty() || sk.empty()) return std::nullopt;
  return e;
}

std::optional<Membership> MembershipFromImage(const rapidjson::Value& image) {
  const std::string pk = json::GetS(image, "pk");
  if (!pk.starts_with(kInboxPrefix)) return std::nullopt;
  Membership m{json::GetS(image, "message_group_uuid"), pk.substr(kInboxPrefix.size())};
  if (m.message_group_uuid.empty() || m.user_uuid.empty()) return std::nullopt;
  return m;
}

std::string MessageEventJson(const MessageEvent& e) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto put = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  put("message_group_uuid", e.message_group_uuid);
  put("uuid", e.uuid);
  put("handle", e.handle);
  put("display_name", e.display_name);
  put("message", e.message);
  put("created_at", e.created_at);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace cruddur::messaging
