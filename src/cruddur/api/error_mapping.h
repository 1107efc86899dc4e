// How errors of the layers below (messaging, users, the AWS client) become
// API answers. Routes handle the errors whose meaning depends on the route
// (an unknown user is 401 for the caller, 404 for a receiver) before they
// fall back to this table:
//
//   messaging kNotAMember, kConversationNotFound  404 message_group_not_found
//   messaging kInvalidCursor                      400 invalid_cursor
//   messaging kInvalidArgument, users kInvalidUserInput
//                                                 400 invalid_argument
//   messaging kBlankMessage                       422 message_blank
//   messaging kMessageTooLong                     422 message_exceed_max_chars_1024
//   messaging kSelfConversation, users kSelfMessage
//                                                 422 message_self
//   users kUserNotFound                           404 user_not_found
//   messaging kSendContention                     503 conversation_busy
//   users kDatabaseUnavailable, kSchemaMissing    503 users_unavailable
//   DynamoDB ResourceNotFoundException (no table), and every error the AWS
//   client would retry (ConnectionError, TimeoutError, throttling, 5xx)
//                                                 503 messages_unavailable
//   messaging kNoRandomness, and anything else (a request we built wrong)
//                                                 500 internal_error
//
// The reply's log_error is the error's name (Error::Name()).
#pragma once

#include "base/error.h"
#include "cruddur/api/api_reply.h"

namespace cruddur::api {

ApiReply ReplyForError(const base::Error& error);

// True for the errors ReplyForError answers with 503.
bool IsUnavailable(const base::Error& error);

}  // namespace cruddur::api
