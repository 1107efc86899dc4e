// DynamoDB Streams limits in process: the iterator lifetime option
// (EngineOptions::stream_iterator_seconds, the server's hidden
// DDB_STREAM_ITERATOR_SECONDS) and GetRecords with an iterator whose records
// the background trim removed after a short retention.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <thread>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class StreamLimitsTest : public testing::EngineFixture {
 protected:
  void SetUp() override { UseFakeClock(); }
  void Open(double retention_seconds, double iterator_seconds) {
    EngineOptions o = testing::InMemoryOptions();
    o.stream_retention_seconds = retention_seconds;
    o.stream_iterator_seconds = iterator_seconds;
    OpenEngine(o);
  }
  void Put(const std::string& pk) {
    std::string r = Call("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":")" + pk + R"("}}})");
    ASSERT_EQ(r, "{}");
  }
  // Creates table "tbl" with a KEYS_ONLY stream; sets arn_ and shard_.
  void CreateTable() {
    arn_ = CreateTableWithStream("tbl", "KEYS_ONLY");
    shard_ = ShardIds(arn_)[0];
  }
  std::string Iter(const std::string& type, const std::string& seq = "") {
    return ShardIterator(arn_, shard_, type, seq);
  }
  std::string GetRecords(const std::string& it) {
    return CallStreams("GetRecords", R"({"ShardIterator":")" + it + R"("})");
  }

  std::string arn_, shard_;
};

TEST_F(StreamLimitsTest, IteratorLifetimeIsConfigurable) {
  Open(24 * 3600, 5);
  CreateTable();
  Put("a");
  std::string it = Iter("TRIM_HORIZON");
  g_now = g_now.load() + 5;  // exactly the lifetime: still usable
  auto d = StreamsDoc("GetRecords", R"({"ShardIterator":")" + it + R"("})");
  ASSERT_EQ(d["Records"].Size(), 1u);
  std::string next = d["NextShardIterator"].GetString();
  g_now = g_now.load() + 0.002;
  EXPECT_EQ(GetRecords(it),
            "ERROR ExpiredIteratorException: Iterator expired. The iterator was created at time "
            "Tue Nov 14 22:13:20 UTC 2023 while right now it is Tue Nov 14 22:13:25 UTC 2023 which "
            "is further in the future than the tolerated delay of 5000 milliseconds.");
  // The next iterator was issued five seconds later: it lives on.
  auto again = StreamsDoc("GetRecords", R"({"ShardIterator":")" + next + R"("})");
  EXPECT_EQ(again["Records"].Size(), 0u);
}

TEST_F(StreamLimitsTest, GetRecordsPastTheTrimIsTrimmedDataAccess) {
  Open(2, 3600);  // the background trim runs every half second
  CreateTable();
  Put("a");
  Put("b");
  std::string horizon = Iter("TRIM_HORIZON");
  auto first = StreamsDoc("GetRecords", R"({"ShardIterator":")" + horizon + R"("})");
  ASSERT_EQ(first["Records"].Size(), 2u);
  std::string seq_a = first["Records"][0]["dynamodb"]["SequenceNumber"].GetString();
  std::string caught_up = first["NextShardIterator"].GetString();
  g_now = g_now.load() + 3;  // both records are past the retention
  std::string r;
  for (int i = 0; i < 100; ++i) {  // up to 5 s for the background trim
    r = GetRecords(horizon);
    if (r.rfind("ERROR", 0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(r,
            "ERROR TrimmedDataAccessException: The operation attempted to read past the oldest "
            "stream record in a shard.");
  EXPECT_EQ(CallStreams("GetShardIterator",
                        R"({"StreamArn":")" + arn_ + R"(","ShardId":")" + shard_ +
                            R"(","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":")" +
                            seq_a + "\"}")
                .rfind("ERROR TrimmedDataAccessException", 0),
            0u);
  Put("c");
  auto later = StreamsDoc("GetRecords", R"({"ShardIterator":")" + caught_up + R"("})");
  ASSERT_EQ(later["Records"].Size(), 1u);
  EXPECT_STREQ(later["Records"][0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "c");
  auto fresh = StreamsDoc("GetRecords", R"({"ShardIterator":")" + Iter("TRIM_HORIZON") + R"("})");
  ASSERT_EQ(fresh["Records"].Size(), 1u);
  EXPECT_STREQ(fresh["Records"][0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "c");
}

}  // namespace
}  // namespace ddb
