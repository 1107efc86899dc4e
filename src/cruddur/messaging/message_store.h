// MessageStore: Cruddur's direct messages in the seed's single DynamoDB table.
//
// The table (docs/DESIGN.md §3, the seed's bin/ddb/schema-load) is keyed pk + sk
// with the GSI message-group-sk-index (message_group_uuid + sk, ALL). It
// holds three kinds of items:
//   inbox item, one per participant:  pk = GRP#<owner uuid>, sk = time of the
//     conversation's last message, message_group_uuid, message (last text),
//     user_uuid / user_display_name / user_handle of the *other* participant;
//   message item:  pk = MSG#<group uuid>, sk = creation time, message_uuid,
//     message, user_uuid / user_display_name / user_handle of the sender;
//   pair item, one per pair of users who have a conversation:
//     pk = PAIR#<smaller uuid>#<larger uuid> (PairKey), sk = PAIR, group_uuid.
//     It names *the* conversation of the two users and is the lock that lets
//     only one StartConversation create it.
// Message and pair items carry no message_group_uuid, so the GSI holds inbox
// items only: querying it by group finds a conversation's two inbox items.
// Pair items are in no GRP# or MSG# partition, so patterns A and B never
// read them.
//
// Access patterns (the seed's A-D, with docs/DESIGN.md §10's fixes):
//   A ListMessages       pk = MSG#<group>, newest first from the table, each
//                        page returned oldest-to-newest, cursor to older pages;
//   B ListConversations  pk = GRP#<user>, newest first, paginated;
//   C StartConversation  reuses the conversation between the same two users
//                        (found by the pair item), else writes the pair item
//                        (condition: absent), both inbox items and the first
//                        message in one TransactWriteItems; of two racing
//                        starts one creates, the other sends into its group;
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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cruddur/messaging/errors.h"
#include "cruddur/messaging/timestamp.h"

namespace cruddur::messaging {

inline constexpr std::string_view kDefaultMessageTable = "cruddur-messages";
inline constexpr std::string_view kGroupIndex = "message-group-sk-index";
// The sort key of every pair item.
inline constexpr std::string_view kPairSk = "PAIR";

// The pk of the pair item of two users: PAIR#<smaller uuid>#<larger uuid>,
// the uuids lowercased, so both orders of the arguments give the same key.
std::string PairKey(std::string_view user_uuid, std::string_view other_uuid);

// DDB_MESSAGE_TABLE, or kDefaultMessageTable when unset or empty.
std::string MessageTableFromEnv();

// This layer's errors have the codes of errors.h.

// A fresh random uuid (base/uuid.h) for a conversation, a message or an
// idempotency token; kNoRandomness if none could be made.
base::Result<std::string> NewUuid();

// Longest message text, in Unicode code points (the web form's counter).
inline constexpr size_t kMaxMessageChars = 1024;
// Page sizes: default and largest.
inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;
// Most messages one transaction of SendMessage writes (with up to four inbox
// actions: within the 25 actions of DynamoDB's first transaction limit).
inline constexpr size_t kMaxSendBatch = 20;

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
  // Capacity units the call's successful requests reported
  // (ReturnConsumedCapacity TOTAL): reads (pair item, inbox queries) and
  // writes (the transaction; the pair item when a lookup links one). A
  // cancelled transaction reports none.
  double read_capacity = 0;
  double write_capacity = 0;
};

struct MessageStoreOptions {
  // Table name; empty means MessageTableFromEnv().
  std::string table;
  // Transactions a send tries before giving up with kSendContention.
  int max_send_attempts = 100;
  // The clock new messages are stamped with; tests fix it.
  std::function<Micros()> clock = NowMicros;
  // (group, member) pairs CheckMember remembers; 0 disables it.
  size_t member_cache_entries = 100000;
  // Conversations whose inbox items a send remembers from the last send
  // (or start) of this store; 0 disables it (every send reads them).
  size_t inbox_cache_entries = 4096;
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
  base::Result<MessagePage> ListMessages(std::string_view group_uuid, int limit = kDefaultPageSize,
                                         std::string_view cursor = {});

