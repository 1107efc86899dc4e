// Patterns A-D end to end, on each transport (the embedded engine through
// EngineTransport, and build/bin/ddb-server over signed HTTP) and each users
// backend (SQLite; PostgreSQL when CONNECTION_URL_TEST_PG is set).
#include "cruddur/messaging/message_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <latch>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "../users/backends.h"
#include "aws/client.h"
#include "aws/engine/engine_transport.h"
#include "base/uuid.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/item_json.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/messaging/user_conversations.h"

namespace cruddur::messaging {
namespace {

namespace fs = std::filesystem;
using users::testing::Backend;

// A ddb-server child process on an ephemeral port, not throttled.
class ServerProcess {
 public:
  bool Start() {
    fs::path bin = fs::read_symlink("/proc/self/exe").parent_path() / "ddb-server";
    if (!fs::exists(bin)) return false;
    int fds[2];
    if (pipe(fds) != 0) return false;
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(bin.c_str(), "ddb-server", "--port", "0", "--in-memory", "--no-throttling",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[512] = {0};
    bool got = fgets(line, sizeof(line), out) != nullptr;
    fclose(out);
    if (!got) return false;
    std::string text = line;
    size_t at = text.find("listening on http://127.0.0.1:");
    if (at == std::string::npos) return false;
    url_ = "http://127.0.0.1:" + std::to_string(std::stoi(text.substr(at + 30)));
    return true;
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

enum class Transport { kEngine, kHttp };

struct Shared {
  std::unique_ptr<ddb::Engine> engine;
  std::unique_ptr<ServerProcess> server;
  bool server_ok = false;
};
Shared* shared = nullptr;

class Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    shared = new Shared;
    ddb::EngineOptions options;
    options.store.in_memory = true;
    options.store.sync = false;
    options.throttling = false;
    auto engine = ddb::Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    shared->engine = std::move(engine).value();
    shared->server = std::make_unique<ServerProcess>();
    shared->server_ok = shared->server->Start();
  }
  void TearDown() override {
    delete shared;
    shared = nullptr;
  }
};
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Environment);

std::string UniqueTable() {
  static std::atomic<int> n{0};
  return "msgs-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

using Param = std::tuple<Transport, Backend>;

std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return std::string(std::get<0>(info.param) == Transport::kEngine ? "Engine" : "Http") + "_" +
         (std::get<1>(info.param) == Backend::kSqlite ? "SQLite" : "PostgreSQL");
}

class MessagingTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Transport::kEngine) {
      client_ = std::make_unique<aws::AwsJsonClient>(
          std::make_unique<aws::EngineTransport>(shared->engine.get()));
    } else {
      if (!shared->server_ok) GTEST_SKIP() << "build/bin/ddb-server not built or did not start";
      std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", shared->server->url()},
                                                {"AWS_REGION", "us-east-1"},
                                                {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                                {"AWS_SECRET_ACCESS_KEY", "secret"},
                                                {"HOME", "/nonexistent"}};
      auto c = aws::AwsJsonClient::FromEnvironment(
          aws::kDynamoDB, {}, [env](std::string_view n) -> std::optional<std::string> {
            auto it = env.find(std::string(n));
            if (it == env.end()) return std::nullopt;
            return it->second;
          });
      ASSERT_TRUE(c.ok()) << c.error().message;
      client_ = std::move(c).value();
    }
    db_ = std::make_unique<users::testing::TestDatabase>(std::get<1>(GetParam()));
    if (!db_->Prepare()) GTEST_SKIP() << users::testing::kNoPostgresMessage;
    auto dir = users::OpenUsersDirectory(db_->url());
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    users_ = std::move(dir).value();
    ASSERT_TRUE(users_->CreateSchema().ok());
    ASSERT_TRUE(users_->SeedUsers().ok());
    andrew_ = ParticipantOf(*users_->FindByHandle("andrewbrown"));
    bayko_ = ParticipantOf(*users_->FindByHandle("bayko"));
    londo_ = ParticipantOf(*users_->FindByHandle("londo"));

    table_ = UniqueTable();
    auto created = CreateMessagesTable(*client_, table_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    MessageStoreOptions options;
    options.table = table_;
    store_ = std::make_unique<MessageStore>(client_.get(), options);
  }
  void TearDown() override {
    if (client_ && !table_.empty()) (void)DeleteTable(*client_, table_);
    store_.reset();
    users_.reset();
    db_.reset();
  }

  // All raw items of the table.
  std::vector<rapidjson::Document> Items() {
    std::vector<rapidjson::Document> items;
    auto n = ScanTable(*client_, table_, [&](const std::string& text) {
      rapidjson::Document d;
      d.Parse(text.c_str());
      items.push_back(std::move(d));
    });
    EXPECT_TRUE(n.ok());
    return items;
  }

  // Every message of the group, oldest first, following the cursors.
  std::vector<Message> AllMessages(const std::string& group, int page_size) {
    std::vector<Message> all;
    std::string cursor;
    do {
      auto page = store_->ListMessages(group, page_size, cursor);
      EXPECT_TRUE(page.ok()) << page.error().message;
      if (!page.ok()) break;
      all.insert(all.begin(), page->messages.begin(), page->messages.end());
      cursor = page->older_cursor;
    } while (!cursor.empty());
    return all;
  }

