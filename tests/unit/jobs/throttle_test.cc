// Throttling: token buckets with a 300-second burst, per table and per GSI,
// on a fake clock. (The engine's behaviour over them: engine/throttle_test.cc.)
#include "ddb/jobs/throttle.h"

#include <gtest/gtest.h>

#include <atomic>

namespace ddb {
namespace {

// The fake clock the throttlers read.
std::atomic<double> g_now{1'700'000'000.0};
double FakeNow() { return g_now.load(); }

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
  EXPECT_EQ(st.error().Name(), "ProvisionedThroughputExceededException");
  EXPECT_EQ(st.error().message, kTableThroughputExceeded);
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

}  // namespace
}  // namespace ddb
