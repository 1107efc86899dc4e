#include "cruddur/api/error_mapping.h"

#include "aws/retry.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::api {
namespace {

bool IsUsersUnavailable(const ddb::Error& e) {
  return e.type == users::kDatabaseUnavailable || e.type == users::kSchemaMissing;
}

// The AWS client's retry classification also counts any HTTP 5xx, which
// the users layer's own 500 (kDatabaseError: a query we got wrong) and the
// messaging layer's failed CSPRNG (kNoRandomness) are not.
bool IsMessagesUnavailable(const ddb::Error& e) {
  if (e.type == users::kDatabaseError || e.type == messaging::kNoRandomness) return false;
  return e.type == "ResourceNotFoundException" || e.type == messaging::kSendContention ||
         aws::IsRetryable(e);
}

ApiReply Logged(ApiReply reply, const ddb::Error& error) {
  reply.log_error = error.type;
  return reply;
}

}  // namespace

bool IsUnavailable(const ddb::Error& error) {
  return IsUsersUnavailable(error) || IsMessagesUnavailable(error);
}

ApiReply ReplyForError(const ddb::Error& e) {
  const auto& t = e.type;
  if (t == messaging::kNotAMember || t == messaging::kConversationNotFound) {
    return Logged(ErrorReply(404, {codes::kConversationNotFound}), e);
  }
  if (t == messaging::kInvalidCursor) return Logged(ErrorReply(400, {codes::kInvalidCursor}), e);
  if (t == messaging::kInvalidArgument || t == users::kInvalidUserInput) {
    return Logged(ErrorReply(400, {codes::kInvalidArgument}), e);
  }
  if (t == messaging::kBlankMessage) return Logged(ErrorReply(422, {codes::kMessageBlank}), e);
  if (t == messaging::kMessageTooLong) {
    return Logged(ErrorReply(422, {codes::kMessageTooLong}), e);
  }
  if (t == messaging::kSelfConversation || t == users::kSelfMessage) {
    return Logged(ErrorReply(422, {codes::kMessageSelf}), e);
  }
  if (t == users::kUserNotFound) return Logged(ErrorReply(404, {codes::kUserNotFound}), e);
  if (t == messaging::kSendContention) return Logged(ErrorReply(503, {codes::kBusy}), e);
  if (IsUsersUnavailable(e)) return Logged(ErrorReply(503, {codes::kUsersUnavailable}), e);
  if (IsMessagesUnavailable(e)) return Logged(ErrorReply(503, {codes::kMessagesUnavailable}), e);
  return Logged(ErrorReply(500, {codes::kInternal}), e);
}

}  // namespace cruddur::api