  void PutRaw(const std::string& json_item) {
    std::string req = R"({"TableName":")" + table_ + R"(","Item":)" + json_item + "}";
    auto r = client_->Call("PutItem", req);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // The group_uuid of the two users' pair item, read raw; "" if none.
  std::string PairGroup(const Participant& x, const Participant& y) {
    auto r = client_->Call("GetItem", R"({"TableName":")" + table_ + R"(","Key":{"pk":{"S":")" +
                                          PairKey(x.uuid, y.uuid) +
                                          R"("},"sk":{"S":"PAIR"}},"ConsistentRead":true})");
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return "";
    rapidjson::Document d;
    d.Parse(r->c_str());
    return d.HasMember("Item") ? json::GetS(d["Item"], "group_uuid") : "";
  }

  // `threads` StartConversation calls released at the same instant, even
  // ones from `a` to `b`, odd ones from `b` to `a`, each with its own text
  // (`prefix` + "t<number>").
  std::vector<std::optional<base::Result<SentMessage>>> RacingStarts(const Participant& a,
                                                                     const Participant& b,
                                                                     int threads,
                                                                     const std::string& prefix) {
    std::latch go(threads);
    std::vector<std::optional<base::Result<SentMessage>>> results(threads);
    std::vector<std::thread> running;
    for (int t = 0; t < threads; ++t) {
      running.emplace_back([&, t] {
        go.arrive_and_wait();
        const std::string text = prefix + "t" + std::to_string(t);
        results[t] =
            t % 2 ? store_->StartConversation(b, a, text) : store_->StartConversation(a, b, text);
      });
    }
    for (auto& th : running) th.join();
    return results;
  }

  // An inbox item as the seed's scripts and older versions wrote them.
  void PutLegacyInbox(const Participant& owner, const Participant& other, const std::string& group,
                      const std::string& sk, const std::string& text) {
    PutRaw(R"({"pk":{"S":"GRP#)" + owner.uuid + R"("},"sk":{"S":")" + sk +
           R"("},"message_group_uuid":{"S":")" + group + R"("},"message":{"S":")" + text +
           R"("},"user_uuid":{"S":")" + other.uuid + R"("},"user_display_name":{"S":")" +
           other.display_name + R"("},"user_handle":{"S":")" + other.handle + R"("}})");
  }

  std::unique_ptr<aws::AwsJsonClient> client_;
  std::unique_ptr<users::testing::TestDatabase> db_;
  std::unique_ptr<users::UsersDirectory> users_;
  std::unique_ptr<MessageStore> store_;
  std::string table_;
  Participant andrew_, bayko_, londo_;
};

TEST_P(MessagingTest, StartConversationWritesBothInboxesAndTheMessage) {
  auto sent = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko", "hello bayko");
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_TRUE(sent->new_conversation);
  EXPECT_TRUE(base::IsUuid(sent->message_group_uuid));
  EXPECT_TRUE(base::IsUuid(sent->message.uuid));
  EXPECT_NE(sent->message.uuid, andrew_.uuid);  // reference bug §10.4
  EXPECT_EQ(sent->message.created_at.size(), kTimestampLength);

  auto items = Items();
  ASSERT_EQ(items.size(), 4u);
  int grp = 0, msg = 0, pair = 0;
  for (auto& item : items) {
    const std::string pk = json::GetS(item, "pk");
    if (pk.rfind("PAIR#", 0) == 0) {
      ++pair;
      EXPECT_EQ(pk, PairKey(andrew_.uuid, bayko_.uuid));
      EXPECT_EQ(json::GetS(item, "sk"), "PAIR");
      EXPECT_EQ(json::GetS(item, "group_uuid"), sent->message_group_uuid);
      EXPECT_FALSE(item.HasMember("message_group_uuid"));  // stays out of the GSI
      EXPECT_EQ(item.MemberCount(), 3u);
      continue;
    }
    EXPECT_EQ(json::GetS(item, "sk"), sent->message.created_at);
    EXPECT_EQ(json::GetS(item, "message"), "hello bayko");
    if (pk == "GRP#" + andrew_.uuid) {
      ++grp;
      EXPECT_EQ(json::GetS(item, "user_handle"), "bayko");
      EXPECT_EQ(json::GetS(item, "user_uuid"), bayko_.uuid);
      EXPECT_EQ(json::GetS(item, "user_display_name"), "Andrew Bayko");
      EXPECT_EQ(json::GetS(item, "message_group_uuid"), sent->message_group_uuid);
      EXPECT_EQ(item.MemberCount(), 7u);
    } else if (pk == "GRP#" + bayko_.uuid) {
      ++grp;
      EXPECT_EQ(json::GetS(item, "user_handle"), "andrewbrown");
      EXPECT_EQ(json::GetS(item, "message_group_uuid"), sent->message_group_uuid);
    } else {
      ++msg;
      EXPECT_EQ(pk, "MSG#" + sent->message_group_uuid);
      EXPECT_EQ(json::GetS(item, "message_uuid"), sent->message.uuid);
      EXPECT_EQ(json::GetS(item, "user_handle"), "andrewbrown");
      EXPECT_FALSE(item.HasMember("message_group_uuid"));  // keeps the GSI sparse
      EXPECT_EQ(item.MemberCount(), 7u);
    }
  }
  EXPECT_EQ(grp, 2);
  EXPECT_EQ(msg, 1);
  EXPECT_EQ(pair, 1);
}

