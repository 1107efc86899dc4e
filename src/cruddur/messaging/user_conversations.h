// Pattern C as the app and the tools call it: by the receiver's handle, with
// both users looked up in the users directory.
#pragma once

#include <string_view>

#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::messaging {

// The users directory's view of a user, as a message participant.
Participant ParticipantOf(const users::User& user);

// `sender_uuid` writes `text` to the user with `receiver_handle`, reusing
// their conversation if they have one (MessageStore::StartConversation).
// Errors: users::kUserNotFound naming the missing user, kSelfConversation,
// and MessageStore's.
base::Result<SentMessage> StartConversationWithHandle(MessageStore& store,
                                                      users::UsersDirectory& users,
                                                      std::string_view sender_uuid,
                                                      std::string_view receiver_handle,
                                                      std::string_view text);

}  // namespace cruddur::messaging
