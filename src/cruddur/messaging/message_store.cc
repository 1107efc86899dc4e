#include "cruddur/messaging/message_store.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "base/ascii.h"
#include "base/uuid.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/item_json.h"
#include "ddb/common/error.h"

namespace cruddur::messaging {
namespace {

using json::Alloc;
using json::GetS;
using json::SetS;
using json::SetString;

base::Error MakeError(ErrorCode code, std::string message) { return {code, std::move(message)}; }

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

base::Status CheckText(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return MakeError(kBlankMessage, "the message is empty");
  }
  if (CodePoints(text) > kMaxMessageChars) {
    return MakeError(kMessageTooLong, "the message is longer than " +
                                          std::to_string(kMaxMessageChars) + " characters");
  }
  return base::Status::Ok();
}

base::Status CheckLimit(int limit) {
  if (limit < 1 || limit > kMaxPageSize) {
    return MakeError(kInvalidArgument,
                     "limit must be between 1 and " + std::to_string(kMaxPageSize));
  }
  return base::Status::Ok();
}

base::Status CheckUuid(std::string_view what, std::string_view uuid) {
  if (!base::IsUuid(uuid)) {
    return MakeError(kInvalidArgument, std::string(what) + " is not a uuid");
  }
  return base::Status::Ok();
}

// sk's time for ordering; unparsable keys sort as their raw text would (last).
Micros SortTime(const std::string& sk) {
  auto t = ParseTimestamp(sk);
  return t.ok() ? *t : INT64_MAX;
}

// The fixed form of `sk` (the text itself if it does not parse), with its
// SortTime in `*sort` if given: one parse for both. What Cruddur writes is
// already in the fixed form and is taken as it is.
std::string Normalized(const std::string& sk, Micros* sort = nullptr) {
  auto t = ParseTimestamp(sk);
  if (sort != nullptr) *sort = t.ok() ? *t : INT64_MAX;
  return t.ok() ? FixedForm(sk, *t) : sk;
}

Message MessageFromItem(const rapidjson::Value& item, Micros* sort = nullptr) {
  Message m;
  // One pass over the attributes (a page has 20 items of 7).
  if (item.IsObject()) {
    for (const auto& attr : item.GetObject()) {
      std::string* field = nullptr;
      const std::string_view name(attr.name.GetString(), attr.name.GetStringLength());
      if (name == "message_uuid") {
        field = &m.uuid;
      } else if (name == "user_uuid") {
        field = &m.sender.uuid;
      } else if (name == "user_display_name") {
        field = &m.sender.display_name;
      } else if (name == "user_handle") {
        field = &m.sender.handle;
      } else if (name == "message") {
        field = &m.message;
      } else if (name == "sk") {
        field = &m.sk;
      }
      if (field != nullptr) *field = json::S(attr.value);
    }
  }
  m.created_at = Normalized(m.sk, sort);
  return m;
}

Conversation ConversationFromItem(const rapidjson::Value& item, Micros* sort = nullptr) {
  Conversation c;
  c.message_group_uuid = GetS(item, "message_group_uuid");
  c.other = {GetS(item, "user_uuid"), GetS(item, "user_display_name"), GetS(item, "user_handle")};
  c.message = GetS(item, "message");
  c.sk = GetS(item, "sk");
  c.created_at = Normalized(c.sk, sort);
  return c;
}

// The Items of a Query answered newest first, each made a T by `from_item`,
// in time order: `oldest_first` or newest first. The table orders sk
// lexically, and mixed legacy forms (naive / offset) of the same instant can
// disagree with time order; items of equal times keep the answer's order
// (reversed for oldest first).
template <typename T>
std::vector<T> PageInTimeOrder(const rapidjson::Document& out,
                               T (*from_item)(const rapidjson::Value&, Micros*),
                               bool oldest_first) {
  std::vector<std::pair<Micros, T>> rows;
  if (out.HasMember("Items") && out["Items"].IsArray()) {
    rows.reserve(out["Items"].Size());
    for (const auto& item : out["Items"].GetArray()) {
      Micros t = 0;
      T value = from_item(item, &t);
      rows.emplace_back(t, std::move(value));
    }
  }
  const auto newer = [](const auto& x, const auto& y) { return x.first > y.first; };
  // Usually so already: sk orders by time but for mixed legacy forms.
  if (!std::is_sorted(rows.begin(), rows.end(), newer)) {
    std::stable_sort(rows.begin(), rows.end(), newer);
  }
  if (oldest_first) std::reverse(rows.begin(), rows.end());
  std::vector<T> page;
  page.reserve(rows.size());
  for (auto& row : rows) page.push_back(std::move(row.second));
  return page;
}

// A Query on the table's pk, newest first.
rapidjson::Document PartitionQuery(const std::string& table, const std::string& pk, int limit) {
  rapidjson::Document q(rapidjson::kObjectType);
  Alloc& a = q.GetAllocator();
  SetString(q, "TableName", table, a);
  SetString(q, "KeyConditionExpression", "pk = :pk", a);
  rapidjson::Value values(rapidjson::kObjectType);
  SetS(values, ":pk", pk, a);
  q.AddMember("ExpressionAttributeValues", values, a);
  q.AddMember("ScanIndexForward", false, a);
  if (limit > 0) q.AddMember("Limit", limit, a);
  SetString(q, "ReturnConsumedCapacity", "TOTAL", a);
  return q;
}

void SetStartKey(rapidjson::Document& q, const rapidjson::Value& key) {
  rapidjson::Value copy(key, q.GetAllocator());
  q.AddMember("ExclusiveStartKey", copy, q.GetAllocator());
}

// A Put action of a transaction, with a condition that its key is free.
rapidjson::Value PutNew(const std::string& table, rapidjson::Value item, Alloc& a) {
  rapidjson::Value put(rapidjson::kObjectType);
  SetString(put, "TableName", table, a);
  put.AddMember("Item", item, a);
  SetString(put, "ConditionExpression", "attribute_not_exists(pk)", a);
  rapidjson::Value action(rapidjson::kObjectType);
  action.AddMember("Put", put, a);
  return action;
}

// user_uuid / user_display_name / user_handle: the sender of a message item,
// the other participant of an inbox item.
void SetUser(rapidjson::Value& item, const Participant& p, Alloc& a) {
  SetS(item, "user_uuid", p.uuid, a);
  SetS(item, "user_display_name", p.display_name, a);
  SetS(item, "user_handle", p.handle, a);
}

rapidjson::Value MessageItem(const std::string& group, const std::string& sk,
                             const std::string& message_uuid, const Participant& sender,
                             std::string_view text, Alloc& a) {
  rapidjson::Value item(rapidjson::kObjectType);
  SetS(item, "pk", "MSG#" + group, a);
  SetS(item, "sk", sk, a);
  SetS(item, "message_uuid", message_uuid, a);
  SetS(item, "message", text, a);
  SetUser(item, sender, a);
  return item;
}

rapidjson::Value InboxItem(const std::string& owner_uuid, const std::string& sk,
                           const std::string& group, std::string_view text,
                           const Participant& other, Alloc& a) {
  rapidjson::Value item(rapidjson::kObjectType);
  SetS(item, "pk", "GRP#" + owner_uuid, a);
  SetS(item, "sk", sk, a);
  SetS(item, "message_group_uuid", group, a);
  SetS(item, "message", text, a);
  SetUser(item, other, a);
  return item;
}

rapidjson::Value PairItem(const std::string& pair_pk, const std::string& group, Alloc& a) {
  rapidjson::Value item(rapidjson::kObjectType);
  SetS(item, "pk", pair_pk, a);
  SetS(item, "sk", kPairSk, a);
  // Not message_group_uuid: the pair item must stay out of the GSI.
  SetS(item, "group_uuid", group, a);
  return item;
}

// Delete of an inbox item, only while it still is this group's.
rapidjson::Value DeleteInbox(const std::string& table, const std::string& owner_uuid,
                             const std::string& sk, const std::string& group, Alloc& a) {
  rapidjson::Value del(rapidjson::kObjectType);
  SetString(del, "TableName", table, a);
  rapidjson::Value key(rapidjson::kObjectType);
  SetS(key, "pk", "GRP#" + owner_uuid, a);
  SetS(key, "sk", sk, a);
  del.AddMember("Key", key, a);
  SetString(del, "ConditionExpression", "message_group_uuid = :g", a);
  rapidjson::Value values(rapidjson::kObjectType);
  SetS(values, ":g", group, a);
  del.AddMember("ExpressionAttributeValues", values, a);
  rapidjson::Value action(rapidjson::kObjectType);
  action.AddMember("Delete", del, a);
  return action;
}

// One page of a partition, newest first, continuing `cursor` (checked). The
// answer is parsed in place (CallJsonInPlace): its readers copy what they
// keep into strings, or serialize it (EncodeCursor).
base::Result<rapidjson::Document> PageQuery(aws::AwsJsonClient& client, const std::string& table,
                                            const std::string& pk, int limit,
                                            std::string_view cursor) {
  RETURN_IF_ERROR(CheckLimit(limit));
  rapidjson::Document q = PartitionQuery(table, pk, limit);
  if (!cursor.empty()) {
    ASSIGN_OR_RETURN(auto start, DecodeCursor(cursor, {"pk", "sk"}, "pk", pk));
    SetStartKey(q, start);
  }
  return client.CallJsonInPlace("Query", q);
}

bool IsRaceLost(const base::Error& e) {
  return e.code == ddb::ErrorCode::kTransactionCanceled ||
         e.code == ddb::ErrorCode::kTransactionConflict;
}

void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap_us = std::min(20000, 200 * (1 << std::min(attempt, 7)));
  std::uniform_int_distribution<int> d(0, cap_us);
  std::this_thread::sleep_for(std::chrono::microseconds(d(rng)));
}