TEST_P(MessagingTest, StartConversationReusesTheExistingOne) {
  auto first = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko", "one");
  ASSERT_TRUE(first.ok());
  // Either side starting again lands in the same conversation.
  auto second = StartConversationWithHandle(*store_, *users_, bayko_.uuid, "andrewbrown", "two");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_FALSE(second->new_conversation);
  EXPECT_EQ(second->message_group_uuid, first->message_group_uuid);
  auto third = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko", "three");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->message_group_uuid, first->message_group_uuid);
  // A different user is a different conversation.
  auto other = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "londo", "hi londo");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->new_conversation);
  EXPECT_NE(other->message_group_uuid, first->message_group_uuid);

  auto mine = store_->ListConversations(andrew_.uuid);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->conversations.size(), 2u);  // one inbox line per conversation
  EXPECT_EQ(mine->conversations[0].other.handle, "londo");
  EXPECT_EQ(mine->conversations[1].other.handle, "bayko");
  EXPECT_EQ(mine->conversations[1].message, "three");
  auto messages = store_->ListMessages(first->message_group_uuid);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->messages.size(), 3u);
  EXPECT_EQ(messages->messages[0].message, "one");
  EXPECT_EQ(messages->messages[1].message, "two");
  EXPECT_EQ(messages->messages[1].sender.handle, "bayko");
  EXPECT_EQ(messages->messages[2].message, "three");
}

TEST_P(MessagingTest, StartConversationErrors) {
  auto self = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "andrewbrown", "me");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, kSelfConversation);
  auto nobody = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "nobody", "hi");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, users::kUserNotFound);
  auto empty = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko", "  \n");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, kBlankMessage);
  auto longer = StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko",
                                            std::string(kMaxMessageChars + 1, 'x'));
  ASSERT_FALSE(longer.ok());
  EXPECT_EQ(longer.error().code, kMessageTooLong);
  // 1024 characters of 2 bytes each is fine.
  std::string accents;
  for (size_t i = 0; i < kMaxMessageChars; ++i) accents += "é";
  EXPECT_TRUE(StartConversationWithHandle(*store_, *users_, andrew_.uuid, "bayko", accents).ok());
  EXPECT_EQ(Items().size(), 4u);  // pair, two inbox items, the message
}

TEST_P(MessagingTest, SendMessageMovesBothInboxesAndChecksMembership) {
  auto first = store_->StartConversation(andrew_, bayko_, "first");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  auto reply = store_->SendMessage(group, bayko_, "reply");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->attempts, 1);
  EXPECT_GT(reply->message.created_at, first->message.created_at);
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].message, "reply");
    EXPECT_EQ(inbox->conversations[0].created_at, reply->message.created_at);
    EXPECT_EQ(inbox->conversations[0].other.uuid, p == &andrew_ ? bayko_.uuid : andrew_.uuid);
  }
  EXPECT_EQ(Items().size(), 5u);  // two messages, two inbox items, the pair item

  auto outsider = store_->SendMessage(group, londo_, "let me in");
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().code, kNotAMember);
  EXPECT_EQ(store_->CheckMember(group, londo_.uuid).error().code, kNotAMember);
  EXPECT_TRUE(store_->CheckMember(group, andrew_.uuid).ok());
  auto unknown = store_->SendMessage("00000000-0000-4000-8000-000000000000", andrew_, "x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, kConversationNotFound);
  auto garbage = store_->SendMessage("not-a-uuid", andrew_, "x");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, kInvalidArgument);
  EXPECT_EQ(Items().size(), 5u);
}

TEST_P(MessagingTest, SameMicrosecondMessagesBothSurvive) {
  auto first = store_->StartConversation(andrew_, bayko_, "first");
  ASSERT_TRUE(first.ok());
  MessageStoreOptions options;
  options.table = table_;
  const Micros frozen = *ParseTimestamp(first->message.created_at) + 1000;
  options.clock = [frozen] { return frozen; };
  MessageStore frozen_store(client_.get(), options);
  auto a = frozen_store.SendMessage(first->message_group_uuid, andrew_, "a");
  auto b = frozen_store.SendMessage(first->message_group_uuid, bayko_, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->message.sk, b->message.sk);
  EXPECT_GT(b->message.sk, a->message.sk);
  auto all = AllMessages(first->message_group_uuid, 20);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].message, "a");
  EXPECT_EQ(all[2].message, "b");
  auto inbox = store_->ListConversations(andrew_.uuid);
  EXPECT_EQ(inbox->conversations[0].message, "b");
}

TEST_P(MessagingTest, InboxNeverMovesBackInTime) {
  auto first = store_->StartConversation(andrew_, bayko_, "now");
  ASSERT_TRUE(first.ok());
  MessageStoreOptions options;
  options.table = table_;
  options.clock = [] { return *ParseTimestamp("2020-01-01T00:00:00"); };  // a slow clock
  MessageStore slow(client_.get(), options);
  auto old = slow.SendMessage(first->message_group_uuid, bayko_, "from the past");
  ASSERT_TRUE(old.ok()) << old.error().message;
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].message, "now");
  }
  auto all = AllMessages(first->message_group_uuid, 20);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].message, "from the past");
}

