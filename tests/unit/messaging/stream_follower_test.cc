// StreamFollower against the in-process engine through the DynamoDB Streams
// API (EngineStreamsTransport): the stream enabled on the messages table,
// LATEST at start, message events and memberships from NEW_IMAGEs, shard
// roll-over followed without loss or duplicates, no stream -> kNoStream;
// the thread's Wake (a poll without waiting for the period, coalesced).
#include "cruddur/messaging/stream_follower.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "aws/client.h"
#include "aws/engine/engine_streams_transport.h"
#include "aws/engine/engine_transport.h"
#include "cruddur/messaging/message_event.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/table_admin.h"
#include "ddb/engine/engine.h"

namespace cruddur::messaging {
namespace {

const Participant kAndrew{"5f101db6-e718-4f12-9df8-1a953569f43d", "Andrew Brown", "andrewbrown"};
const Participant kBayko{"abe2dd16-c436-4765-8d96-3d30b1495473", "Andrew Bayko", "bayko"};
const Participant kLondo{"0d7f3a3e-5b8c-4d0e-9a51-6b1b8b5b7c11", "Londo Mollari", "londo"};

class StreamFollowerTest : public ::testing::Test {
 protected:
  void Open(double shard_seconds = 4 * 3600) {
    ddb::EngineOptions options;
    options.store.in_memory = true;
    options.store.sync = false;
    options.throttling = false;
    options.stream_shard_seconds = shard_seconds;
    auto engine = ddb::Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.error().message;
    engine_ = std::move(engine).value();
    dynamodb_ =
        std::make_unique<aws::AwsJsonClient>(std::make_unique<aws::EngineTransport>(engine_.get()));
    streams_ = std::make_unique<aws::AwsJsonClient>(
        std::make_unique<aws::EngineStreamsTransport>(engine_.get()));
    ASSERT_TRUE(CreateMessagesTable(*dynamodb_, "msgs").ok());
    MessageStoreOptions mo;
    mo.table = "msgs";
    store_ = std::make_unique<MessageStore>(dynamodb_.get(), mo);
  }

  std::unique_ptr<StreamFollower> Follower() {
    StreamFollowerOptions fo;
    fo.table = "msgs";
    return std::make_unique<StreamFollower>(dynamodb_.get(), streams_.get(), fo,
                                            [this](FollowedBatch&& b) {
                                              for (auto& m : b.memberships)
                                                memberships_.push_back(std::move(m));
                                              for (auto& e : b.messages)
                                                messages_.push_back(std::move(e));
                                            });
  }

