// DynamoDB Streams in process: records written with each change, the four
// stream operations, shard rollover, iterator expiry and retention, with the
// engine's clock under the test's control.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class StreamsTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    UseFakeClock();
    Open(4 * 3600);
  }
  void Open(double shard_seconds) {
    EngineOptions o = testing::InMemoryOptions();
    o.stream_shard_seconds = shard_seconds;
    OpenEngine(o);
  }

  // All records from `iter` on (following NextShardIterator until a page is
  // empty); `next` receives the last NextShardIterator ("" if none).
  rapidjson::Document Records(const std::string& iter, std::string* next = nullptr,
                              int limit = 1000) {
    rapidjson::Document all;
    all.SetArray();
    std::string it = iter;
    while (!it.empty()) {
      auto d = StreamsDoc("GetRecords", R"({"ShardIterator":")" + it + R"(","Limit":)" +
                                            std::to_string(limit) + "}");
      EXPECT_TRUE(d.HasMember("Records"));
      if (!d.HasMember("Records")) break;
      size_t n = d["Records"].Size();
      for (auto& r : d["Records"].GetArray()) {
        rapidjson::Value copy(r, all.GetAllocator());
        all.PushBack(copy, all.GetAllocator());
      }
      it = d.HasMember("NextShardIterator") ? d["NextShardIterator"].GetString() : "";
      if (n == 0) break;
    }
    if (next) *next = it;
    return all;
  }
};

TEST_F(StreamsTest, RecordsPerChangeWithImages) {
  std::string arn = CreateTableWithStream("tb1", "NEW_AND_OLD_IMAGES");
  EXPECT_NE(
      arn.find("arn:aws:dynamodb:us-east-1:000000000000:table/tb1/stream/2023-11-14T22:13:20.000"),
      std::string::npos)
      << arn;
  Ok("PutItem", R"({"TableName":"tb1","Item":{"pk":{"S":"a"},"v":{"N":"1"}}})");
  Ok("PutItem", R"({"TableName":"tb1","Item":{"pk":{"S":"a"},"v":{"N":"1"}}})");  // no change
  Ok("UpdateItem", R"({"TableName":"tb1","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :v",
      "ExpressionAttributeValues":{":v":{"N":"2"}}})");
  Ok("DeleteItem", R"({"TableName":"tb1","Key":{"pk":{"S":"a"}}})");
  Ok("DeleteItem", R"({"TableName":"tb1","Key":{"pk":{"S":"a"}}})");  // nothing to delete
  Ok("BatchWriteItem", R"({"RequestItems":{"tb1":[{"PutRequest":{"Item":{"pk":{"S":"b"}}}}]}})");
  Ok("TransactWriteItems",
     R"({"TransactItems":[{"Put":{"TableName":"tb1","Item":{"pk":{"S":"c"}}}}]})");

  auto shards = ShardIds(arn);
  ASSERT_EQ(shards.size(), 1u);
  auto recs = Records(ShardIterator(arn, shards[0], "TRIM_HORIZON"));
  ASSERT_EQ(recs.Size(), 5u);
  const char* names[] = {"INSERT", "MODIFY", "REMOVE", "INSERT", "INSERT"};
  std::string prev;
  for (size_t i = 0; i < 5; ++i) {
    auto& r = recs[i];
    EXPECT_STREQ(r["eventName"].GetString(), names[i]);
    EXPECT_STREQ(r["eventVersion"].GetString(), "1.1");
    EXPECT_STREQ(r["eventSource"].GetString(), "aws:dynamodb");
    EXPECT_STREQ(r["awsRegion"].GetString(), "us-east-1");
    EXPECT_EQ(std::string(r["eventID"].GetString()).size(), 32u);
    auto& d = r["dynamodb"];
    std::string seq = d["SequenceNumber"].GetString();
    EXPECT_GE(seq.size(), 21u);
    EXPECT_GT(seq, prev);
    prev = seq;
    EXPECT_STREQ(d["StreamViewType"].GetString(), "NEW_AND_OLD_IMAGES");
    EXPECT_TRUE(d["Keys"].HasMember("pk"));
    EXPECT_GT(d["SizeBytes"].GetInt64(), 0);
    EXPECT_EQ(d["ApproximateCreationDateTime"].GetInt64(), 1700000000);
    EXPECT_FALSE(r.HasMember("userIdentity"));
  }
  EXPECT_FALSE(recs[0]["dynamodb"].HasMember("OldImage"));
  EXPECT_STREQ(recs[0]["dynamodb"]["NewImage"]["v"]["N"].GetString(), "1");
  EXPECT_STREQ(recs[1]["dynamodb"]["OldImage"]["v"]["N"].GetString(), "1");
  EXPECT_STREQ(recs[1]["dynamodb"]["NewImage"]["v"]["N"].GetString(), "2");
  EXPECT_FALSE(recs[2]["dynamodb"].HasMember("NewImage"));
  EXPECT_STREQ(recs[2]["dynamodb"]["OldImage"]["v"]["N"].GetString(), "2");
}

