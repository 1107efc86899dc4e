// The JSON bodies the API sends, in the seed's shapes with docs/DESIGN.md
// §10.4 fixed: a message's "uuid" is the message's own uuid. Every
// "created_at" is ISO 8601 with an explicit offset (messaging's fixed
// format, YYYY-MM-DDTHH:MM:SS.ffffff+00:00).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::api {

// GET /api/message_groups:
// [{uuid: message_group_uuid, display_name, handle (the other participant),
//   message (the last one), created_at (of the last message)}]
std::string ConversationsJson(const std::vector<messaging::Conversation>& conversations);

// GET /api/messages/{uuid}: [{uuid (the message's), display_name, handle
// (the sender), message, created_at}]
std::string MessagesJson(const std::vector<messaging::Message>& messages);

// POST /api/messages: one message as above plus message_group_uuid.
std::string SentMessageJson(const messaging::SentMessage& sent);

// GET /api/users/@{handle}/short: {uuid, handle, display_name,
// message_group_uuid} (the caller's conversation with the user, or null).
std::string UserShortJson(const users::User& user,
                          const std::optional<std::string>& message_group_uuid);

// {"errors": [codes...]}
std::string ErrorsJson(std::span<const std::string_view> codes);

}  // namespace cruddur::api
