#include "cruddur/api/error_mapping.h"

#include "aws/retry.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"
#include "ddb/common/error.h"

namespace cruddur::api {
namespace {

bool IsUsersUnavailable(const base::Error& e) {
  return e.code == users::kDatabaseUnavailable || e.code == users::kSchemaMissing;
}

// The messages table is missing, its conversation too busy, or DynamoDB
// answered (or failed to answer) with an error worth retrying later.
bool IsMessagesUnavailable(const base::Error& e) {
  return e.code == ddb::ErrorCode::kResourceNotFound || e.code == messaging::kSendContention ||
         aws::IsRetryable(e);
}

ApiReply Logged(ApiReply reply, const base::Error& error) {
  reply.log_error = error.Name();
  return reply;
}

}  // namespace

bool IsUnavailable(const base::Error& error) {
  return IsUsersUnavailable(error) || IsMessagesUnavailable(error);
}

ApiReply ReplyForError(const base::Error& e) {
  const std::error_code t = e.code;
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