TEST_F(StreamsTest, ViewTypes) {
  for (std::string view : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE"}) {
    std::string t = "v" + view;
    std::string arn = CreateTableWithStream(t, view);
    Ok("PutItem", R"({"TableName":")" + t + R"(","Item":{"pk":{"S":"a"},"v":{"N":"1"}}})");
    Ok("PutItem", R"({"TableName":")" + t + R"(","Item":{"pk":{"S":"a"},"v":{"N":"2"}}})");
    auto recs = Records(ShardIterator(arn, ShardIds(arn)[0], "TRIM_HORIZON"));
    ASSERT_EQ(recs.Size(), 2u);
    auto& d = recs[1]["dynamodb"];
    EXPECT_STREQ(d["StreamViewType"].GetString(), view.c_str());
    EXPECT_EQ(d.HasMember("NewImage"), view == "NEW_IMAGE");
    EXPECT_EQ(d.HasMember("OldImage"), view == "OLD_IMAGE");
  }
}

TEST_F(StreamsTest, IteratorTypesAndErrors) {
  std::string arn = CreateTableWithStream("tb2", "KEYS_ONLY");
  for (int i = 0; i < 5; ++i) {
    Ok("PutItem", R"({"TableName":"tb2","Item":{"pk":{"S":"k)" + std::to_string(i) + R"("}}})");
  }
  std::string shard = ShardIds(arn)[0];
  auto all = Records(ShardIterator(arn, shard, "TRIM_HORIZON"));
  ASSERT_EQ(all.Size(), 5u);
  std::string s2 = all[2]["dynamodb"]["SequenceNumber"].GetString();
  EXPECT_EQ(Records(ShardIterator(arn, shard, "AT_SEQUENCE_NUMBER", s2)).Size(), 3u);
  EXPECT_EQ(Records(ShardIterator(arn, shard, "AFTER_SEQUENCE_NUMBER", s2)).Size(), 2u);
  std::string next;
  EXPECT_EQ(Records(ShardIterator(arn, shard, "LATEST"), &next).Size(), 0u);
  ASSERT_FALSE(next.empty());
  Ok("PutItem", R"({"TableName":"tb2","Item":{"pk":{"S":"new"}}})");
  auto latest = Records(next);
  ASSERT_EQ(latest.Size(), 1u);
  EXPECT_STREQ(latest[0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "new");

  // Limit and paging.
  auto page =
      StreamsDoc("GetRecords", R"({"ShardIterator":")" + ShardIterator(arn, shard, "TRIM_HORIZON") +
                                   R"(","Limit":2})");
  EXPECT_EQ(page["Records"].Size(), 2u);
  EXPECT_EQ(Records(page["NextShardIterator"].GetString()).Size(), 4u);

  EXPECT_NE(
      CallStreams("GetRecords", R"({"ShardIterator":"garbage"})").find("ERROR ValidationException"),
      std::string::npos);
  EXPECT_NE(CallStreams("GetRecords", R"({"ShardIterator":")" + next + R"(","Limit":1001})")
                .find("ERROR ValidationException"),
            std::string::npos);
  EXPECT_NE(CallStreams("DescribeStream", R"({"StreamArn":")" + arn + R"(x"})")
                .find("ERROR ResourceNotFoundException: Requested resource not found: Stream: "),
            std::string::npos);
  EXPECT_NE(
      CallStreams(
          "GetShardIterator",
          R"({"StreamArn":")" + arn +
              R"(","ShardId":"shardId-00000000000000000001-00000000","ShardIteratorType":"LATEST"})")
          .find("ERROR ResourceNotFoundException"),
      std::string::npos);
  EXPECT_NE(
      CallStreams(
          "GetShardIterator",
          R"({"StreamArn":")" + arn + R"(","ShardId":")" + shard +
              R"(","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"000000000000000000001"})")
          .find("ERROR TrimmedDataAccessException"),
      std::string::npos);

  // Iterators expire after 15 minutes.
  std::string it = ShardIterator(arn, shard, "TRIM_HORIZON");
  g_now = g_now.load() + 15 * 60 + 1;
  EXPECT_NE(CallStreams("GetRecords", R"({"ShardIterator":")" + it + R"("})")
                .find("ERROR ExpiredIteratorException: Iterator expired."),
            std::string::npos);
}

