// DynamoDB Streams limits in process: the iterator lifetime option
// (EngineOptions::stream_iterator_seconds, the server's hidden
// DDB_STREAM_ITERATOR_SECONDS) and GetRecords with an iterator whose records
// the background trim removed after a short retention.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "ddb/engine/clock.h"
#include "ddb/engine/engine.h"

namespace ddb {
namespace {

std::atomic<double> g_now{1700000000.0};
double TestClock() { return g_now.load(); }

class StreamLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_now = 1700000000.0;
    SetClockForTesting(&TestClock);
  }
  void TearDown() override {
    engine_.reset();
    SetClockForTesting(nullptr);
  }
  void Open(double retention_seconds, double iterator_seconds) {
    EngineOptions o;
    o.store.in_memory = true;
    o.stream_retention_seconds = retention_seconds;
    o.stream_iterator_seconds = iterator_seconds;
    auto e = Engine::Open(o);
    ASSERT_TRUE(e.ok()) << e.error().message;
    engine_ = std::move(e).value();
  }
  std::string Call(const std::string& op, const std::string& json, bool streams) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    EXPECT_FALSE(doc.HasParseError()) << json;
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    Status st = streams ? engine_->ExecuteStreams(op, doc, w) : engine_->Execute(op, doc, w);
    if (!st.ok()) return "ERROR " + st.error().type + ": " + st.error().message;
    return buf.GetString();
  }
  rapidjson::Document Doc(const std::string& op, const std::string& json, bool streams = true) {
    std::string out = Call(op, json, streams);
    rapidjson::Document d;
    d.Parse(out.c_str());
    EXPECT_TRUE(!d.HasParseError() && d.IsObject()) << out;
    return d;
  }
  void Put(const std::string& pk) {
    std::string r =
        Call("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":")" + pk + R"("}}})", false);
    ASSERT_EQ(r, "{}");
  }
  // Creates table "tbl" with a KEYS_ONLY stream; sets arn_ and shard_.
  void CreateTable() {
    auto d = Doc("CreateTable", R"({"TableName":"tbl",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST",
      "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})",
                 false);
    arn_ = d["TableDescription"]["LatestStreamArn"].GetString();
    auto s = Doc("DescribeStream", R"({"StreamArn":")" + arn_ + R"("})");
    shard_ = s["StreamDescription"]["Shards"][0]["ShardId"].GetString();
  }
  std::string Iter(const std::string& type, const std::string& seq = "") {
    std::string req = R"({"StreamArn":")" + arn_ + R"(","ShardId":")" + shard_ +
                      R"(","ShardIteratorType":")" + type + "\"";
    if (!seq.empty()) req += R"(,"SequenceNumber":")" + seq + "\"";
    auto d = Doc("GetShardIterator", req + "}");
    return d.HasMember("ShardIterator") ? d["ShardIterator"].GetString() : "";
  }
  std::string GetRecords(const std::string& it) {
    return Call("GetRecords", R"({"ShardIterator":")" + it + R"("})", true);
  }

  std::unique_ptr<Engine> engine_;
  std::string arn_, shard_;
};

TEST_F(StreamLimitsTest, IteratorLifetimeIsConfigurable) {
  Open(24 * 3600, 5);
  CreateTable();
  Put("a");
  std::string it = Iter("TRIM_HORIZON");
  g_now = g_now.load() + 5;  // exactly the lifetime: still usable
  auto d = Doc("GetRecords", R"({"ShardIterator":")" + it + R"("})");
  ASSERT_EQ(d["Records"].Size(), 1u);
  std::string next = d["NextShardIterator"].GetString();
  g_now = g_now.load() + 0.002;
  EXPECT_EQ(GetRecords(it),
            "ERROR ExpiredIteratorException: Iterator expired. The iterator was created at time "
            "Tue Nov 14 22:13:20 UTC 2023 while right now it is Tue Nov 14 22:13:25 UTC 2023 which "
            "is further in the future than the tolerated delay of 5000 milliseconds.");
  // The next iterator was issued five seconds later: it lives on.
  auto again = Doc("GetRecords", R"({"ShardIterator":")" + next + R"("})");
  EXPECT_EQ(again["Records"].Size(), 0u);
}

TEST_F(StreamLimitsTest, GetRecordsPastTheTrimIsTrimmedDataAccess) {
  Open(2, 3600);  // the background trim runs every half second
  CreateTable();
  Put("a");
  Put("b");
  std::string horizon = Iter("TRIM_HORIZON");
  auto first = Doc("GetRecords", R"({"ShardIterator":")" + horizon + R"("})");
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
  EXPECT_EQ(
      Call("GetShardIterator",
           R"({"StreamArn":")" + arn_ + R"(","ShardId":")" + shard_ +
               R"(","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":")" + seq_a + "\"}",
           true)
          .rfind("ERROR TrimmedDataAccessException", 0),
      0u);
  Put("c");
  auto later = Doc("GetRecords", R"({"ShardIterator":")" + caught_up + R"("})");
  ASSERT_EQ(later["Records"].Size(), 1u);
  EXPECT_STREQ(later["Records"][0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "c");
  auto fresh = Doc("GetRecords", R"({"ShardIterator":")" + Iter("TRIM_HORIZON") + R"("})");
  ASSERT_EQ(fresh["Records"].Size(), 1u);
  EXPECT_STREQ(fresh["Records"][0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "c");
}

}  // namespace
}  // namespace ddb
