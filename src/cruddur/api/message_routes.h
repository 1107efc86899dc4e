// The routes' work once the caller is authenticated (authenticate.h). Each
// returns the whole answer, errors included (error_mapping.h for the ones a
// route does not decide itself).
#pragma once

#include <string_view>

#include "cruddur/api/api_reply.h"
#include "cruddur/api/authenticate.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::api {

// GET /api/message_groups: the caller's conversations, newest first (pattern
// B), one page; 400 for bad paging parameters.
ApiReply ListConversationsRoute(messaging::MessageStore& store, const Caller& caller,
                                std::string_view query);

// GET /api/messages/{group}: one page of the conversation's messages, oldest
// to newest (pattern A); X-Next-Cursor leads to older ones. 404
// message_group_not_found alike for a malformed uuid, an unknown
// conversation and one the caller is not part of (the seed let anyone read
// any conversation, §10.6).
ApiReply ListMessagesRoute(messaging::MessageStore& store, const Caller& caller,
                           std::string_view group_uuid, std::string_view query);

// POST /api/messages (message_request.h for the body): create mode starts or
// reuses the conversation with the receiver (pattern C), update mode adds to
// the given one (pattern D; 404 if the caller is not part of it). 415 for a
// non-JSON Content-Type, 400 / 422 for the body, 404 user_receiver_not_found
// for an unknown handle (after the 422 checks, which include message_self).
ApiReply CreateMessageRoute(messaging::MessageStore& store, users::UsersDirectory& users,
                            const Caller& caller, std::string_view content_type,
                            std::string_view body);

// GET /api/users/@{handle}/short: {uuid, handle, display_name,
// message_group_uuid}: the caller's conversation with that user (the pair
// item, MessageStore::FindConversationWith), or null (none yet, or the
// caller's own handle); 404 user_not_found.
ApiReply UserShortRoute(messaging::MessageStore& store, users::UsersDirectory& users,
                        const Caller& caller, std::string_view handle);

}  // namespace cruddur::api