// Re-reads of the GSI while it does not show inbox items that exist, and the
// pause before each: 10, 20, ... 320 ms, about 0.6 s in all. DynamoDB updates
// a GSI shortly after the table (the engine in the same batch, so locally
// they never happen).
constexpr int kIndexLagWaits = 6;
void IndexLagWait(int wait) { std::this_thread::sleep_for(std::chrono::milliseconds(10 << wait)); }

// Two spellings of one uuid (PairKey lowercases).
bool SameUser(std::string_view x, std::string_view y) { return base::AsciiEqualsIgnoreCase(x, y); }

void AddCapacity(double* units, const rapidjson::Value& response) {
  if (units != nullptr) *units += json::CapacityUnits(response);
}

}  // namespace

base::Result<std::string> NewUuid() {
  if (auto uuid = base::NewUuidV4()) return std::move(*uuid);
  return MakeError(kNoRandomness, "cannot generate a uuid: no randomness");
}

std::string MessageTableFromEnv() {
  const char* t = std::getenv("DDB_MESSAGE_TABLE");
  return t && *t ? std::string(t) : std::string(kDefaultMessageTable);
}

std::string PairKey(std::string_view user_uuid, std::string_view other_uuid) {
  std::string x = base::AsciiLowercase(user_uuid), y = base::AsciiLowercase(other_uuid);
  if (y < x) std::swap(x, y);
  return "PAIR#" + x + "#" + y;
}