TEST_P(MessagingTest, PaginatesOver150Messages) {
  auto first = store_->StartConversation(andrew_, bayko_, "message 0");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  for (int i = 1; i < 155; ++i) {
    auto r = store_->SendMessage(group, i % 2 ? bayko_ : andrew_, "message " + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  // Newest page first, each page oldest-to-newest, no current-year filter.
  auto page = store_->ListMessages(group, 20);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->messages.size(), 20u);
  EXPECT_EQ(page->messages.front().message, "message 135");
  EXPECT_EQ(page->messages.back().message, "message 154");
  EXPECT_FALSE(page->older_cursor.empty());
  EXPECT_GT(page->consumed_capacity, 0);

  for (int size : {1, 7, 20, 100}) {
    auto all = AllMessages(group, size);
    ASSERT_EQ(all.size(), 155u) << size;
    for (int i = 0; i < 155; ++i) EXPECT_EQ(all[i].message, "message " + std::to_string(i));
  }
  // A cursor only continues its own conversation.
  auto other = store_->StartConversation(andrew_, londo_, "elsewhere");
  auto replay = store_->ListMessages(other->message_group_uuid, 20, page->older_cursor);
  ASSERT_FALSE(replay.ok());
  EXPECT_EQ(replay.error().code, kInvalidCursor);
  auto bad = store_->ListMessages(group, 20, "not a cursor");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kInvalidCursor);
  EXPECT_EQ(store_->ListMessages(group, 0).error().code, kInvalidArgument);
  EXPECT_EQ(store_->ListMessages(group, 101).error().code, kInvalidArgument);
}

