// Throttling through the engine (single writes, batches, transactions), on
// a fake clock. (The token buckets themselves: jobs/throttle_test.cc.)
#include "ddb/jobs/throttle.h"  // the messages

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class EngineThrottleTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    UseFakeClock();
    ASSERT_NO_FATAL_FAILURE(OpenEngine());
    ASSERT_EQ(Call("CreateTable", R"({"TableName":"prov",
        "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                                {"AttributeName":"g","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
        "GlobalSecondaryIndexes":[{"IndexName":"gidx","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
            "Projection":{"ProjectionType":"KEYS_ONLY"},
            "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}],
        "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})")
                  .substr(0, 5),
              "{\"Tab");
  }

  // A 10 KB item (10 write units), optionally with the GSI key.
  std::string Put(const std::string& pk, bool gsi = false) {
    return Call("PutItem", R"({"TableName":"prov","Item":{"pk":{"S":")" + pk + R"("},)" +
                               (gsi ? R"("g":{"S":"G"},)" : "") + R"("d":{"S":")" +
                               std::string(10 * 1024 - 8, 'x') + R"("}}})");
  }
};

TEST_F(EngineThrottleTest, BurstThenThrottleThenRefill) {
  // 300 units of burst: thirty 10-unit puts, the thirty-first is throttled.
  for (int i = 0; i < 30; ++i) ASSERT_EQ(Put("k" + std::to_string(i)), "{}") << i;
  EXPECT_EQ(Put("k30"), std::string("ERROR ProvisionedThroughputExceededException: ") +
                            kTableThroughputExceeded);
  g_now += 1;  // one unit: admitted, leaves a debt of 9
  EXPECT_EQ(Put("k30"), "{}");
  EXPECT_NE(Put("k31").find("ERROR ProvisionedThroughputExceededException"), std::string::npos);
  g_now += 10;
  EXPECT_EQ(Put("k31"), "{}");
}

TEST_F(EngineThrottleTest, GsiCapacityThrottlesWritesThatTouchTheIndex) {
  // The KEYS_ONLY entry costs 1 unit: 300 of them exhaust the index's burst,
  // while the table (10 units each) would allow only 30; raise the table.
  ASSERT_EQ(Call("UpdateTable", R"({"TableName":"prov",
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}})")
                .find("ERROR"),
            std::string::npos);
  for (int i = 0; i < 300; ++i) {
    ASSERT_EQ(Call("PutItem", R"({"TableName":"prov","Item":{"pk":{"S":"g)" + std::to_string(i) +
                                  R"("},"g":{"S":"G"}}})"),
              "{}")
        << i;
  }
  EXPECT_EQ(
      Call("PutItem", R"({"TableName":"prov","Item":{"pk":{"S":"gx"},"g":{"S":"G"}}})"),
      std::string("ERROR ProvisionedThroughputExceededException: ") + kIndexThroughputExceeded);
  // An item without the index key only costs the table.
  EXPECT_EQ(Call("PutItem", R"({"TableName":"prov","Item":{"pk":{"S":"gy"}}})"), "{}");
}

TEST_F(EngineThrottleTest, UpdateTableReRatesFromTheUpdate) {
  std::string big(390 * 1024 - 8, 'x');
  ASSERT_EQ(
      Call("PutItem", R"({"TableName":"prov","Item":{"pk":{"S":"b"},"d":{"S":")" + big + R"("}}})"),
      "{}");    // 390 units from a 300-unit burst: 90 of debt
  g_now += 10;  // 80 of debt
  ASSERT_EQ(Call("UpdateTable", R"({"TableName":"prov",
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1000}})")
                .substr(0, 5),
            "{\"Tab");
  EXPECT_NE(Put("a").find("ProvisionedThroughputExceededException"), std::string::npos);
  g_now += 0.05;  // 50 units at the new rate: still 30 short
  EXPECT_NE(Put("a").find("ProvisionedThroughputExceededException"), std::string::npos);
  g_now += 0.05;
  EXPECT_EQ(Put("a"), "{}");
}