// One send waiting for its conversation's turn (SendInto). It lives on its
// caller's stack; the leader that writes it sets `outcome` (under
// SendQueues::mu) and no longer touches it after.
struct MessageStore::PendingSend {
  const Participant* sender;
  std::string_view text;
  bool group_exists;
  SentMessage sent;  // the caller's counters so far
  std::string message_uuid;
  std::optional<base::Result<SentMessage>> outcome;
  bool lead = false;  // handed the turn: write the queue's front
  std::condition_variable cv;
};

struct MessageStore::SendQueues {
  std::mutex mu;
  // The sends waiting per conversation; a conversation is present while a
  // send of it is being written.
  std::unordered_map<std::string, std::deque<PendingSend*>> waiting;
};

MessageStore::MessageStore(aws::AwsJsonClient* client, MessageStoreOptions options)
    : client_(client), options_(std::move(options)) {
  if (options_.table.empty()) options_.table = MessageTableFromEnv();
  if (!options_.clock) options_.clock = NowMicros;
  if (options_.max_send_attempts < 1) options_.max_send_attempts = 1;
  if (options_.member_cache_entries > 0) members_ = std::make_shared<MemberCache>();
  if (options_.inbox_cache_entries > 0) inboxes_ = std::make_shared<InboxCache>();
  send_queues_ = std::make_shared<SendQueues>();
}

base::Result<MessagePage> MessageStore::ListMessages(std::string_view group_uuid, int limit,
                                                     std::string_view cursor) {
  RETURN_IF_ERROR(CheckUuid("message_group_uuid", group_uuid));
  ASSIGN_OR_RETURN(auto out, PageQuery(*client_, options_.table, "MSG#" + std::string(group_uuid),
                                       limit, cursor));
  MessagePage page;
  page.consumed_capacity = json::CapacityUnits(out);
  page.messages = PageInTimeOrder<Message>(out, MessageFromItem, /*oldest_first=*/true);
  if (out.HasMember("LastEvaluatedKey")) page.older_cursor = EncodeCursor(out["LastEvaluatedKey"]);
  return page;
}