  std::unique_ptr<ddb::Engine> engine_;
  std::unique_ptr<aws::AwsJsonClient> dynamodb_, streams_;
  std::unique_ptr<MessageStore> store_;
  std::vector<Membership> memberships_;
  std::vector<MessageEvent> messages_;
};

TEST_F(StreamFollowerTest, NoStreamIsReported) {
  Open();
  auto follower = Follower();
  auto st = follower->Open();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, kNoStream);
}

TEST_F(StreamFollowerTest, EnsureMessagesStreamEnablesOnce) {
  Open();
  auto first = EnsureMessagesStream(*dynamodb_, "msgs");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(*first);
  auto second = EnsureMessagesStream(*dynamodb_, "msgs");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  auto arn = EnabledStreamArn(*dynamodb_, "msgs");
  ASSERT_TRUE(arn.ok());
  EXPECT_TRUE(arn->has_value());
}

TEST_F(StreamFollowerTest, MessagesAfterOpenBecomeEvents) {
  Open();
  ASSERT_TRUE(EnsureMessagesStream(*dynamodb_, "msgs").ok());
  auto before = store_->StartConversation(kAndrew, kBayko, "before the follower");
  ASSERT_TRUE(before.ok());
  auto follower = Follower();
  ASSERT_TRUE(follower->Open().ok());
  EXPECT_EQ(follower->open_shards(), 1u);
  ASSERT_TRUE(follower->Poll().ok());
  EXPECT_TRUE(messages_.empty());  // LATEST: history is not replayed

  auto sent = store_->SendMessage(before->message_group_uuid, kBayko, "hello\nthere");
  ASSERT_TRUE(sent.ok());
  auto started = store_->StartConversation(kLondo, kAndrew, "a new one");
  ASSERT_TRUE(started.ok());
  ASSERT_TRUE(follower->Poll().ok());
  ASSERT_EQ(messages_.size(), 2u);
  const MessageEvent& e = messages_[0];
  EXPECT_EQ(e.message_group_uuid, before->message_group_uuid);
  EXPECT_EQ(e.uuid, sent->message.uuid);
  EXPECT_EQ(e.handle, "bayko");
  EXPECT_EQ(e.display_name, "Andrew Bayko");
  EXPECT_EQ(e.message, "hello\nthere");
  EXPECT_EQ(e.created_at, sent->message.created_at);
  EXPECT_EQ(e.sender_uuid, kBayko.uuid);
  EXPECT_EQ(messages_[1].message_group_uuid, started->message_group_uuid);
  // The new conversation's inbox items name both members.
  std::set<std::string> members;
  for (const auto& m : memberships_) {
    if (m.message_group_uuid == started->message_group_uuid) members.insert(m.user_uuid);
  }
  EXPECT_EQ(members, (std::set<std::string>{kLondo.uuid, kAndrew.uuid}));
  EXPECT_EQ(MessageEventJson(e).find('\n'), std::string::npos);

  // Nothing new: nothing delivered again.
  messages_.clear();
  ASSERT_TRUE(follower->Poll().ok());
  EXPECT_TRUE(messages_.empty());
}

TEST_F(StreamFollowerTest, FollowsShardRollOverWithoutLossOrDuplicates) {
  Open(/*shard_seconds=*/0.3);
  ASSERT_TRUE(EnsureMessagesStream(*dynamodb_, "msgs").ok());
  auto follower = Follower();
  ASSERT_TRUE(follower->Open().ok());
  auto started = store_->StartConversation(kAndrew, kBayko, "m0");
  ASSERT_TRUE(started.ok());
  std::vector<std::string> sent_uuids = {started->message.uuid};
  for (int i = 1; i <= 12; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto sent = store_->SendMessage(started->message_group_uuid, i % 2 ? kBayko : kAndrew,
                                    "m" + std::to_string(i));
    ASSERT_TRUE(sent.ok());
    sent_uuids.push_back(sent->message.uuid);
    if (i % 3 == 0) {
      ASSERT_TRUE(follower->Poll().ok());
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(follower->Poll().ok());
  std::vector<std::string> got;
  for (const auto& e : messages_) got.push_back(e.uuid);
  EXPECT_EQ(got, sent_uuids);
}

TEST_F(StreamFollowerTest, ThreadPollsOnItsOwn) {
  Open();
  ASSERT_TRUE(EnsureMessagesStream(*dynamodb_, "msgs").ok());
  std::mutex mu;
  std::vector<std::string> got;
  StreamFollowerOptions fo;
  fo.table = "msgs";
  fo.poll_interval = std::chrono::milliseconds(20);
  StreamFollower follower(dynamodb_.get(), streams_.get(), fo, [&](FollowedBatch&& b) {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& e : b.messages) got.push_back(e.message);
  });
  ASSERT_TRUE(follower.Open().ok());
  follower.Start();
  ASSERT_TRUE(store_->StartConversation(kAndrew, kBayko, "threaded").ok());
  for (int i = 0; i < 200; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!got.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  follower.Stop();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(got, std::vector<std::string>{"threaded"});
}

// Until the follower's thread has run `n` polls (false after 30 s). Polls are
// counted once done, so a write after this returns is not in them.
bool WaitForPolls(const StreamFollower& follower, uint64_t n) {
  for (int i = 0; i < 30000 && follower.thread_polls() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return follower.thread_polls() >= n;
}

// The period is a minute, so only the wake explains a delivery within the
// test's waits (30 s at most, on a loaded machine).
TEST_F(StreamFollowerTest, WakePollsWithoutWaitingForThePeriod) {
  Open();
  ASSERT_TRUE(EnsureMessagesStream(*dynamodb_, "msgs").ok());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> got;
  StreamFollowerOptions fo;
  fo.table = "msgs";
  fo.poll_interval = std::chrono::seconds(60);
  StreamFollower follower(dynamodb_.get(), streams_.get(), fo, [&](FollowedBatch&& b) {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& e : b.messages) got.push_back(e.message);
    cv.notify_all();
  });
  ASSERT_TRUE(follower.Open().ok());
  follower.Start();
  ASSERT_TRUE(WaitForPolls(follower, 1));  // the poll at start, then a minute's pause
  ASSERT_TRUE(store_->StartConversation(kAndrew, kBayko, "woken").ok());
  follower.Wake();
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return !got.empty(); }));
    EXPECT_EQ(got, std::vector<std::string>{"woken"});
  }
  ASSERT_TRUE(WaitForPolls(follower, 2));
  EXPECT_EQ(follower.thread_polls(), 2u);
  follower.Stop();
}