TEST_P(MessagingTest, ListConversationsPaginatesNewestFirst) {
  // Andrew talks to 25 users.
  std::vector<std::string> handles;
  for (int i = 0; i < 25; ++i) {
    auto u = users_->InsertUser(users::testing::MakeUser("user" + std::to_string(i)));
    ASSERT_TRUE(u.ok()) << u.error().message;
    handles.push_back(u->handle);
    ASSERT_TRUE(
        StartConversationWithHandle(*store_, *users_, andrew_.uuid, u->handle, "hi " + u->handle)
            .ok());
  }
  std::vector<Conversation> all;
  std::string cursor;
  int pages = 0;
  do {
    auto page = store_->ListConversations(andrew_.uuid, 10, cursor);
    ASSERT_TRUE(page.ok()) << page.error().message;
    all.insert(all.end(), page->conversations.begin(), page->conversations.end());
    cursor = page->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_GE(pages, 3);
  ASSERT_EQ(all.size(), 25u);
  for (int i = 0; i < 25; ++i) EXPECT_EQ(all[i].other.handle, handles[24 - i]);
  auto bad = store_->ListConversations(
      andrew_.uuid, 10,
      EncodeCursor(rapidjson::Document().Parse(R"({"pk":{"S":"GRP#x"},"sk":{"S":"y"}})")));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kInvalidCursor);
}

TEST_P(MessagingTest, ConcurrentSendsIntoOneConversation) {
  auto first = store_->StartConversation(andrew_, bayko_, "start");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  constexpr int kThreads = 8, kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  std::vector<std::vector<SentMessage>> sent(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = store_->SendMessage(group, t % 2 ? bayko_ : andrew_,
                                     "t" + std::to_string(t) + " m" + std::to_string(i));
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << r.error().Name() << ": " << r.error().message;
        } else {
          sent[t].push_back(*r);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  auto all = AllMessages(group, 100);
  ASSERT_EQ(all.size(), size_t(kThreads * kEach + 1));
  std::set<std::string> texts, uuids;
  for (auto& m : all) {
    texts.insert(m.message);
    uuids.insert(m.uuid);
  }
  EXPECT_EQ(texts.size(), all.size());  // every message exactly once
  EXPECT_EQ(uuids.size(), all.size());
  const Message& newest = all.back();
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].sk, newest.sk);
    EXPECT_EQ(inbox->conversations[0].message, newest.message);
  }
  EXPECT_EQ(Items().size(), all.size() + 3);  // + two inbox items and the pair item
}

// Sends that arrive while a send of their conversation is being written
// wait for it and then go in one transaction: each message its own item,
// the inboxes moved once to the newest, the capacity shared; a non-member
// among them is refused alone.
TEST_P(MessagingTest, SendsWaitingForTheirTurnGoInOneTransaction) {
  auto first = store_->StartConversation(andrew_, bayko_, "start");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  MessageStoreOptions options;
  options.table = table_;
  std::atomic<int> clock_calls{0};
  options.clock = [&clock_calls] {
    // The first send holds the turn long enough for the others to queue.
    if (clock_calls++ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return NowMicros();
  };
  MessageStore slow(client_.get(), options);
  std::optional<base::Result<SentMessage>> lead;
  std::thread leader([&] { lead = slow.SendMessage(group, andrew_, "leader"); });
  while (clock_calls.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  constexpr int kQueued = 6;  // the last one from an outsider
  std::vector<std::optional<base::Result<SentMessage>>> queued(kQueued);
  std::vector<std::thread> threads;
  for (int i = 0; i < kQueued; ++i) {
    threads.emplace_back([&, i] {
      const Participant& who = i == kQueued - 1 ? londo_ : (i % 2 ? andrew_ : bayko_);
      queued[i] = slow.SendMessage(group, who, "q" + std::to_string(i));
    });
  }
  leader.join();
  for (auto& t : threads) t.join();

  ASSERT_TRUE(lead->ok()) << lead->error().message;
  EXPECT_DOUBLE_EQ((*lead)->write_capacity, 14.0);  // alone in its transaction
  ASSERT_FALSE(queued[kQueued - 1]->ok());
  EXPECT_EQ(queued[kQueued - 1]->error().code, kNotAMember);
  std::string newest;
  for (int i = 0; i < kQueued - 1; ++i) {
    ASSERT_TRUE(queued[i]->ok()) << queued[i]->error().message;
    const SentMessage& sent = **queued[i];
    EXPECT_EQ(sent.attempts, 1);
    EXPECT_GT(sent.message.sk, (*lead)->message.sk);
    // One transaction for the five: their capacity is its fifth each.
    EXPECT_DOUBLE_EQ(sent.write_capacity, (**queued[0]).write_capacity);
    EXPECT_LT(sent.write_capacity, 14.0);
    newest = std::max(newest, sent.message.sk);
  }
  auto all = AllMessages(group, 100);
  ASSERT_EQ(all.size(), size_t(kQueued + 1));  // start, leader, five queued
  std::set<std::string> sks;
  for (const Message& m : all) sks.insert(m.sk);
  EXPECT_EQ(sks.size(), all.size());
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].sk, newest);
    EXPECT_EQ(inbox->conversations[0].message, all.back().message);
    EXPECT_EQ(inbox->conversations[0].other.uuid, p == &andrew_ ? bayko_.uuid : andrew_.uuid);
  }
  EXPECT_EQ(Items().size(), all.size() + 3);  // + two inbox items and the pair item
}

// Two users starting their conversation at the same instant, from both
// sides and several times each, get one conversation: exactly one start
// creates it, the others send into it, and both inboxes show the newest
// message. Several rounds, each with a fresh pair of users.
TEST_P(MessagingTest, ConcurrentStartsCreateOneConversation) {
  constexpr int kRounds = 4, kThreads = 16;
  std::set<std::string> round_groups;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string n = std::to_string(round);
    const Participant ann{*NewUuid(), "Ann " + n, "ann" + n};
    const Participant bob{*NewUuid(), "Bob " + n, "bob" + n};
    auto results = RacingStarts(ann, bob, kThreads, "r" + n + " ");

    std::set<std::string> groups, uuids;
    int created = 0;
    for (int t = 0; t < kThreads; ++t) {
      ASSERT_TRUE(results[t]->ok())
          << results[t]->error().Name() << ": " << results[t]->error().message;
      const SentMessage& sent = **results[t];
      groups.insert(sent.message_group_uuid);
      uuids.insert(sent.message.uuid);
      created += sent.new_conversation;
    }
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(created, 1);
    const std::string group = *groups.begin();

    // Every message exactly once, in the one group.
    auto all = AllMessages(group, 100);
    ASSERT_EQ(all.size(), size_t(kThreads));
    std::set<std::string> texts, stored_uuids;
    for (const auto& m : all) {
      texts.insert(m.message);
      stored_uuids.insert(m.uuid);
    }
    EXPECT_EQ(texts.size(), size_t(kThreads));
    EXPECT_EQ(stored_uuids, uuids);

    // One inbox item per user, showing the newest message.
    const Message& newest = all.back();
    for (const Participant* p : {&ann, &bob}) {
      auto inbox = store_->ListConversations(p->uuid);
      ASSERT_TRUE(inbox.ok());
      ASSERT_EQ(inbox->conversations.size(), 1u);
      EXPECT_EQ(inbox->conversations[0].message_group_uuid, group);
      EXPECT_EQ(inbox->conversations[0].sk, newest.sk);
      EXPECT_EQ(inbox->conversations[0].message, newest.message);
      EXPECT_EQ(inbox->conversations[0].other.uuid, p == &ann ? bob.uuid : ann.uuid);
    }
    auto inboxes = store_->ConversationInboxes(group);
    ASSERT_TRUE(inboxes.ok());
    EXPECT_EQ(inboxes->size(), 2u);
    // The pair item names it, from both sides.
    EXPECT_EQ(*store_->FindConversationWith(ann.uuid, bob.uuid), group);
    EXPECT_EQ(*store_->FindConversationWith(bob.uuid, ann.uuid), group);
    round_groups.insert(group);
  }
  // Nothing else was written: per round one message partition, two inbox
  // items and one pair item, naming that round's group.
  std::set<std::string> message_partitions;
  int inbox_items = 0, pair_items = 0;
  for (auto& item : Items()) {
    const std::string pk = json::GetS(item, "pk");
    if (pk.rfind("MSG#", 0) == 0) message_partitions.insert(pk);
    if (pk.rfind("GRP#", 0) == 0) ++inbox_items;
    if (pk.rfind("PAIR#", 0) == 0) {
      ++pair_items;
      EXPECT_EQ(round_groups.count(json::GetS(item, "group_uuid")), 1u) << pk;
    }
  }
  EXPECT_EQ(message_partitions.size(), size_t(kRounds));
  EXPECT_EQ(inbox_items, 2 * kRounds);
  EXPECT_EQ(pair_items, kRounds);
}

