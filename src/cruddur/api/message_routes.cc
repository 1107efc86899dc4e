#include "cruddur/api/message_routes.h"

#include "base/uuid.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/api/error_mapping.h"
#include "cruddur/api/json_views.h"
#include "cruddur/api/message_request.h"
#include "cruddur/api/page_params.h"
#include "cruddur/messaging/user_conversations.h"

namespace cruddur::api {
namespace {

ApiReply ConversationNotFound(std::string_view log_error = {}) {
  ApiReply reply = ErrorReply(404, {codes::kConversationNotFound});
  reply.log_error = std::string(log_error);
  return reply;
}

// Users the receiver lookup cannot find: nobody has the handle, or no user
// could (the directory refuses it as a field).
bool IsNoSuchUser(const base::Error& e) {
  return e.code == users::kUserNotFound || e.code == users::kInvalidUserInput;
}

ApiReply Sent(const base::Result<messaging::SentMessage>& sent) {
  if (!sent.ok()) return ReplyForError(sent.error());
  ApiReply reply = JsonReply(SentMessageJson(*sent));
  reply.log_transactions = sent->attempts;
  return reply;
}

}  // namespace

ApiReply ListConversationsRoute(messaging::MessageStore& store, const Caller& caller,
                                std::string_view query) {
  auto params = ParsePageParams(query);
  if (!params.ok()) return params.error();
  auto page = store.ListConversations(caller.user_uuid, params->limit, params->cursor);
  if (!page.ok()) return ReplyForError(page.error());
  ApiReply reply = JsonReply(ConversationsJson(page->conversations));
  reply.next_cursor = std::move(page->next_cursor);
  return reply;
}

ApiReply ListMessagesRoute(messaging::MessageStore& store, const Caller& caller,
                           std::string_view group_uuid, std::string_view query) {
  auto params = ParsePageParams(query);
  if (!params.ok()) return params.error();
  if (!base::IsUuid(group_uuid)) return ConversationNotFound();
  base::Status member = store.CheckMember(group_uuid, caller.user_uuid);
  if (!member.ok()) return ReplyForError(member.error());
  auto page = store.ListMessages(group_uuid, params->limit, params->cursor);
  if (!page.ok()) {
    if (page.error().code == messaging::kInvalidArgument) {
      return ConversationNotFound(page.error().Name());
    }
    return ReplyForError(page.error());
  }
  ApiReply reply = JsonReply(MessagesJson(page->messages));
  reply.next_cursor = std::move(page->older_cursor);
  return reply;
}

ApiReply CreateMessageRoute(messaging::MessageStore& store, users::UsersDirectory& users,
                            const Caller& caller, std::string_view content_type,
                            std::string_view body) {
  if (!IsJsonContentType(content_type)) return ErrorReply(415, {codes::kUnsupportedMediaType});
  ParsedMessageRequest parsed = ParseMessageRequest(body);
  if (!parsed.bad_request.empty()) return ErrorReply(400, parsed.bad_request);
  const MessageRequest& r = parsed.request;
  std::vector<std::string_view>& invalid = parsed.invalid;

  if (r.update) {
    if (!invalid.empty()) return ErrorReply(422, invalid);
    if (!base::IsUuid(r.message_group_uuid)) return ConversationNotFound();
    auto me = users.FindByUuid(caller.user_uuid);
    if (!me.ok()) {
      if (me.error().code != users::kUserNotFound) return ReplyForError(me.error());
      ApiReply reply = Unauthorized();  // the caller's row went away since Authenticate
      reply.log_error = me.error().Name();
      return reply;
    }
    return Sent(store.SendMessage(r.message_group_uuid, messaging::ParticipantOf(*me), r.message));
  }

  // Create mode. The lookup runs even when the text is invalid, so that
  // message_self is reported together with the other problems.
  std::optional<users::MessageUsers> participants;
  bool receiver_missing = false;
  if (!IsBlank(r.handle)) {
    auto found = users.FindMessageUsers(caller.cognito_user_id, r.handle);
    if (found.ok()) {
      participants = std::move(found).value();
    } else if (found.error().code == users::kSelfMessage) {
      invalid.push_back(codes::kMessageSelf);
    } else if (IsNoSuchUser(found.error())) {
      receiver_missing = true;
    } else {
      return ReplyForError(found.error());
    }
  }
  if (!invalid.empty()) return ErrorReply(422, invalid);
  if (receiver_missing || !participants) return ErrorReply(404, {codes::kReceiverNotFound});
  return Sent(store.StartConversation(messaging::ParticipantOf(participants->sender),
                                      messaging::ParticipantOf(participants->receiver), r.message));
}

ApiReply UserShortRoute(messaging::MessageStore& store, users::UsersDirectory& users,
                        const Caller& caller, std::string_view handle) {
  auto user = users.FindByHandle(handle);
  if (!user.ok()) {
    if (!IsNoSuchUser(user.error())) return ReplyForError(user.error());
    ApiReply reply = ErrorReply(404, {codes::kUserNotFound});
    reply.log_error = user.error().Name();
    return reply;
  }
  // The conversation is a convenience for the web app (go to it instead of
  // starting one; sending by handle reuses it anyway): with DynamoDB down the
  // user card is still answered, with null, and the failure is logged.
  std::optional<std::string> group;
  std::string lookup_error;
  if (user->uuid != caller.user_uuid) {
    auto found = store.FindConversationWith(caller.user_uuid, user->uuid);
    if (found.ok()) {
      group = std::move(found).value();
    } else {
      lookup_error = found.error().Name();
    }
  }
  ApiReply reply = JsonReply(UserShortJson(*user, group));
  if (!lookup_error.empty()) reply.log_error = lookup_error;
  return reply;
}

}  // namespace cruddur::api