// Many wakes make one poll; wakes during a poll make exactly one more (that
// poll may have missed their writes); then the thread pauses again rather
// than spinning. A batch callback that blocks holds the thread inside a poll.
TEST_F(StreamFollowerTest, WakesCoalesceIntoOnePollAndOneMore) {
  Open();
  ASSERT_TRUE(EnsureMessagesStream(*dynamodb_, "msgs").ok());
  std::mutex mu;
  std::condition_variable cv;
  int batches = 0;
  bool release = false;
  StreamFollowerOptions fo;
  fo.table = "msgs";
  fo.poll_interval = std::chrono::seconds(60);
  StreamFollower follower(dynamodb_.get(), streams_.get(), fo, [&](FollowedBatch&&) {
    std::unique_lock<std::mutex> lock(mu);
    ++batches;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  // Whatever fails below, the thread is let out of the callback before the
  // follower is stopped (declared after it: destroyed first).
  struct Release {
    std::mutex& mu;
    std::condition_variable& cv;
    bool& release;
    ~Release() {
      std::lock_guard<std::mutex> lock(mu);
      release = true;
      cv.notify_all();
    }
  } releaser{mu, cv, release};
  ASSERT_TRUE(follower.Open().ok());
  follower.Start();
  ASSERT_TRUE(WaitForPolls(follower, 1));

  ASSERT_TRUE(store_->StartConversation(kAndrew, kBayko, "one write").ok());
  for (int i = 0; i < 100; ++i) follower.Wake();
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return batches == 1; }));
  }
  // The thread is inside poll 2: these wakes are due after it.
  for (int i = 0; i < 100; ++i) follower.Wake();
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
    cv.notify_all();
  }
  ASSERT_TRUE(WaitForPolls(follower, 3));
  // Poll 3 found nothing new; no further poll comes before the period.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(follower.thread_polls(), 3u);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(batches, 1);
}

TEST(MessageEventTest, OnlyMessageItemsAreEvents) {
  rapidjson::Document inbox;
  inbox.Parse(R"({"pk":{"S":"GRP#u1"},"sk":{"S":"2026-01-01T00:00:00.000000+00:00"},)"
              R"("message_group_uuid":{"S":"g1"}})");
  EXPECT_FALSE(MessageEventFromImage(inbox).has_value());
  auto m = MembershipFromImage(inbox);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->message_group_uuid, "g1");
  EXPECT_EQ(m->user_uuid, "u1");
  rapidjson::Document pair;
  pair.Parse(R"({"pk":{"S":"PAIR#a#b"},"sk":{"S":"PAIR"},"group_uuid":{"S":"g1"}})");
  EXPECT_FALSE(MessageEventFromImage(pair).has_value());
  EXPECT_FALSE(MembershipFromImage(pair).has_value());
  rapidjson::Document msg;
  msg.Parse(R"({"pk":{"S":"MSG#g1"},"sk":{"S":"2026-01-01T00:00:00.000001+00:00"},)"
            R"("message_uuid":{"S":"m1"},"message":{"S":"hi \"you\""},"user_uuid":{"S":"u1"},)"
            R"("user_display_name":{"S":"U One"},"user_handle":{"S":"one"}})");
  auto e = MessageEventFromImage(msg);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(MessageEventJson(*e),
            R"({"message_group_uuid":"g1","uuid":"m1","handle":"one","display_name":"U One",)"
            R"("message":"hi \"you\"","created_at":"2026-01-01T00:00:00.000001+00:00"})");
}

}  // namespace
}  // namespace cruddur::messaging