TEST_F(StreamsTest, DisableEnableListStreams) {
  std::string arn1 = CreateTableWithStream("tb3", "NEW_IMAGE");
  Ok("PutItem", R"({"TableName":"tb3","Item":{"pk":{"S":"a"}}})");
  g_now = g_now.load() + 1;
  Ok("UpdateTable", R"({"TableName":"tb3","StreamSpecification":{"StreamEnabled":false}})");
  Ok("PutItem", R"({"TableName":"tb3","Item":{"pk":{"S":"b"}}})");  // no stream: no record
  auto d1 = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn1 + R"("})");
  EXPECT_STREQ(d1["StreamDescription"]["StreamStatus"].GetString(), "DISABLED");
  auto& sh = d1["StreamDescription"]["Shards"][0];
  EXPECT_TRUE(sh["SequenceNumberRange"].HasMember("EndingSequenceNumber"));
  std::string next = "x";
  auto recs = Records(ShardIterator(arn1, sh["ShardId"].GetString(), "TRIM_HORIZON"), &next);
  EXPECT_EQ(recs.Size(), 1u);
  EXPECT_EQ(next, "");  // a closed shard read to its end has no next iterator

  g_now = g_now.load() + 1;
  auto up = Doc(
      "UpdateTable",
      R"({"TableName":"tb3","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})");
  std::string arn2 = up["TableDescription"]["LatestStreamArn"].GetString();
  EXPECT_NE(arn1, arn2);
  Ok("PutItem", R"({"TableName":"tb3","Item":{"pk":{"S":"c"}}})");
  auto d2 = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn2 + R"("})");
  EXPECT_STREQ(d2["StreamDescription"]["StreamStatus"].GetString(), "ENABLED");
  EXPECT_EQ(Records(ShardIterator(arn2, ShardIds(arn2)[0], "TRIM_HORIZON")).Size(), 1u);

  CreateTableWithStream("tb4", "KEYS_ONLY");
  auto all = StreamsDoc("ListStreams", "{}");
  EXPECT_EQ(all["Streams"].Size(), 3u);
  auto t3 = StreamsDoc("ListStreams", R"({"TableName":"tb3"})");
  EXPECT_EQ(t3["Streams"].Size(), 2u);
  auto p1 = StreamsDoc("ListStreams", R"({"Limit":2})");
  ASSERT_EQ(p1["Streams"].Size(), 2u);
  ASSERT_TRUE(p1.HasMember("LastEvaluatedStreamArn"));
  auto p2 =
      StreamsDoc("ListStreams", R"({"ExclusiveStartStreamArn":")" +
                                    std::string(p1["LastEvaluatedStreamArn"].GetString()) + "\"}");
  EXPECT_EQ(p2["Streams"].Size(), 1u);
  EXPECT_FALSE(p2.HasMember("LastEvaluatedStreamArn"));
  EXPECT_NE(
      CallStreams("ListStreams", R"({"TableName":"nope"})").find("ERROR ResourceNotFoundException"),
      std::string::npos);
}