  // Pattern B: the user's conversations, newest last message first.
  base::Result<ConversationPage> ListConversations(std::string_view user_uuid,
                                                   int limit = kDefaultPageSize,
                                                   std::string_view cursor = {});

  // The conversation between the two users, or nullopt. The pair item
  // answers (one consistent GetItem). Data written before pair items existed
  // (the seed's scripts, older versions) has none: then the user's inbox is
  // searched (a consistent Query of GRP#<user>, filtered on the other user;
  // the newest conversation wins if there are several) and, if one is found,
  // the pair item is written for it (LinkConversation), so the next lookup
  // is one GetItem and every later start agrees on that conversation. A
  // failure of that write other than "already linked" is ignored: the search
  // still answers. kInvalidArgument for a malformed uuid.
  base::Result<std::optional<std::string>> FindConversationWith(std::string_view user_uuid,
                                                                std::string_view other_uuid);

  // Makes `group_uuid` the conversation of the two users by writing their
  // pair item, unless they already have one (PutItem, condition: absent).
  // Returns the group the pair item names afterwards: `group_uuid`, or the
  // one it already named. Writes nothing else; idempotent. kInvalidArgument
  // for a malformed uuid, kSelfConversation if the users are the same.
  base::Result<std::string> LinkConversation(std::string_view user_uuid,
                                             std::string_view other_uuid,
                                             std::string_view group_uuid);

  // The inbox items of a group (from the GSI), one per participant (the
  // newest if there are duplicates). kConversationNotFound if none.
  base::Result<std::vector<Inbox>> ConversationInboxes(std::string_view group_uuid);

  // OK if `user_uuid` has an inbox item for the group; kNotAMember if not,
  // kConversationNotFound if the group has no inbox items at all. A
  // conversation's two participants never change, so a positive answer is
  // remembered (bounded; MessageStoreOptions::member_cache_entries) and the
  // next check for the same pair reads nothing.
  base::Status CheckMember(std::string_view group_uuid, std::string_view user_uuid);

  // Pattern C: `sender` writes `text` to `receiver`, in their existing
  // conversation if there is one (FindConversationWith, then SendMessage),
  // else in a new one: one TransactWriteItems puts the pair item (condition:
  // absent), both inbox items and the message (conditions: keys free). Two
  // users starting their conversation at the same time (either direction,
  // any number of times) get one conversation: a start whose transaction is
  // cancelled reads the pair item (consistent GetItem); if another start
  // created it, the message goes into that group by SendMessage
  // (new_conversation false), else the cancellation was a time collision
  // and the creation is tried again with a later time. kSelfConversation if
  // they are the same user; kBlankMessage / kMessageTooLong for an empty or too long text;
  // kSendContention after max_send_attempts cancelled transactions;
  // kNotAMember / kConversationNotFound if the pair item names a conversation
  // the sender is not in (damaged data: nothing new is created then).
  base::Result<SentMessage> StartConversation(const Participant& sender,
                                              const Participant& receiver, std::string_view text);