base::Result<ConversationPage> MessageStore::ListConversations(std::string_view user_uuid,
                                                               int limit, std::string_view cursor) {
  RETURN_IF_ERROR(CheckUuid("user uuid", user_uuid));
  ASSIGN_OR_RETURN(auto out, PageQuery(*client_, options_.table, "GRP#" + std::string(user_uuid),
                                       limit, cursor));
  ConversationPage page;
  page.consumed_capacity = json::CapacityUnits(out);
  page.conversations =
      PageInTimeOrder<Conversation>(out, ConversationFromItem, /*oldest_first=*/false);
  if (out.HasMember("LastEvaluatedKey")) page.next_cursor = EncodeCursor(out["LastEvaluatedKey"]);
  return page;
}

base::Result<std::optional<std::string>> MessageStore::FindConversationWith(
    std::string_view user_uuid, std::string_view other_uuid) {
  return FindConversation(user_uuid, other_uuid, nullptr, nullptr);
}

base::Result<std::optional<std::string>> MessageStore::ReadPair(const std::string& pair_pk,
                                                                double* read_units) {
  rapidjson::Document req(rapidjson::kObjectType);
  Alloc& a = req.GetAllocator();
  SetString(req, "TableName", options_.table, a);
  rapidjson::Value key(rapidjson::kObjectType);
  SetS(key, "pk", pair_pk, a);
  SetS(key, "sk", kPairSk, a);
  req.AddMember("Key", key, a);
  req.AddMember("ConsistentRead", true, a);
  SetString(req, "ReturnConsumedCapacity", "TOTAL", a);
  ASSIGN_OR_RETURN(auto out, client_->CallJson("GetItem", req));
  AddCapacity(read_units, out);
  if (!out.HasMember("Item")) return std::optional<std::string>();
  std::string group = GetS(out["Item"], "group_uuid");
  if (group.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(group));
}

base::Result<std::optional<std::string>> MessageStore::FindConversation(std::string_view user_uuid,
                                                                        std::string_view other_uuid,
                                                                        double* read_units,
                                                                        double* write_units) {
  RETURN_IF_ERROR(CheckUuid("user uuid", user_uuid));
  RETURN_IF_ERROR(CheckUuid("other user uuid", other_uuid));
  ASSIGN_OR_RETURN(auto paired, ReadPair(PairKey(user_uuid, other_uuid), read_units));
  if (paired) return paired;

  // Data from before pair items: the newest conversation in the user's inbox.
  rapidjson::Document q = PartitionQuery(options_.table, "GRP#" + std::string(user_uuid), 0);
  Alloc& a = q.GetAllocator();
  SetString(q, "FilterExpression", "user_uuid = :other", a);
  SetS(q["ExpressionAttributeValues"], ":other", other_uuid, a);
  q.AddMember("ConsistentRead", true, a);
  std::optional<std::string> found;
  Micros found_time = 0;
  while (true) {
    ASSIGN_OR_RETURN(auto out, client_->CallJson("Query", q));
    AddCapacity(read_units, out);
    for (const auto& item : out["Items"].GetArray()) {
      const Micros t = SortTime(GetS(item, "sk"));
      if (!found || t > found_time) {
        found = GetS(item, "message_group_uuid");
        found_time = t;
      }
    }
    if (!out.HasMember("LastEvaluatedKey")) break;
    q.RemoveMember("ExclusiveStartKey");
    SetStartKey(q, out["LastEvaluatedKey"]);
  }
  if (!found || !base::IsUuid(*found)) return found;
  // Pin it with a pair item; if another start linked (or created) one first,
  // that one is the answer.
  auto linked = LinkPair(user_uuid, other_uuid, *found, read_units, write_units);
  if (linked.ok()) found = std::move(linked).value();
  return found;
}

base::Result<std::string> MessageStore::LinkConversation(std::string_view user_uuid,
                                                         std::string_view other_uuid,
                                                         std::string_view group_uuid) {
  return LinkPair(user_uuid, other_uuid, group_uuid, nullptr, nullptr);
}