TEST_F(StreamsTest, ShardRolloverAndRetention) {
  engine_.reset();
  Open(60);  // a new shard every minute
  std::string arn = CreateTableWithStream("tb5", "KEYS_ONLY");
  Ok("PutItem", R"({"TableName":"tb5","Item":{"pk":{"S":"a"}}})");
  g_now = g_now.load() + 61;
  Ok("PutItem", R"({"TableName":"tb5","Item":{"pk":{"S":"b"}}})");
  auto d = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
  auto& shards = d["StreamDescription"]["Shards"];
  ASSERT_EQ(shards.Size(), 2u);
  EXPECT_FALSE(shards[0].HasMember("ParentShardId"));
  EXPECT_STREQ(shards[1]["ParentShardId"].GetString(), shards[0]["ShardId"].GetString());
  EXPECT_TRUE(shards[0]["SequenceNumberRange"].HasMember("EndingSequenceNumber"));
  EXPECT_FALSE(shards[1]["SequenceNumberRange"].HasMember("EndingSequenceNumber"));
  std::string next = "x";
  auto r0 = Records(ShardIterator(arn, shards[0]["ShardId"].GetString(), "TRIM_HORIZON"), &next);
  ASSERT_EQ(r0.Size(), 1u);
  EXPECT_STREQ(r0[0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "a");
  EXPECT_EQ(next, "");
  auto r1 = Records(ShardIterator(arn, shards[1]["ShardId"].GetString(), "TRIM_HORIZON"), &next);
  ASSERT_EQ(r1.Size(), 1u);
  EXPECT_STREQ(r1[0]["dynamodb"]["Keys"]["pk"]["S"].GetString(), "b");
  EXPECT_FALSE(next.empty());
  auto lim = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn + R"(","Limit":1})");
  ASSERT_EQ(lim["StreamDescription"]["Shards"].Size(), 1u);
  auto rest = StreamsDoc("DescribeStream",
                         R"({"StreamArn":")" + arn + R"(","ExclusiveStartShardId":")" +
                             lim["StreamDescription"]["LastEvaluatedShardId"].GetString() + "\"}");
  EXPECT_EQ(rest["StreamDescription"]["Shards"].Size(), 1u);

  // Past the 24-hour retention: the old shard is gone from DescribeStream
  // and reading at its records is TrimmedDataAccessException.
  std::string old_seq = r0[0]["dynamodb"]["SequenceNumber"].GetString();
  std::string old_shard = shards[0]["ShardId"].GetString();
  g_now = g_now.load() + 24 * 3600;
  Ok("PutItem", R"({"TableName":"tb5","Item":{"pk":{"S":"c"}}})");
  auto later = StreamsDoc("DescribeStream", R"({"StreamArn":")" + arn + R"("})");
  for (auto& s : later["StreamDescription"]["Shards"].GetArray()) {
    EXPECT_NE(std::string(s["ShardId"].GetString()), old_shard);
  }
  EXPECT_NE(CallStreams("GetShardIterator",
                        R"({"StreamArn":")" + arn + R"(","ShardId":")" + old_shard +
                            R"(","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":")" +
                            old_seq + "\"}")
                .find("ERROR TrimmedDataAccessException"),
            std::string::npos);
}

