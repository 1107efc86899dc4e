#include "cruddur/messaging/seed_conversation.h"

#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <utility>

#include "cruddur/messaging/item_json.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/timestamp.h"
#include "cruddur/messaging/user_conversations.h"

namespace cruddur::messaging {

base::Result<std::vector<DialogueLine>> ParseDialogue(std::string_view text) {
  std::vector<DialogueLine> lines;
  size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    DialogueLine d;
    if (line.rfind("Person 1: ", 0) == 0) {
      d.person = 1;
    } else if (line.rfind("Person 2: ", 0) == 0) {
      d.person = 2;
    } else {
      return base::Error(messaging::kInvalidArgument,
                         "dialogue line " + std::to_string(number) +
                             " does not start with \"Person 1: \" or \"Person 2: \"");
    }
    d.text = std::string(line.substr(10));
    lines.push_back(std::move(d));
  }
  return lines;
}

namespace {

// BatchWriteItem of `requests` (each {"PutRequest":...} / {"DeleteRequest":...}),
// 25 at a time, resending UnprocessedItems with a backoff.
base::Status BatchWrite(aws::AwsJsonClient& client, const std::string& table,
                        std::vector<std::string> requests,
                        const std::function<void(size_t)>& on_done) {
  size_t i = 0;
  while (i < requests.size()) {
    const size_t n = std::min<size_t>(25, requests.size() - i);
    std::string body = "[";
    for (size_t k = 0; k < n; ++k) body += (k ? "," : "") + requests[i + k];
    body += "]";
    rapidjson::Document req;
    req.Parse(("{\"RequestItems\":{\"\":" + body + "}}").c_str());
    // Put the real table name in (the placeholder keeps escaping in one place).
    rapidjson::Value items(req["RequestItems"][""], req.GetAllocator());
    req["RequestItems"].RemoveMember("");
    req["RequestItems"].AddMember(json::Str(table, req.GetAllocator()), items, req.GetAllocator());
    int round = 0;
    while (true) {
      ASSIGN_OR_RETURN(auto out, client.CallJson("BatchWriteItem", req));
      if (!out.HasMember("UnprocessedItems") || out["UnprocessedItems"].ObjectEmpty()) break;
      if (++round > 20) {
        return base::Error(messaging::kUnprocessedItems,
                           "BatchWriteItem left items unprocessed after 20 tries");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50 * round));
      rapidjson::Value rest(out["UnprocessedItems"], req.GetAllocator());
      req["RequestItems"] = rest;
    }
    i += n;
    if (on_done) on_done(i);
  }
  return base::Status::Ok();
}

std::string PutRequest(const rapidjson::Value& item) {
  return "{\"PutRequest\":{\"Item\":" + json::ToString(item) + "}}";
}

}  // namespace