base::Result<std::string> MessageStore::LinkPair(std::string_view user_uuid,
                                                 std::string_view other_uuid,
                                                 std::string_view group_uuid, double* read_units,
                                                 double* write_units) {
  RETURN_IF_ERROR(CheckUuid("user uuid", user_uuid));
  RETURN_IF_ERROR(CheckUuid("other user uuid", other_uuid));
  RETURN_IF_ERROR(CheckUuid("message_group_uuid", group_uuid));
  if (SameUser(user_uuid, other_uuid)) {
    return MakeError(kSelfConversation, "a conversation needs two different users");
  }
  const std::string pair_pk = PairKey(user_uuid, other_uuid);
  // The pair item can only be created, never changed or (by this layer)
  // deleted, so a failed condition means it exists and one read answers.
  rapidjson::Document req(rapidjson::kObjectType);
  Alloc& a = req.GetAllocator();
  SetString(req, "TableName", options_.table, a);
  req.AddMember("Item", PairItem(pair_pk, std::string(group_uuid), a), a);
  SetString(req, "ConditionExpression", "attribute_not_exists(pk)", a);
  SetString(req, "ReturnConsumedCapacity", "TOTAL", a);
  auto out = client_->CallJson("PutItem", req);
  if (out.ok()) {
    AddCapacity(write_units, *out);
    return std::string(group_uuid);
  }
  if (out.error().code != ddb::ErrorCode::kConditionalCheckFailed) return std::move(out).error();
  ASSIGN_OR_RETURN(auto paired, ReadPair(pair_pk, read_units));
  if (!paired) {
    return MakeError(kSendContention, "the pair item of the two users changed while linking");
  }
  return std::move(*paired);
}

base::Result<std::vector<Inbox>> MessageStore::ConversationInboxes(std::string_view group_uuid) {
  return ReadInboxes(group_uuid, nullptr);
}

base::Result<std::vector<Inbox>> MessageStore::ReadInboxes(std::string_view group_uuid,
                                                           double* read_units) {
  RETURN_IF_ERROR(CheckUuid("message_group_uuid", group_uuid));
  rapidjson::Document q(rapidjson::kObjectType);
  Alloc& a = q.GetAllocator();
  SetString(q, "TableName", options_.table, a);
  SetString(q, "IndexName", kGroupIndex, a);
  SetString(q, "KeyConditionExpression", "message_group_uuid = :g", a);
  rapidjson::Value values(rapidjson::kObjectType);
  SetS(values, ":g", group_uuid, a);
  q.AddMember("ExpressionAttributeValues", values, a);
  SetString(q, "ReturnConsumedCapacity", "TOTAL", a);
  // Newest first, two at a time, until both participants' inbox items are
  // in: every send deletes the inbox items it replaces, and a store reading
  // the group's index entries oldest first steps over each of those deletes
  // (RocksDB's tombstones, until compaction) before it reaches the live two.
  q.AddMember("ScanIndexForward", false, a);
  q.AddMember("Limit", 2, a);
  std::map<std::string, Inbox> by_owner;  // newest per owner
  const auto both_in = [&by_owner] {
    for (const auto& [owner, inbox] : by_owner) {
      if (by_owner.count(inbox.conversation.other.uuid) == 0) return false;
    }
    return by_owner.size() >= 2;
  };
  while (true) {
    ASSIGN_OR_RETURN(auto out, client_->CallJson("Query", q));
    AddCapacity(read_units, out);
    for (const auto& item : out["Items"].GetArray()) {
      const std::string pk = GetS(item, "pk");
      if (pk.rfind("GRP#", 0) != 0) continue;
      Inbox inbox{pk.substr(4), ConversationFromItem(item)};
      auto it = by_owner.find(inbox.owner_uuid);
      if (it == by_owner.end() ||
          SortTime(inbox.conversation.sk) > SortTime(it->second.conversation.sk)) {
        by_owner[inbox.owner_uuid] = std::move(inbox);
      }
    }
    if (!out.HasMember("LastEvaluatedKey") || both_in()) break;
    q.RemoveMember("ExclusiveStartKey");
    SetStartKey(q, out["LastEvaluatedKey"]);
  }
  if (by_owner.empty()) {
    return MakeError(kConversationNotFound,
                     "conversation " + std::string(group_uuid) + " does not exist");
  }
  std::vector<Inbox> result;
  for (auto& [owner, inbox] : by_owner) result.push_back(std::move(inbox));
  return result;
}

struct MessageStore::MemberCache {
  mutable std::shared_mutex mu;
  std::unordered_set<std::string> pairs;  // "<group>|<user>"
};

bool MessageStore::KnownMember(std::string_view group_uuid, std::string_view user_uuid) const {
  if (!members_) return false;
  std::string key = std::string(group_uuid) + "|" + std::string(user_uuid);
  std::shared_lock lock(members_->mu);
  return members_->pairs.count(key) > 0;
}

void MessageStore::RememberMember(std::string_view group_uuid, std::string_view user_uuid) {
  if (!members_) return;
  std::string key = std::string(group_uuid) + "|" + std::string(user_uuid);
  std::unique_lock lock(members_->mu);
  if (members_->pairs.size() >= options_.member_cache_entries) members_->pairs.clear();
  members_->pairs.insert(std::move(key));
}

struct MessageStore::InboxCache {
  std::mutex mu;
  std::unordered_map<std::string, std::vector<Inbox>> by_group;
};