  // Pattern D: `sender` adds `text` to the group. One TransactWriteItems puts
  // the message (condition: its key is free) and moves both inbox items to
  // the message's time (delete the old item, condition: it still is this
  // group's; put the new one, condition: its key is free). An inbox already
  // showing a later message is left alone, so inboxes never move back in
  // time.
  //
  // Sends into one conversation through one MessageStore take turns, and
  // the ones that arrive while a transaction of theirs is under way are
  // written together by the next: up to kMaxSendBatch messages, each its
  // own item at its own time (1 µs apart, in arrival order), and each inbox
  // moved once, to the newest (as the sends one after the other would have
  // left it). So a burst of senders in one conversation all succeed, in
  // order, and each waits about one transaction, not one per send before
  // it; capacity a batch consumes is shared evenly by its sends in
  // `SentMessage`. Races remain between processes (or stores) sharing the
  // table: when the transaction is cancelled (another send won a race, or
  // the time collided with another message) the send re-reads the inboxes
  // and tries again with a time at least 1 µs later, so two sends in the
  // same microsecond both survive.
  //
  // The store remembers the inbox items its last successful send (or
  // start) in a conversation left (bounded;
  // MessageStoreOptions::inbox_cache_entries), and the next send there
  // writes from that without reading the GSI: the transaction's conditions
  // fail if another writer has moved an inbox item since, and then the send
  // reads the inboxes and tries again at once (a cancelled attempt that
  // counts in `attempts` but not towards max_send_attempts). Each attempt
  // carries its own ClientRequestToken, so the client's retries of one
  // attempt cannot apply it twice. The inbox items are read from the GSI,
  // which DynamoDB updates a moment after the table: when the other
  // participant's inbox item is missing (the conversation may have just
  // been created), the send re-reads for up to about 0.6 s before it writes
  // a new inbox item for them, so a lagging index does not leave them two.
  // kNotAMember / kConversationNotFound as CheckMember.
  base::Result<SentMessage> SendMessage(std::string_view group_uuid, const Participant& sender,
                                        std::string_view text);

 private:
  struct PendingSend;  // a send waiting for its conversation's turn
  // SendMessage, adding to `sent`'s counters. `group_exists`: the caller
  // knows the group exists (a pair item names it), so a GSI that does not
  // show the sender's inbox item yet is waited for like the other's.
  base::Result<SentMessage> SendInto(std::string_view group_uuid, const Participant& sender,
                                     std::string_view text, bool group_exists, SentMessage sent);
  // Writes the sends of `batch` (the queue's front, in order; at most
  // kMaxSendBatch) into the group in one transaction; an outcome for each.
  std::vector<base::Result<SentMessage>> WriteSends(const std::string& group,
                                                    const std::vector<PendingSend*>& batch);
  base::Result<SentMessage> CreateConversation(const Participant& sender,
                                               const Participant& receiver, std::string_view text,
                                               SentMessage sent);
  // FindConversationWith and LinkConversation, adding the capacity they
  // consume to `*read_units` / `*write_units` (either may be null).
  base::Result<std::optional<std::string>> FindConversation(std::string_view user_uuid,
                                                            std::string_view other_uuid,
                                                            double* read_units,
                                                            double* write_units);
  base::Result<std::string> LinkPair(std::string_view user_uuid, std::string_view other_uuid,
                                     std::string_view group_uuid, double* read_units,
                                     double* write_units);
  // The group the pair item `pair_pk` names (consistent GetItem), or nullopt.
  base::Result<std::optional<std::string>> ReadPair(const std::string& pair_pk, double* read_units);
  // ConversationInboxes, adding the capacity it reads to `*read_units`.
  base::Result<std::vector<Inbox>> ReadInboxes(std::string_view group_uuid, double* read_units);

  struct MemberCache;
  bool KnownMember(std::string_view group_uuid, std::string_view user_uuid) const;
  void RememberMember(std::string_view group_uuid, std::string_view user_uuid);

  // The group's inbox items as this store last wrote them, taken out of the
  // cache (a send puts back what it writes), or nullopt.
  struct InboxCache;
  std::optional<std::vector<Inbox>> TakeInboxes(const std::string& group_uuid);
  void RememberInboxes(const std::string& group_uuid, std::vector<Inbox> inboxes);

  aws::AwsJsonClient* client_;
  MessageStoreOptions options_;
  std::shared_ptr<MemberCache> members_;
  std::shared_ptr<InboxCache> inboxes_;
  // Sends into one conversation take turns (SendMessage); shared by copies.
  struct SendQueues;
  std::shared_ptr<SendQueues> send_queues_;
};

}  // namespace cruddur::messaging