// The pair item names the conversation of two users: it is written once
// (LinkConversation never replaces it), found before any inbox search, and
// never shows up among inbox items or in the GSI.
TEST_P(MessagingTest, PairItemNamesTheConversation) {
  EXPECT_EQ(PairKey(andrew_.uuid, bayko_.uuid), PairKey(bayko_.uuid, andrew_.uuid));
  EXPECT_EQ(PairKey("BBBBBBBB-0000-4000-8000-000000000000", "aaaaaaaa-0000-4000-8000-000000000000"),
            "PAIR#aaaaaaaa-0000-4000-8000-000000000000#bbbbbbbb-0000-4000-8000-000000000000");

  auto first = store_->StartConversation(andrew_, bayko_, "hi");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  EXPECT_EQ(PairGroup(andrew_, bayko_), group);
  const std::string elsewhere = "11111111-1111-4111-8111-111111111111";
  auto link = store_->LinkConversation(bayko_.uuid, andrew_.uuid, elsewhere);
  ASSERT_TRUE(link.ok()) << link.error().message;
  EXPECT_EQ(*link, group);  // the existing one stays
  EXPECT_EQ(PairGroup(andrew_, bayko_), group);
  EXPECT_EQ(*store_->LinkConversation(andrew_.uuid, bayko_.uuid, group), group);  // idempotent

  // A pair item that exists answers before the inbox is searched: link
  // andrew and londo to a conversation andrew's inbox knows nothing about.
  ASSERT_EQ(*store_->LinkConversation(andrew_.uuid, londo_.uuid, elsewhere), elsewhere);
  EXPECT_EQ(*store_->FindConversationWith(londo_.uuid, andrew_.uuid), elsewhere);
  EXPECT_FALSE(store_->FindConversationWith(bayko_.uuid, londo_.uuid)->has_value());

  // Not an inbox line, not in the GSI.
  auto inbox = store_->ListConversations(andrew_.uuid);
  ASSERT_EQ(inbox->conversations.size(), 1u);
  EXPECT_EQ(inbox->conversations[0].message_group_uuid, group);
  auto index = client_->Call(
      "Scan", R"({"TableName":")" + table_ + R"(","IndexName":"message-group-sk-index"})");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->find("PAIR#"), std::string::npos);
  EXPECT_NE(index->find("\"Count\":2"), std::string::npos) << *index;

  auto self = store_->LinkConversation(andrew_.uuid, andrew_.uuid, group);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, kSelfConversation);
  EXPECT_EQ(store_->LinkConversation("nope", bayko_.uuid, group).error().code, kInvalidArgument);
  EXPECT_EQ(store_->LinkConversation(andrew_.uuid, bayko_.uuid, "nope").error().code,
            kInvalidArgument);
  EXPECT_EQ(store_->FindConversationWith(andrew_.uuid, "nope").error().code, kInvalidArgument);
}

// Data from before pair items (the seed's scripts, older versions): a
// conversation with inbox items but no pair item. Starts racing on it, from
// both sides, all land in it; the first to find it writes the pair item and
// the others agree.
TEST_P(MessagingTest, ConcurrentStartsOnOlderDataUseItsConversation) {
  const std::string group = "22222222-2222-4222-8222-222222222222";
  const std::string sk = "2023-03-20T22:30:15.123456";
  PutLegacyInbox(andrew_, bayko_, group, sk, "old");
  PutLegacyInbox(bayko_, andrew_, group, sk, "old");
  // An older conversation of the same two users (the reference's duplicate
  // groups): the newest one is theirs.
  PutLegacyInbox(andrew_, bayko_, "33333333-3333-4333-8333-333333333333",
                 "2022-01-01T00:00:00.000000", "older");
  constexpr int kThreads = 8;
  auto results = RacingStarts(andrew_, bayko_, kThreads, "");
  for (auto& r : results) {
    ASSERT_TRUE(r->ok()) << r->error().message;
    EXPECT_EQ((*r)->message_group_uuid, group);
    EXPECT_FALSE((*r)->new_conversation);
  }
  EXPECT_EQ(PairGroup(andrew_, bayko_), group);
  EXPECT_EQ(AllMessages(group, 100).size(), size_t(kThreads));
  auto inboxes = store_->ConversationInboxes(group);
  ASSERT_TRUE(inboxes.ok());
  EXPECT_EQ(inboxes->size(), 2u);
  auto bayko_inbox = store_->ListConversations(bayko_.uuid);
  EXPECT_EQ(bayko_inbox->conversations.size(), 1u);
}

// A conversation whose other inbox item is missing (hand-made or partial
// older data; on DynamoDB also a GSI that has not caught up yet): the send
// waits for it a moment, then writes it, once.
TEST_P(MessagingTest, SendWritesAMissingInboxItemOnce) {
  const std::string group = "55555555-5555-4555-8555-555555555555";
  PutLegacyInbox(andrew_, bayko_, group, "2023-03-20T22:30:15.123456", "old");
  const auto start = std::chrono::steady_clock::now();
  auto sent = store_->SendMessage(group, andrew_, "anyone there?");
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  auto reply = store_->SendMessage(group, bayko_, "yes");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].message, "yes");
  }
}