std::optional<std::vector<Inbox>> MessageStore::TakeInboxes(const std::string& group_uuid) {
  if (!inboxes_) return std::nullopt;
  std::lock_guard lock(inboxes_->mu);
  auto it = inboxes_->by_group.find(group_uuid);
  if (it == inboxes_->by_group.end()) return std::nullopt;
  std::vector<Inbox> taken = std::move(it->second);
  inboxes_->by_group.erase(it);
  return taken;
}

void MessageStore::RememberInboxes(const std::string& group_uuid, std::vector<Inbox> inboxes) {
  if (!inboxes_) return;
  std::lock_guard lock(inboxes_->mu);
  if (inboxes_->by_group.size() >= options_.inbox_cache_entries) inboxes_->by_group.clear();
  inboxes_->by_group[group_uuid] = std::move(inboxes);
}

base::Status MessageStore::CheckMember(std::string_view group_uuid, std::string_view user_uuid) {
  if (KnownMember(group_uuid, user_uuid)) return base::Status::Ok();
  ASSIGN_OR_RETURN(auto inboxes, ConversationInboxes(group_uuid));
  for (const auto& i : inboxes) {
    if (i.owner_uuid == user_uuid) {
      RememberMember(group_uuid, user_uuid);
      return base::Status::Ok();
    }
  }
  return MakeError(kNotAMember, "not a member of conversation " + std::string(group_uuid));
}

base::Result<SentMessage> MessageStore::StartConversation(const Participant& sender,
                                                          const Participant& receiver,
                                                          std::string_view text) {
  RETURN_IF_ERROR(CheckUuid("sender uuid", sender.uuid));
  RETURN_IF_ERROR(CheckUuid("receiver uuid", receiver.uuid));
  RETURN_IF_ERROR(CheckText(text));
  if (SameUser(sender.uuid, receiver.uuid)) {
    return MakeError(kSelfConversation, "cannot start a conversation with yourself");
  }
  SentMessage sent;
  ASSIGN_OR_RETURN(auto existing, FindConversation(sender.uuid, receiver.uuid, &sent.read_capacity,
                                                   &sent.write_capacity));
  if (existing) return SendInto(*existing, sender, text, /*group_exists=*/true, std::move(sent));
  return CreateConversation(sender, receiver, text, std::move(sent));
}

base::Result<SentMessage> MessageStore::CreateConversation(const Participant& sender,
                                                           const Participant& receiver,
                                                           std::string_view text,
                                                           SentMessage sent) {
  ASSIGN_OR_RETURN(std::string group, NewUuid());
  ASSIGN_OR_RETURN(std::string message_uuid, NewUuid());
  const std::string pair_pk = PairKey(sender.uuid, receiver.uuid);
  Micros last = 0;
  for (int attempt = 1; attempt <= options_.max_send_attempts; ++attempt) {
    const Micros t = std::max(options_.clock(), last + 1);
    last = t;
    const std::string sk = FormatTimestamp(t);
    ASSIGN_OR_RETURN(std::string token, NewUuid());
    rapidjson::Document req(rapidjson::kObjectType);
    Alloc& a = req.GetAllocator();
    rapidjson::Value items(rapidjson::kArrayType);
    // The pair item first: its condition is the one a racing start fails on
    // (CancellationReasons[0]).
    items.PushBack(PutNew(options_.table, PairItem(pair_pk, group, a), a), a);
    items.PushBack(PutNew(options_.table, InboxItem(sender.uuid, sk, group, text, receiver, a), a),
                   a);
    items.PushBack(PutNew(options_.table, InboxItem(receiver.uuid, sk, group, text, sender, a), a),
                   a);
    items.PushBack(PutNew(options_.table, MessageItem(group, sk, message_uuid, sender, text, a), a),
                   a);
    req.AddMember("TransactItems", items, a);
    SetString(req, "ClientRequestToken", token, a);
    SetString(req, "ReturnConsumedCapacity", "TOTAL", a);
    auto out = client_->CallJson("TransactWriteItems", req);
    sent.attempts++;
    if (out.ok()) {
      sent.write_capacity += json::CapacityUnits(*out);
      sent.message_group_uuid = group;
      sent.message = {message_uuid, sender, std::string(text), sk, sk};
      sent.new_conversation = true;
      RememberInboxes(group, {Inbox{sender.uuid, Conversation{group, receiver, "", sk, sk}},
                              Inbox{receiver.uuid, Conversation{group, sender, "", sk, sk}}});
      return sent;
    }
    if (!IsRaceLost(out.error())) return std::move(out).error();
    // Cancelled: either another start created the pair's conversation (its
    // pair item is there now), or a key collided on time (another message in
    // an inbox in the same microsecond) and a later time will do.
    ASSIGN_OR_RETURN(auto winner, ReadPair(pair_pk, &sent.read_capacity));
    if (winner) return SendInto(*winner, sender, text, /*group_exists=*/true, std::move(sent));
    Backoff(attempt);
  }
  return MakeError(kSendContention, "could not create the conversation: too much contention");
}

