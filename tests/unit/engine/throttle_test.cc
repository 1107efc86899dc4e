// Throttling: token buckets with a 300-second burst, per table and per GSI,
// and the engine's behaviour over them (single writes, batches,
// transactions), all on a fake clock.
#include "ddb/engine/throttle.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::FakeNow;
using testing::g_now;

TableInfo Provisioned(int64_t rcu, int64_t wcu) {
  TableInfo t;
  t.name = "t";
  t.id = 1;
  t.key.hash = {"pk", AttrType::kS};
  t.billing_mode = "PROVISIONED";
  t.throughput.read = rcu;
  t.throughput.write = wcu;
  IndexInfo g;
  g.name = "g";
  g.key.hash = {"a", AttrType::kS};
  g.throughput.read = 1;
  g.throughput.write = 1;
  g.id = 2;
  t.gsis = {g};
  return t;
}

Consumed Units(double table, double gsi = 0, double lsi = 0) {
  Consumed c;
  c.table = table;
  if (gsi > 0) c.gsis["g"] = gsi;
  if (lsi > 0) c.lsis["l"] = lsi;
  return c;
}

TEST(TokenBucketTest, StartsFullWithThreeHundredSecondsOfCapacity) {
  TokenBucket b;
  b.SetRate(5, 0);
  EXPECT_EQ(b.tokens(), 1500);
  b.Take(1500);
  EXPECT_FALSE(b.Admits());
  b.Refill(0.2);
  EXPECT_TRUE(b.Admits());
  EXPECT_DOUBLE_EQ(b.tokens(), 1);
}

TEST(TokenBucketTest, RefillIsCappedAtTheBurst) {
  TokenBucket b;
  b.SetRate(2, 0);
  b.Take(100);
  b.Refill(10000);
  EXPECT_EQ(b.tokens(), 600);
}

TEST(TokenBucketTest, DebtIsPaidBackBeforeTheNextAdmission) {
  TokenBucket b;
  b.SetRate(1, 0);
  b.Take(310);  // one big item: admitted, leaves a debt of 10
  EXPECT_EQ(b.tokens(), -10);
  b.Refill(10);
  EXPECT_FALSE(b.Admits());
  b.Refill(11);
  EXPECT_TRUE(b.Admits());
}

TEST(TokenBucketTest, ReRatingKeepsTheBalance) {
  TokenBucket b;
  b.SetRate(10, 0);
  b.Take(2000);     // 1000 left
  b.SetRate(2, 0);  // burst 600: capped
  EXPECT_EQ(b.tokens(), 600);
  b.SetRate(20, 0);  // burst 6000: balance kept, refills at 20/s
  EXPECT_EQ(b.tokens(), 600);
  b.Refill(10);
  EXPECT_EQ(b.tokens(), 800);
}

TEST(TokenBucketTest, ARateChangeAppliesFromWhenItWasMade) {
  TokenBucket b;
  b.SetRate(1, 0);
  b.Take(390);  // -90
  // Changed at t=5, first seen at t=10: 5 s at 1/s, then 5 s at 1000/s.
  b.SetRate(1000, 10, 5);
  b.Refill(10);
  EXPECT_DOUBLE_EQ(b.tokens(), -85 + 5000);
}

TEST(ThrottlerTest, TableWritesThrottleAtTheBurst) {
  g_now = 1000;
  Throttler th(true, &FakeNow);
  TableInfo t = Provisioned(5, 2);  // 600 write units of burst
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(th.Consume(t, Units(10), false).ok()) << i;
  Status st = th.Consume(t, Units(10), false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().type, "ProvisionedThroughputExceededException");
  EXPECT_EQ(st.error().message, kTableThroughputExceeded);
  EXPECT_EQ(st.error().http_status, 400);
  // Reads have their own bucket.
  EXPECT_TRUE(th.CheckRead(t, nullptr).ok());
  g_now += 1;  // +2 units
  EXPECT_TRUE(th.Consume(t, Units(10), false).ok());
  EXPECT_FALSE(th.Consume(t, Units(1), false).ok());  // -8 now
  g_now += 4.5;
  EXPECT_TRUE(th.Consume(t, Units(1), false).ok());
}

TEST(ThrottlerTest, GsiWritesThrottleWithTheIndexMessage) {
  g_now = 1000;
  Throttler th(true, &FakeNow);
  TableInfo t = Provisioned(100, 100);
  ASSERT_TRUE(th.Consume(t, Units(1, 300), false).ok());  // the GSI's whole burst
  Status st = th.Consume(t, Units(1, 1), false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, kIndexThroughputExceeded);
  // Writes that do not touch the index pass.
  EXPECT_TRUE(th.Consume(t, Units(1), false).ok());
  // The GSI's read bucket is separate; reading the table does not use it.
  std::string g = "g";
  th.Charge(
      t,
      [] {
        Consumed c;
        c.gsis["g"] = 300;
        return c;
      }(),
      true);
  EXPECT_FALSE(th.CheckRead(t, &g).ok());
  EXPECT_EQ(th.CheckRead(t, &g).error().message, kIndexThroughputExceeded);
  EXPECT_TRUE(th.CheckRead(t, nullptr).ok());
}

TEST(ThrottlerTest, LsiUnitsDrawOnTheTable) {
  g_now = 1000;
  Throttler th(true, &FakeNow);
  TableInfo t = Provisioned(1, 1);
  th.Charge(t, Units(100, 0, 200), true);
  EXPECT_EQ(th.TokensForTesting(t, nullptr, true), 0);
  EXPECT_FALSE(th.CheckRead(t, nullptr).ok());
}

TEST(ThrottlerTest, PayPerRequestAndDisabledNeverThrottle) {
  g_now = 1000;
  Throttler on(true, &FakeNow), off(false, &FakeNow);
  TableInfo ppr = Provisioned(0, 0);
  ppr.billing_mode = "PAY_PER_REQUEST";
  TableInfo prov = Provisioned(1, 1);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(on.Consume(ppr, Units(1000, 1000), false).ok());
    EXPECT_TRUE(off.Consume(prov, Units(1000, 1000), false).ok());
  }
  EXPECT_FALSE(on.Applies(ppr));
  EXPECT_FALSE(off.Applies(prov));
}

TEST(ThrottlerTest, UpdatedThroughputReRatesTheBuckets) {
  g_now = 1000;
  Throttler th(true, &FakeNow);
  TableInfo t = Provisioned(1, 1);
  ASSERT_TRUE(th.Consume(t, Units(300), false).ok());
  EXPECT_FALSE(th.Consume(t, Units(1), false).ok());
  t.throughput.write = 100;  // UpdateTable: a new TableInfo, same id
  g_now += 1;
  EXPECT_TRUE(th.Consume(t, Units(1), false).ok());
  EXPECT_DOUBLE_EQ(th.TokensForTesting(t, nullptr, false), 0);
  g_now += 1;
  EXPECT_DOUBLE_EQ(th.TokensForTesting(t, nullptr, false), 100);
}

// ---- Through the engine --------------------------------------------------------

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