base::Result<SeedReport> SeedConversation(aws::AwsJsonClient& client, const std::string& table,
                                          const Participant& first, const Participant& second,
                                          const std::vector<DialogueLine>& lines,
                                          const std::function<void(int, int)>& progress) {
  messaging::MessageStoreOptions options;
  options.table = table;
  messaging::MessageStore store(&client, options);
  const std::string group(kSeedGroupUuid);

  // What the conversation already holds.
  std::vector<messaging::Message> existing;
  std::string cursor;
  do {
    ASSIGN_OR_RETURN(auto page, store.ListMessages(group, messaging::kMaxPageSize, cursor));
    existing.insert(existing.end(), page.messages.begin(), page.messages.end());
    cursor = page.older_cursor;
  } while (!cursor.empty());
  std::map<std::pair<std::string, std::string>, std::string> present;  // (handle, text) -> sk
  Micros base = messaging::NowMicros() - Micros{86400} * 1000000;
  bool have_base = false;
  for (const auto& m : existing) {
    present.emplace(std::make_pair(m.sender.handle, m.message), m.sk);
    auto t = messaging::ParseTimestamp(m.sk);
    if (t.ok() && (!have_base || *t < base)) {
      base = *t;
      have_base = true;
    }
  }

  SeedReport report;
  std::vector<std::string> puts;
  std::string last_sk;
  const int total = static_cast<int>(lines.size());
  for (int i = 0; i < total; ++i) {
    const Participant& sender = lines[i].person == 1 ? first : second;
    auto it = present.find({sender.handle, lines[i].text});
    if (it != present.end()) {
      ++report.already_present;
      last_sk = it->second;
      continue;
    }
    const std::string sk = messaging::FormatTimestamp(base + Micros{i} * 60 * 1000000);
    ASSIGN_OR_RETURN(std::string uuid, NewUuid());
    rapidjson::Document item(rapidjson::kObjectType);
    auto& a = item.GetAllocator();
    json::SetS(item, "pk", "MSG#" + group, a);
    json::SetS(item, "sk", sk, a);
    json::SetS(item, "message_uuid", uuid, a);
    json::SetS(item, "message", lines[i].text, a);
    json::SetS(item, "user_uuid", sender.uuid, a);
    json::SetS(item, "user_display_name", sender.display_name, a);
    json::SetS(item, "user_handle", sender.handle, a);
    puts.push_back(PutRequest(item));
    last_sk = sk;
  }
  report.written = static_cast<int>(puts.size());
  if (progress) progress(report.already_present, total);
  RETURN_IF_ERROR(BatchWrite(client, table, puts, [&](size_t done) {
    if (progress) progress(report.already_present + static_cast<int>(done), total);
  }));
  if (lines.empty()) return report;

  // Both inbox items show the last line, at its time; older ones go.
  const DialogueLine& last = lines.back();
  std::vector<std::string> inbox_writes;
  // Every inbox item of the group, duplicates included, via the GSI.
  rapidjson::Document q;
  q.Parse(
      R"({"IndexName":"message-group-sk-index","KeyConditionExpression":"message_group_uuid = :g"})");
  json::SetString(q, "TableName", table, q.GetAllocator());
  rapidjson::Value values(rapidjson::kObjectType);
  json::SetS(values, ":g", group, q.GetAllocator());
  q.AddMember("ExpressionAttributeValues", values, q.GetAllocator());
  std::set<std::pair<std::string, std::string>> stale;
  while (true) {
    ASSIGN_OR_RETURN(auto out, client.CallJson("Query", q));
    for (const auto& item : out["Items"].GetArray()) {
      if (json::GetS(item, "sk") != last_sk)
        stale.insert({json::GetS(item, "pk"), json::GetS(item, "sk")});
    }
    if (!out.HasMember("LastEvaluatedKey")) break;
    q.RemoveMember("ExclusiveStartKey");
    rapidjson::Value key(out["LastEvaluatedKey"], q.GetAllocator());
    q.AddMember("ExclusiveStartKey", key, q.GetAllocator());
  }
  for (const auto& [pk, sk] : stale) {
    rapidjson::Document key(rapidjson::kObjectType);
    json::SetS(key, "pk", pk, key.GetAllocator());
    json::SetS(key, "sk", sk, key.GetAllocator());
    inbox_writes.push_back("{\"DeleteRequest\":{\"Key\":" + json::ToString(key) + "}}");
  }
  for (int side = 0; side < 2; ++side) {
    const Participant& owner = side == 0 ? first : second;
    const Participant& other = side == 0 ? second : first;
    rapidjson::Document item(rapidjson::kObjectType);
    auto& a = item.GetAllocator();
    json::SetS(item, "pk", "GRP#" + owner.uuid, a);
    json::SetS(item, "sk", last_sk, a);
    json::SetS(item, "message_group_uuid", group, a);
    json::SetS(item, "message", last.text, a);
    json::SetS(item, "user_uuid", other.uuid, a);
    json::SetS(item, "user_display_name", other.display_name, a);
    json::SetS(item, "user_handle", other.handle, a);
    inbox_writes.push_back(PutRequest(item));
  }
  RETURN_IF_ERROR(BatchWrite(client, table, inbox_writes, nullptr));
  // The pair item, so that either user starting a conversation with the
  // other lands in this one (MessageStore::StartConversation). Written only
  // if the two have none: a conversation they already share stays theirs.
  RETURN_IF_ERROR(store.LinkConversation(first.uuid, second.uuid, group));
  report.last_message_at = messaging::NormalizeTimestamp(last_sk).ok()
                               ? *messaging::NormalizeTimestamp(last_sk)
                               : last_sk;
  return report;
}

base::Result<SeedDataReport> SeedData(aws::AwsJsonClient& client, const std::string& table,
                                      users::UsersDirectory& directory,
                                      const std::function<void(int, int)>& progress) {
  auto lines = ParseDialogue(kSeedDialogueText);
  if (!lines.ok()) return std::move(lines).error();
  SeedDataReport report;
  if (auto s = directory.CreateSchema(); !s.ok()) return std::move(s).error();
  auto inserted = directory.SeedUsers();
  if (!inserted.ok()) return std::move(inserted).error();
  report.users_inserted = *inserted;
  auto first = directory.FindByHandle("andrewbrown");
  if (!first.ok()) return std::move(first).error();
  auto second = directory.FindByHandle("bayko");
  if (!second.ok()) return std::move(second).error();
  auto conversation = SeedConversation(client, table, messaging::ParticipantOf(*first),
                                       messaging::ParticipantOf(*second), *lines, progress);
  if (!conversation.ok()) return std::move(conversation).error();
  report.conversation = std::move(conversation).value();
  return report;
}

}  // namespace cruddur::messaging
