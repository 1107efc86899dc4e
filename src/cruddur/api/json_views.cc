#include "cruddur/api/json_views.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace cruddur::api {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Field(Writer& w, std::string_view name, std::string_view value) {
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void MessageFields(Writer& w, const messaging::Message& m) {
  Field(w, "uuid", m.uuid);
  Field(w, "display_name", m.sender.display_name);
  Field(w, "handle", m.sender.handle);
  Field(w, "message", m.message);
  Field(w, "created_at", m.created_at);
}

std::string Text(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string ConversationsJson(const std::vector<messaging::Conversation>& conversations) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  for (const auto& c : conversations) {
    w.StartObject();
    Field(w, "uuid", c.message_group_uuid);
    Field(w, "display_name", c.other.display_name);
    Field(w, "handle", c.other.handle);
    Field(w, "message", c.message);
    Field(w, "created_at", c.created_at);
    w.EndObject();
  }
  w.EndArray();
  return Text(buffer);
}

std::string MessagesJson(const std::vector<messaging::Message>& messages) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartArray();
  for (const auto& m : messages) {
    w.StartObject();
    MessageFields(w, m);
    w.EndObject();
  }
  w.EndArray();
  return Text(buffer);
}

std::string SentMessageJson(const messaging::SentMessage& sent) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  MessageFields(w, sent.message);
  Field(w, "message_group_uuid", sent.message_group_uuid);
  w.EndObject();
  return Text(buffer);
}

std::string UserShortJson(const users::User& user,
                          const std::optional<std::string>& message_group_uuid) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Field(w, "uuid", user.uuid);
  Field(w, "handle", user.handle);
  Field(w, "display_name", user.display_name);
  if (message_group_uuid) {
    Field(w, "message_group_uuid", *message_group_uuid);
  } else {
    w.Key("message_group_uuid");
    w.Null();
  }
  w.EndObject();
  return Text(buffer);
}

std::string ErrorsJson(std::span<const std::string_view> codes) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("errors");
  w.StartArray();
  for (std::string_view code : codes) {
    w.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  }
  w.EndArray();
  w.EndObject();
  return Text(buffer);
}

}  // namespace cruddur::api