base::Result<SentMessage> MessageStore::SendMessage(std::string_view group_uuid,
                                                    const Participant& sender,
                                                    std::string_view text) {
  return SendInto(group_uuid, sender, text, /*group_exists=*/false, SentMessage{});
}

base::Result<SentMessage> MessageStore::SendInto(std::string_view group_uuid,
                                                 const Participant& sender, std::string_view text,
                                                 bool group_exists, SentMessage sent) {
  RETURN_IF_ERROR(CheckUuid("message_group_uuid", group_uuid));
  RETURN_IF_ERROR(CheckText(text));
  const std::string group(group_uuid);
  ASSIGN_OR_RETURN(std::string message_uuid, NewUuid());
  PendingSend me{&sender, text, group_exists, std::move(sent), std::move(message_uuid)};
  // One transaction at a time per conversation in this process. The sends
  // that arrive meanwhile queue, and the first of them writes them all in
  // the next one: the others wait one transaction instead of one each
  // (colliding would cost a cancelled transaction, a re-read and a growing
  // backoff each, per round).
  std::unique_lock lock(send_queues_->mu);
  auto [entry, leading] = send_queues_->waiting.try_emplace(group);
  std::deque<PendingSend*>& queue = entry->second;  // stable: a node of the map
  queue.push_back(&me);
  if (!leading) {
    me.cv.wait(lock, [&me] { return me.outcome.has_value() || me.lead; });
    if (me.outcome) return std::move(*me.outcome);
  }
  // This send leads: it is the queue's front (the first, or handed the turn).
  std::vector<PendingSend*> batch;
  while (!queue.empty() && batch.size() < kMaxSendBatch) {
    batch.push_back(queue.front());
    queue.pop_front();
  }
  lock.unlock();
  std::vector<base::Result<SentMessage>> outcomes = WriteSends(group, batch);
  lock.lock();
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i]->outcome.emplace(std::move(outcomes[i]));
    if (batch[i] != &me) batch[i]->cv.notify_one();
  }
  if (queue.empty()) {
    send_queues_->waiting.erase(group);
  } else {
    queue.front()->lead = true;
    queue.front()->cv.notify_one();
  }
  return std::move(*me.outcome);
}