// DescribeStream's ShardFilter (CHILD_SHARDS): only the child of the given
// shard -- the next shard of the chain, once it exists -- with DynamoDB's
// constraint messages for the filter's members.
TEST_F(StreamsTest, ShardFilterChildShards) {
  engine_.reset();
  Open(60);  // a new shard every minute
  std::string arn = CreateTableWithStream("tb6", "KEYS_ONLY");
  Ok("PutItem", R"({"TableName":"tb6","Item":{"pk":{"S":"a"}}})");
  g_now = g_now.load() + 61;
  Ok("PutItem", R"({"TableName":"tb6","Item":{"pk":{"S":"b"}}})");
  g_now = g_now.load() + 61;
  Ok("PutItem", R"({"TableName":"tb6","Item":{"pk":{"S":"c"}}})");
  std::vector<std::string> ids = ShardIds(arn);
  ASSERT_EQ(ids.size(), 3u);
  auto children = [&](const std::string& parent, const std::string& extra = "") {
    return CallStreams("DescribeStream",
                       R"({"StreamArn":")" + arn +
                           R"(","ShardFilter":{"Type":"CHILD_SHARDS","ShardId":")" + parent +
                           "\"}" + extra + "}");
  };
  for (size_t i = 0; i < 2; ++i) {
    auto d = testing::ParseObject(children(ids[i]));
    auto& shards = d["StreamDescription"]["Shards"];
    ASSERT_EQ(shards.Size(), 1u);
    EXPECT_EQ(shards[0]["ShardId"].GetString(), ids[i + 1]);
    EXPECT_EQ(shards[0]["ParentShardId"].GetString(), ids[i]);
    EXPECT_FALSE(d["StreamDescription"].HasMember("LastEvaluatedShardId"));
  }
  // The open shard has no child yet.
  auto open = testing::ParseObject(children(ids[2]));
  EXPECT_EQ(open["StreamDescription"]["Shards"].Size(), 0u);
  // With ExclusiveStartShardId past the child: nothing.
  auto past =
      testing::ParseObject(children(ids[0], R"(,"ExclusiveStartShardId":")" + ids[1] + "\""));
  EXPECT_EQ(past["StreamDescription"]["Shards"].Size(), 0u);

  const std::string unknown = "shardId-00000000000000000001-00000000";
  EXPECT_EQ(children(unknown),
            "ERROR ResourceNotFoundException: Requested resource not found: "
            "Shard: " +
                unknown + " not found");
  EXPECT_EQ(CallStreams("DescribeStream",
                        R"({"StreamArn":")" + arn +
                            R"(","ShardFilter":{"Type":"PARENT_SHARDS","ShardId":"short"}})"),
            "ERROR ValidationException: 2 validation errors detected: Value 'PARENT_SHARDS' at "
            "'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: "
            "[CHILD_SHARDS]; Value 'short' at 'shardFilter.shardId' failed to satisfy constraint: "
            "Member must have length greater than or equal to 28");
  EXPECT_EQ(children(std::string(66, 'x')),
            "ERROR ValidationException: 1 validation error detected: Value '" +
                std::string(66, 'x') +
                "' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length "
                "less than or equal to 65");
  EXPECT_EQ(CallStreams("DescribeStream",
                        R"({"StreamArn":")" + arn + R"(","ShardFilter":{"Type":"CHILD_SHARDS"}})"),
            "ERROR ValidationException: 1 validation error detected: Value null at "
            "'shardFilter.shardId' failed to satisfy constraint: Member must not be null");
  EXPECT_EQ(CallStreams("DescribeStream", R"({"StreamArn":")" + arn + R"(","ShardFilter":"x"})"),
            "ERROR SerializationException: Unexpected value type in payload");
}

}  // namespace
}  // namespace ddb
