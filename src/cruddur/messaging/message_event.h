// MessageEvent: a message as the live-update stream (GET /api/events) sends
// it, read from a DynamoDB stream record's NewImage; and the conversation
// membership an inbox item's image reveals. Pure functions over item JSON.
//
// Item layout (message_store.h): a message item has pk = MSG#<group>,
// sk = its creation time, message_uuid, message, user_uuid,
// user_display_name, user_handle (the sender); an inbox item has
// pk = GRP#<owner uuid> and message_group_uuid.
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace cruddur::messaging {

struct MessageEvent {
  std::string message_group_uuid;
  std::string uuid;  // message_uuid
  std::string handle;
  std::string display_name;
  std::string message;
  std::string created_at;   // fixed format (timestamp.h), from sk
  std::string sender_uuid;  // user_uuid: a member of the group (not sent)
};

// One participant of a group, from an inbox item.
struct Membership {
  std::string message_group_uuid;
  std::string user_uuid;
};

// The event of a message item's image (DynamoDB JSON: {"pk": {"S": ...}}),
// or nullopt for any other item or a message item missing a field.
std::optional<MessageEvent> MessageEventFromImage(const rapidjson::Value& image);

// The membership an inbox item's image records, or nullopt.
std::optional<Membership> MembershipFromImage(const rapidjson::Value& image);

// The event's `data:` JSON, one line: {"message_group_uuid", "uuid",
// "handle", "display_name", "message", "created_at"} (the message as GET
// /api/messages/{uuid} shows it, plus its group).
std::string MessageEventJson(const MessageEvent& event);

}  // namespace cruddur::messaging