// What patterns C and D cost, as the service reports it
// (ReturnConsumedCapacity TOTAL; the README's table).
TEST_P(MessagingTest, CapacityPerPattern) {
  auto created = store_->StartConversation(andrew_, bayko_, "hi");
  ASSERT_TRUE(created.ok());
  auto again = store_->StartConversation(bayko_, andrew_, "hello");
  ASSERT_TRUE(again.ok());
  auto sent = store_->SendMessage(created->message_group_uuid, andrew_, "and again");
  ASSERT_TRUE(sent.ok());
  // C, new: the pair item (consistent GetItem of a missing item, 1.0), the
  // inbox search for older data (consistent Query of an empty partition,
  // 1.0); the transaction puts 4 items (table 8, GSI 2: two inbox items).
  EXPECT_DOUBLE_EQ(created->read_capacity, 2.0);
  EXPECT_DOUBLE_EQ(created->write_capacity, 10.0);
  // C, existing: the pair item (1.0), then D, which remembers the inboxes
  // the start wrote.
  EXPECT_DOUBLE_EQ(again->read_capacity, 1.0);
  EXPECT_DOUBLE_EQ(again->write_capacity, 14.0);
  // D: the message put and both inbox moves (table 10, GSI 4); the inboxes
  // remembered, so no read.
  EXPECT_DOUBLE_EQ(sent->read_capacity, 0.0);
  EXPECT_DOUBLE_EQ(sent->write_capacity, 14.0);
  // D by a store that does not remember them: the GSI query (0.5).
  MessageStoreOptions fresh_options;
  fresh_options.table = table_;
  MessageStore fresh(client_.get(), fresh_options);
  auto read = fresh.SendMessage(created->message_group_uuid, bayko_, "read first");
  ASSERT_TRUE(read.ok());
  EXPECT_DOUBLE_EQ(read->read_capacity, 0.5);
  EXPECT_DOUBLE_EQ(read->write_capacity, 14.0);

  // C on older data, the first time: pair item missing (1.0), the inbox
  // search finds the conversation (1.0), the pair item is linked (1.0 WCU),
  // then D. The next start finds the pair item.
  const std::string group = "44444444-4444-4444-8444-444444444444";
  PutLegacyInbox(andrew_, londo_, group, "2023-03-20T22:30:15.123456", "old");
  PutLegacyInbox(londo_, andrew_, group, "2023-03-20T22:30:15.123456", "old");
  auto legacy = store_->StartConversation(londo_, andrew_, "new");
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(legacy->message_group_uuid, group);
  EXPECT_DOUBLE_EQ(legacy->read_capacity, 2.5);
  EXPECT_DOUBLE_EQ(legacy->write_capacity, 15.0);
  auto next = store_->StartConversation(andrew_, londo_, "newer");
  ASSERT_TRUE(next.ok());
  EXPECT_DOUBLE_EQ(next->read_capacity, 1.0);  // the inboxes remembered
  EXPECT_DOUBLE_EQ(next->write_capacity, 14.0);
}

// A send writes from the inboxes its store remembers; when another writer
// (here a second store, as another process would) has moved them since, the
// transaction is cancelled and the send reads them and succeeds at once.
TEST_P(MessagingTest, RememberedInboxesThatAnotherWriterMovedAreReadAgain) {
  auto first = store_->StartConversation(andrew_, bayko_, "first");
  ASSERT_TRUE(first.ok());
  const std::string group = first->message_group_uuid;
  auto cached = store_->SendMessage(group, bayko_, "from memory");
  ASSERT_TRUE(cached.ok()) << cached.error().message;
  EXPECT_EQ(cached->attempts, 1);
  EXPECT_DOUBLE_EQ(cached->read_capacity, 0.0);

  MessageStoreOptions other_options;
  other_options.table = table_;
  MessageStore other(client_.get(), other_options);
  auto elsewhere = other.SendMessage(group, andrew_, "from elsewhere");
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.error().message;
  EXPECT_EQ(elsewhere->attempts, 1);

  auto stale = store_->SendMessage(group, bayko_, "after the other");
  ASSERT_TRUE(stale.ok()) << stale.error().message;
  EXPECT_EQ(stale->attempts, 2);  // the remembered inboxes' try, cancelled
  EXPECT_DOUBLE_EQ(stale->read_capacity, 0.5);
  for (const Participant* p : {&andrew_, &bayko_}) {
    auto inbox = store_->ListConversations(p->uuid);
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->conversations.size(), 1u);
    EXPECT_EQ(inbox->conversations[0].message, "after the other");
    EXPECT_EQ(inbox->conversations[0].sk, stale->message.sk);
  }
  auto all = AllMessages(group, 20);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].message, "after the other");
  EXPECT_EQ(Items().size(), 7u);  // four messages, two inbox items, the pair item

  // An outsider is refused from the remembered inboxes, which stay.
  auto outsider = store_->SendMessage(group, londo_, "let me in");
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().code, kNotAMember);
  auto again = store_->SendMessage(group, andrew_, "still remembered");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->attempts, 1);
  EXPECT_DOUBLE_EQ(again->read_capacity, 0.0);
}

