// MessageStore: Cruddur's direct messages in the seed's single DynamoDB table.
//
// The table (DESIGN.md §3, the seed's bin/ddb/schema-load) is keyed pk + sk
// with the GSI message-group-sk-index (message_group_uuid + sk, ALL). It
// holds two kinds of items:
//   inbox item, one per participant:  pk = GRP#<owner uuid>, sk = time of the
//     conversation's last message, message_group_uuid, message (last text),
//     user_uuid / user_display_name / user_handle of the *other* participant;
//   message item:  pk = MSG#<group uuid>, sk = creation time, message_uuid,
//     message, user_uuid / user_display_name / user_handle of the sender.
// Message items carry no message_group_uuid, so the GSI holds inbox items only:
// querying it by group finds a conversation's two inbox items.
//
// Access patterns (the seed's A-D, with cruddur-reference.md §10's fixes):
//   A ListMessages       pk = MSG#<group>, newest first from the table, each
//                        page returned oldest-to-newest, cursor to older pages;
//   B ListConversations  pk = GRP#<user>, newest first, paginated;
//   C StartConversation  reuses the conversation between the same two users,
//                        else writes both inbox items and the first message in
//                        one TransactWriteItems;
//   D SendMessage        the message and both inbox moves in one
//                        TransactWriteItems (see SendMessage for the rules).
// There is no current-year filter: key conditions are on pk alone.
//
// Timestamps are written in the fixed format of timestamp.h and read in any
// form it accepts; created_at values handed out are always the fixed format.
//
// Thread-safe (the client is). Errors are values: this layer's types below,
// or the service's own (ResourceNotFoundException when the table is missing,
// ConnectionError when the server is unreachable, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "cruddur/messaging/timestamp.h"
#include "ddb/common/error.h"

namespace cruddur::messaging {

inline constexpr std::string_view kDefaultMessageTable = "cruddur-messages";
inline constexpr std::string_view kGroupIndex = "message-group-sk-index";

// DDB_MESSAGE_TABLE, or kDefaultMessageTable when unset or empty.
std::string MessageTableFromEnv();

// ddb::Error::type values of this layer, with their http_status.
inline constexpr std::string_view kInvalidArgument = "InvalidArgument";  // 400: bad uuid, limit
inline constexpr std::string_view kInvalidMessage = "InvalidMessage";    // 422: empty / too long
inline constexpr std::string_view kConversationNotFound = "ConversationNotFound";  // 404
inline constexpr std::string_view kNotAMember = "NotAMember";                      // 403
inline constexpr std::string_view kSelfConversation = "SelfConversation";          // 422
// 503: a send lost the race for its conversation max_send_attempts times.
inline constexpr std::string_view kSendContention = "SendContention";

// Longest message text, in Unicode code points (the web form's counter).
inline constexpr size_t kMaxMessageChars = 1024;
// Page sizes: default and largest.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// A user as the messages table records them.
struct Participant {
  std::string uuid;
  std::string display_name;
  std::string handle;
};

// One message (a MSG item).
struct Message {
  std::string uuid;    // message_uuid
  Participant sender;  // user_uuid / user_display_name / user_handle
  std::string message;
  std::string created_at;  // fixed format (normalized from sk)
  std::string sk;          // the stored sort key, as written
};

// One line of a user's inbox (a GRP item).
struct Conversation {
  std::string message_group_uuid;
  Participant other;       // the other participant
  std::string message;     // last message text
  std::string created_at;  // time of the last message, fixed format
  std::string sk;          // the stored sort key, as written
};

// An inbox item with its owner (pk GRP#<owner_uuid>).
struct Inbox {
  std::string owner_uuid;
  Conversation conversation;
};

struct MessagePage {
  std::vector<Message> messages;  // oldest first
  std::string older_cursor;       // empty when there are no older messages
  double consumed_capacity = 0;   // read capacity units the page cost
};

struct ConversationPage {
  std::vector<Conversation> conversations;  // newest first
  std::string next_cursor;                  // empty at the end
  double consumed_capacity = 0;
};

struct SentMessage {
  std::string message_group_uuid;
  Message message;
  bool new_conversation = false;  // StartConversation created the group
  int attempts = 0;               // transactions tried (1 without contention)
};

struct MessageStoreOptions {
  // Table name; empty means MessageTableFromEnv().
  std::string table;
  // Transactions a send tries before giving up with kSendContention.
  int max_send_attempts = 100;
  // The clock new messages are stamped with; tests fix it.
  std::function<Micros()> clock = NowMicros;
};

class MessageStore {
 public:
  // `client` is not owned and must outlive the store.
  explicit MessageStore(aws::AwsJsonClient* client, MessageStoreOptions options = {});

  const std::string& table() const { return options_.table; }

  // Pattern A: up to `limit` (1..kMaxPageSize) newest messages of the group
  // older than `cursor` (empty: the newest), oldest first. kInvalidArgument
  // for a malformed group uuid or limit, kInvalidCursor for a bad cursor. An
  // unknown group is an empty page.
  ddb::Result<MessagePage> ListMessages(std::string_view group_uuid, int limit = kDefaultPageSize,
                                        std::string_view cursor = {});

  // Pattern B: the user's conversations, newest last message first.
  ddb::Result<ConversationPage> ListConversations(std::string_view user_uuid,
                                                  int limit = kDefaultPageSize,
                                                  std::string_view cursor = {});

  // The conversation between the two users (the newest if, from older data,
  // there are several), or nullopt.
  ddb::Result<std::optional<std::string>> FindConversationWith(std::string_view user_uuid,
                                                               std::string_view other_uuid);

  // The inbox items of a group (from the GSI), one per participant (the
  // newest if there are duplicates). kConversationNotFound if none.
  ddb::Result<std::vector<Inbox>> ConversationInboxes(std::string_view group_uuid);

  // OK if `user_uuid` has an inbox item for the group; kNotAMember if not,
  // kConversationNotFound if the group has no inbox items at all.
  ddb::Status CheckMember(std::string_view group_uuid, std::string_view user_uuid);

  // Pattern C: `sender` writes `text` to `receiver`, in their existing
  // conversation if there is one, else in a new one (both inbox items and
  // the message in one transaction). kSelfConversation if they are the same
  // user; kInvalidMessage for an empty or too long text.
  ddb::Result<SentMessage> StartConversation(const Participant& sender, const Participant& receiver,
                                             std::string_view text);

  // Pattern D: `sender` adds `text` to the group. One TransactWriteItems puts
  // the message (condition: its key is free) and moves both inbox items to
  // the message's time (delete the old item, condition: it still is this
  // group's; put the new one, condition: its key is free). An inbox already
  // showing a later message is left alone, so inboxes never move back in
  // time. When the transaction is cancelled (another send won a race, or the
  // time collided with another message) the send re-reads the inboxes and
  // tries again with a time at least 1 µs later, so two sends in the same
  // microsecond both survive. Each attempt carries its own
  // ClientRequestToken, so the client's retries of one attempt cannot apply
  // it twice. kNotAMember / kConversationNotFound as CheckMember.
  ddb::Result<SentMessage> SendMessage(std::string_view group_uuid, const Participant& sender,
                                       std::string_view text);

 private:
  ddb::Result<SentMessage> CreateConversation(const Participant& sender,
                                              const Participant& receiver, std::string_view text);

  aws::AwsJsonClient* client_;
  MessageStoreOptions options_;
};

// True for a lowercase (or uppercase) 8-4-4-4-12 hex uuid.
bool IsUuid(std::string_view s);

}  // namespace cruddur::messaging
