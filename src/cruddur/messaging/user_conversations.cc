#include "cruddur/messaging/user_conversations.h"

namespace cruddur::messaging {

Participant ParticipantOf(const users::User& user) {
  return {user.uuid, user.display_name, user.handle};
}

base::Result<SentMessage> StartConversationWithHandle(MessageStore& store,
                                                      users::UsersDirectory& users,
                                                      std::string_view sender_uuid,
                                                      std::string_view receiver_handle,
                                                      std::string_view text) {
  ASSIGN_OR_RETURN(users::User sender, users.FindByUuid(sender_uuid));
  ASSIGN_OR_RETURN(users::User receiver, users.FindByHandle(receiver_handle));
  return store.StartConversation(ParticipantOf(sender), ParticipantOf(receiver), text);
}

}  // namespace cruddur::messaging