// The seed's bin/ddb/seed writes naive `datetime.now().isoformat()` keys: the
// inbox items at `now` with a filler message, the dialogue at now - 1 day + i
// minutes. Our layer reads them, and a new message moves those inboxes.
TEST_P(MessagingTest, ReadsTheSeedScriptsNaiveData) {
  const std::string group = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399";
  const std::string now = "2023-03-20T22:30:15.123456";
  auto grp = [&](const Participant& owner, const Participant& other) {
    PutRaw(R"({"pk":{"S":"GRP#)" + owner.uuid + R"("},"sk":{"S":")" + now +
           R"("},"message_group_uuid":{"S":")" + group +
           R"("},"message":{"S":"this is a filler message"},"user_uuid":{"S":")" + other.uuid +
           R"("},"user_display_name":{"S":")" + other.display_name + R"("},"user_handle":{"S":")" +
           other.handle + R"("}})");
  };
  grp(andrew_, bayko_);
  grp(bayko_, andrew_);
  for (int i = 0; i < 30; ++i) {
    char sk[40];
    // now - 1 day + i minutes; minute 0 has no fractional part (isoformat quirk).
    if (i == 0) {
      std::snprintf(sk, sizeof sk, "2023-03-19T22:30:15");
    } else {
      std::snprintf(sk, sizeof sk, "2023-03-19T%02d:%02d:15.123456", 22 + (30 + i) / 60,
                    (30 + i) % 60);
    }
    const Participant& who = i % 2 ? bayko_ : andrew_;
    PutRaw(R"({"pk":{"S":"MSG#)" + group + R"("},"sk":{"S":")" + sk +
           R"("},"message_uuid":{"S":"00000000-0000-4000-8000-0000000000)" + (i < 10 ? "0" : "") +
           std::to_string(i) + R"("},"message":{"S":"line )" + std::to_string(i) +
           R"("},"user_uuid":{"S":")" + who.uuid + R"("},"user_display_name":{"S":")" +
           who.display_name + R"("},"user_handle":{"S":")" + who.handle + R"("}})");
  }
  auto all = AllMessages(group, 7);
  ASSERT_EQ(all.size(), 30u);
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(all[i].message, "line " + std::to_string(i));
    EXPECT_EQ(all[i].created_at.size(), kTimestampLength);
  }
  EXPECT_EQ(all[0].created_at, "2023-03-19T22:30:15.000000+00:00");
  EXPECT_EQ(all[1].created_at, "2023-03-19T22:31:15.123456+00:00");
  auto inbox = store_->ListConversations(andrew_.uuid);
  ASSERT_EQ(inbox->conversations.size(), 1u);
  EXPECT_EQ(inbox->conversations[0].created_at, "2023-03-20T22:30:15.123456+00:00");
  EXPECT_EQ(inbox->conversations[0].other.handle, "bayko");

  // Reuse: starting a conversation finds the seeded one.
  EXPECT_EQ(PairGroup(andrew_, bayko_), "");  // the seed's scripts write no pair item
  auto sent = StartConversationWithHandle(*store_, *users_, bayko_.uuid, "andrewbrown", "new!");
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  EXPECT_EQ(sent->message_group_uuid, group);
  EXPECT_FALSE(sent->new_conversation);
  EXPECT_EQ(PairGroup(andrew_, bayko_), group);  // found by the inbox search, then linked
  auto after = store_->ListConversations(andrew_.uuid);
  ASSERT_EQ(after->conversations.size(), 1u);  // the naive inbox item was moved, not duplicated
  EXPECT_EQ(after->conversations[0].message, "new!");
  auto last = store_->ListMessages(group, 2);
  EXPECT_EQ(last->messages.back().message, "new!");
  EXPECT_EQ(last->messages.front().message, "line 29");
}

TEST_P(MessagingTest, MissingTableIsTheServicesError) {
  MessageStoreOptions options;
  options.table = "no-such-table";
  MessageStore store(client_.get(), options);
  auto r = store.ListMessages("5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ResourceNotFoundException");
  auto s = store.StartConversation(andrew_, bayko_, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().Name(), "ResourceNotFoundException");
}

TEST_P(MessagingTest, TableAdmin) {
  auto names = ListTableNames(*client_);
  ASSERT_TRUE(names.ok());
  EXPECT_NE(std::find(names->begin(), names->end(), table_), names->end());
  EXPECT_TRUE(*TableExists(*client_, table_));
  auto again = CreateMessagesTable(*client_, table_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().Name(), "ResourceInUseException");
  auto describe = client_->Call("DescribeTable", R"({"TableName":")" + table_ + R"("})");
  ASSERT_TRUE(describe.ok());
  EXPECT_NE(describe->find("message-group-sk-index"), std::string::npos);
  EXPECT_FALSE(*TableExists(*client_, "no-such-table"));
  auto drop = DeleteTable(*client_, "no-such-table");
  ASSERT_FALSE(drop.ok());
  EXPECT_EQ(drop.error().Name(), "ResourceNotFoundException");
}

INSTANTIATE_TEST_SUITE_P(All, MessagingTest,
                         ::testing::Combine(::testing::Values(Transport::kEngine, Transport::kHttp),
                                            ::testing::Values(Backend::kSqlite,
                                                              Backend::kPostgres)),
                         ParamName);

}  // namespace
}  // namespace cruddur::messaging

namespace cruddur::messaging {
namespace {

TEST_P(MessagingTest, MembershipIsRememberedOnceConfirmed) {
  auto first = store_->StartConversation(andrew_, bayko_, "hello");
  ASSERT_TRUE(first.ok()) << first.error().message;
  const std::string group = first->message_group_uuid;
  ASSERT_TRUE(store_->CheckMember(group, andrew_.uuid).ok());
  EXPECT_EQ(store_->CheckMember(group, londo_.uuid).error().code, kNotAMember);

  // Take the inbox items away behind the store's back: the remembered
  // member needs no read, the others (and a store without the cache) do.
  for (const auto& item : Items()) {
    const std::string pk = item["pk"]["S"].GetString();
    if (pk.rfind("GRP#", 0) != 0) continue;
    const std::string req = std::string(R"({"TableName":")") + table_ + R"(","Key":{"pk":{"S":")" +
                            pk + R"("},"sk":{"S":")" + item["sk"]["S"].GetString() + R"("}}})";
    ASSERT_TRUE(client_->Call("DeleteItem", req).ok());
  }
  EXPECT_TRUE(store_->CheckMember(group, andrew_.uuid).ok());
  EXPECT_EQ(store_->CheckMember(group, bayko_.uuid).error().code, kConversationNotFound);
  EXPECT_EQ(store_->CheckMember(group, londo_.uuid).error().code, kConversationNotFound);
  MessageStoreOptions no_cache;
  no_cache.table = table_;
  no_cache.member_cache_entries = 0;
  MessageStore uncached(client_.get(), no_cache);
  EXPECT_EQ(uncached.CheckMember(group, andrew_.uuid).error().code, kConversationNotFound);
}

}  // namespace
}  // namespace cruddur::messaging