TEST_F(EngineThrottleTest, BatchWriteReturnsThrottledItemsAsUnprocessed) {
  for (int i = 0; i < 28; ++i) ASSERT_EQ(Put("k" + std::to_string(i)), "{}") << i;
  // 20 units left: of five 10-unit puts the first two are processed (the
  // second leaves zero), the other three find the bucket empty.
  std::string items;
  for (int i = 0; i < 5; ++i) {
    items += std::string(i ? "," : "") + R"({"PutRequest":{"Item":{"pk":{"S":"b)" +
             std::to_string(i) + R"("},"d":{"S":")" + std::string(10 * 1024 - 8, 'x') + R"("}}}})";
  }
  std::string r = Call("BatchWriteItem", R"({"RequestItems":{"prov":[)" + items +
                                             R"(]},"ReturnConsumedCapacity":"TOTAL"})");
  rapidjson::Document d;
  d.Parse(r.c_str());
  ASSERT_FALSE(d.HasParseError()) << r;
  ASSERT_TRUE(d.HasMember("UnprocessedItems")) << r;
  ASSERT_EQ(d["UnprocessedItems"]["prov"].Size(), 3u) << r;
  EXPECT_STREQ(d["UnprocessedItems"]["prov"][0]["PutRequest"]["Item"]["pk"]["S"].GetString(), "b2");
  EXPECT_EQ(d["ConsumedCapacity"][0]["CapacityUnits"].GetDouble(), 20.0);
  // Nothing processable at all: the call fails.
  r = Call("BatchWriteItem", R"({"RequestItems":{"prov":[)" + items + R"(]}})");
  EXPECT_EQ(
      r, std::string("ERROR ProvisionedThroughputExceededException: ") + kTableThroughputExceeded);
}

TEST_F(EngineThrottleTest, BatchGetReturnsThrottledKeysAsUnprocessed) {
  // Strongly consistent reads of a 10 KB item cost 3 units: 100 of them
  // empty the 300-unit burst.
  ASSERT_EQ(Put("r"), "{}");
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(
        Call("GetItem", R"({"TableName":"prov","Key":{"pk":{"S":"r"}},"ConsistentRead":true})")
            .find("ERROR"),
        std::string::npos)
        << i;
  }
  std::string r = Call("BatchGetItem", R"({"RequestItems":{"prov":{"Keys":[{"pk":{"S":"r"}}]}}})");
  EXPECT_EQ(
      r, std::string("ERROR ProvisionedThroughputExceededException: ") + kTableThroughputExceeded);
  g_now += 1;
  r = Call(
      "BatchGetItem",
      R"({"RequestItems":{"prov":{"Keys":[{"pk":{"S":"r"}},{"pk":{"S":"k0"}}],"ConsistentRead":true}}})");
  rapidjson::Document d;
  d.Parse(r.c_str());
  ASSERT_FALSE(d.HasParseError()) << r;
  EXPECT_EQ(d["Responses"]["prov"].Size(), 1u) << r;
  ASSERT_EQ(d["UnprocessedKeys"]["prov"]["Keys"].Size(), 1u) << r;
  EXPECT_STREQ(d["UnprocessedKeys"]["prov"]["Keys"][0]["pk"]["S"].GetString(), "k0");
  EXPECT_TRUE(d["UnprocessedKeys"]["prov"]["ConsistentRead"].GetBool());
}

TEST_F(EngineThrottleTest, TransactionsAreCancelledWithThroughputReasons) {
  ASSERT_EQ(Call("CreateTable", R"({"TableName":"ppr",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})")
                .find("ERROR"),
            std::string::npos);
  for (int i = 0; i < 30; ++i) ASSERT_EQ(Put("k" + std::to_string(i)), "{}") << i;
  std::string r = Call("TransactWriteItems", R"({"TransactItems":[
      {"Put":{"TableName":"ppr","Item":{"pk":{"S":"a"}}}},
      {"Put":{"TableName":"prov","Item":{"pk":{"S":"b"}}}}]})");
  EXPECT_EQ(r,
            "ERROR TransactionCanceledException: Transaction cancelled, please refer cancellation "
            "reasons for specific reasons [None, ProvisionedThroughputExceeded]");
  // Nothing was written.
  EXPECT_EQ(Call("GetItem", R"({"TableName":"ppr","Key":{"pk":{"S":"a"}}})"), "{}");
  // PAY_PER_REQUEST alone is never throttled.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(Call("TransactWriteItems", R"({"TransactItems":[
        {"Put":{"TableName":"ppr","Item":{"pk":{"S":"a"},"d":{"S":")" +
                                             std::string(5000, 'x') + R"("}}}}]})"),
              "{}");
  }
}

TEST(EngineNoThrottleTest, ThrottlingOffNeverThrottles) {
  EngineOptions o = testing::InMemoryOptions();
  o.throttling = false;
  auto e = Engine::Open(o);
  ASSERT_TRUE(e.ok());
  auto call = [&](const std::string& op, const std::string& json) {
    return testing::Execute(**e, op, json);
  };
  ASSERT_EQ(call("CreateTable", R"({"TableName":"prov1",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}})")
                .substr(0, 5),
            "{\"Tab");
  std::string big(100 * 1024, 'x');
  for (int i = 0; i < 10; ++i) {  // 1,000 units on a 1-WCU table
    ASSERT_EQ(call("PutItem", R"({"TableName":"prov1","Item":{"pk":{"S":"k)" + std::to_string(i) +
                                  R"("},"d":{"S":")" + big + R"("}}})"),
              "{}");
  }
}

}  // namespace
}  // namespace ddb