std::vector<base::Result<SentMessage>> MessageStore::WriteSends(
    const std::string& group, const std::vector<PendingSend*>& batch) {
  const size_t n = batch.size();
  std::vector<std::optional<base::Result<SentMessage>>> done(n);
  auto finish = [&] {
    std::vector<base::Result<SentMessage>> out;
    out.reserve(n);
    for (auto& d : done) out.push_back(std::move(*d));
    return out;
  };
  auto fail_rest = [&](const base::Error& e) {
    for (auto& d : done) {
      if (!d) d.emplace(e);
    }
    return finish();
  };
  bool any_group_exists = false;
  for (const PendingSend* p : batch) any_group_exists |= p->group_exists;
  double read_units = 0;  // shared by the batch's sends
  Micros last = 0;
  int attempt = 0;    // transactions tried
  int lag_waits = 0;  // re-reads of a GSI that did not show an inbox item yet
  while (true) {
    // What this store's last send here wrote, if it remembers (taken out:
    // after a failure the next round reads), else the GSI.
    std::optional<std::vector<Inbox>> remembered = TakeInboxes(group);
    const bool from_cache = remembered.has_value();
    auto inboxes = from_cache ? base::Result<std::vector<Inbox>>(std::move(*remembered))
                              : ReadInboxes(group, &read_units);
    if (!inboxes.ok()) {
      if (any_group_exists && inboxes.error().code == kConversationNotFound &&
          lag_waits < kIndexLagWaits) {
        IndexLagWait(lag_waits++);
        continue;
      }
      return fail_rest(inboxes.error());
    }
    // Each inbox as the batch's sends leave it, applied in order as if one
    // after the other; `stored_sk` is the key of its item now (deleted if it
    // moves).
    struct State {
      Conversation now;
      std::optional<std::string> stored_sk;
      bool moved = false;
    };
    std::map<std::string, State> state;
    for (const Inbox& i : *inboxes) state[i.owner_uuid] = {i.conversation, i.conversation.sk};
    // Both inbox items are always written together, so a missing one is
    // most likely a GSI that has not caught up: putting a fresh item for a
    // participant now would leave them two, and a sender without one may be
    // in a conversation just created. Wait (reading again) unless the
    // inboxes are this store's own; data that really lacks one gets one.
    if (!from_cache && lag_waits < kIndexLagWaits) {
      bool lagging = false;
      for (size_t i = 0; i < n; ++i) {
        if (done[i]) continue;
        auto mine = state.find(batch[i]->sender->uuid);
        lagging |= mine == state.end() ? batch[i]->group_exists
                                       : state.count(mine->second.now.other.uuid) == 0;
      }
      if (lagging) {
        IndexLagWait(lag_waits++);
        continue;
      }
    }

    const Micros t0 = std::max(options_.clock(), last + 1);
    auto token = NewUuid();
    if (!token.ok()) return fail_rest(token.error());
    rapidjson::Document req(rapidjson::kObjectType);
    Alloc& a = req.GetAllocator();
    rapidjson::Value items(rapidjson::kArrayType);
    std::vector<size_t> written;  // indexes into batch, in time order
    std::vector<std::string> sks(n);
    for (size_t i = 0; i < n; ++i) {
      if (done[i]) continue;
      const PendingSend& p = *batch[i];
      auto mine = state.find(p.sender->uuid);
      if (mine == state.end()) {
        done[i].emplace(MakeError(kNotAMember, "not a member of conversation " + group));
        continue;
      }
      const Micros t = t0 + static_cast<Micros>(written.size());
      last = t;
      sks[i] = FormatTimestamp(t);
      written.push_back(i);
      items.PushBack(PutNew(options_.table,
                            MessageItem(group, sks[i], p.message_uuid, *p.sender, p.text, a), a),
                     a);
      // Moves `owner`'s inbox to this message unless it already shows a
      // later one (inboxes never move back in time).
      auto move_inbox = [&](const std::string& owner, const Participant& other_side) {
        State& s = state[owner];  // a missing inbox: an empty sk
        if (!s.now.sk.empty() && SortTime(s.now.sk) >= t) return;
        s.now = Conversation{group, other_side, std::string(p.text), sks[i], sks[i]};
        s.moved = true;
      };
      const Participant other = mine->second.now.other;
      move_inbox(p.sender->uuid, other);
      move_inbox(other.uuid, *p.sender);
    }
    if (written.empty()) {  // every send of the batch was refused
      if (from_cache) RememberInboxes(group, std::move(*inboxes));
      return finish();
    }
    std::vector<Inbox> after;
    for (auto& [owner, s] : state) {
      if (s.moved) {
        if (s.stored_sk) {
          items.PushBack(DeleteInbox(options_.table, owner, *s.stored_sk, group, a), a);
        }
        items.PushBack(PutNew(options_.table,
                              InboxItem(owner, s.now.sk, group, s.now.message, s.now.other, a), a),
                       a);
        s.now.message.clear();  // not remembered
      }
      after.push_back(Inbox{owner, std::move(s.now)});
    }
    req.AddMember("TransactItems", items, a);
    SetString(req, "ClientRequestToken", *token, a);
    SetString(req, "ReturnConsumedCapacity", "TOTAL", a);
    auto out = client_->CallJson("TransactWriteItems", req);
    ++attempt;
    for (size_t i : written) batch[i]->sent.attempts++;
    if (out.ok()) {
      // The batch's capacity, shared evenly by the sends it wrote.
      const double share = 1.0 / static_cast<double>(written.size());
      const double write_units = json::CapacityUnits(*out);
      for (size_t i : written) {
        PendingSend& p = *batch[i];
        p.sent.read_capacity += read_units * share;
        p.sent.write_capacity += write_units * share;
        p.sent.message_group_uuid = group;
        p.sent.message = {p.message_uuid, *p.sender, std::string(p.text), sks[i], sks[i]};
        done[i].emplace(std::move(p.sent));
      }
      RememberInboxes(group, std::move(after));
      return finish();
    }
    if (!IsRaceLost(out.error())) return fail_rest(out.error());
    if (from_cache) {  // another writer moved an inbox since: read them now
      --attempt;       // not counted towards max_send_attempts
      continue;
    }
    if (attempt >= options_.max_send_attempts) break;
    Backoff(attempt);
  }
  return fail_rest(MakeError(kSendContention, "could not add the message to conversation " + group +
                                                  ": too much contention, try again"));
}

}  // namespace cruddur::messaging
