// Time to live in process: the once-per-hour change rule against an
// injected clock, and the sweeper deleting exactly the expired items (with
// their index entries and statistics). (When an item has expired:
// jobs/ttl_sweeper_test.cc.)
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

class TtlTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    UseFakeClock();
    EngineOptions o = testing::InMemoryOptions();
    o.ttl_sweep_seconds = 0.05;
    OpenEngine(o);
  }

  void CreateTable(const std::string& extra = "") {
    std::string r = Call("CreateTable", R"({"TableName":"ttt",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                              {"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}],
      "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
                                 {"AttributeName":"g","KeyType":"RANGE"}],
                                 "Projection":{"ProjectionType":"KEYS_ONLY"}}],
      "BillingMode":"PAY_PER_REQUEST"})");
    ASSERT_EQ(r.find("ERROR"), std::string::npos) << r;
  }

  std::string Ttl(bool enabled, const std::string& attr = "exp") {
    return Call("UpdateTimeToLive",
                std::string(R"({"TableName":"ttt","TimeToLiveSpecification":{"Enabled":)") +
                    (enabled ? "true" : "false") + R"(,"AttributeName":")" + attr + R"("}})");
  }

  // Items in the table, or in an index when `extra` names one.
  int Count(const std::string& extra = "") {
    rapidjson::Document d;
    std::string r =
        Call("Scan", R"({"TableName":"ttt","Select":"COUNT")" +
                         (extra.empty() ? std::string(R"(,"ConsistentRead":true)") : extra) + "}");
    d.Parse(r.c_str());
    return d.HasMember("Count") ? d["Count"].GetInt() : -1;
  }

  // Waits up to 3 s for the table to hold `n` items.
  bool WaitForCount(int n) {
    for (int i = 0; i < 300; ++i) {
      if (Count() == n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
};

TEST_F(TtlTest, OncePerHourRule) {
  CreateTable();
  EXPECT_EQ(Ttl(true), R"({"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  EXPECT_EQ(Call("DescribeTimeToLive", R"({"TableName":"ttt"})"),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"exp"}})");
  EXPECT_EQ(Ttl(true), "ERROR ValidationException: TimeToLive is already enabled");
  EXPECT_EQ(Ttl(false, "other"),
            "ERROR ValidationException: TimeToLive is active on a different AttributeName: current "
            "AttributeName is exp");
  g_now = g_now + 3599;
  EXPECT_EQ(Ttl(false),
            "ERROR ValidationException: Time to live has been modified multiple times within a "
            "fixed interval");
  g_now = g_now + 1;
  EXPECT_EQ(Ttl(false), R"({"TimeToLiveSpecification":{"Enabled":false,"AttributeName":"exp"}})");
  EXPECT_EQ(Call("DescribeTimeToLive", R"({"TableName":"ttt"})"),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
  EXPECT_EQ(Ttl(false), "ERROR ValidationException: TimeToLive is already disabled");
  EXPECT_EQ(Ttl(true, "other"),
            "ERROR ValidationException: Time to live has been modified multiple times within a "
            "fixed interval");
}

TEST_F(TtlTest, SweeperDeletesOnlyExpiredItemsWithTheirIndexEntries) {
  CreateTable();
  const long long now = static_cast<long long>(g_now.load());
  auto put = [&](const std::string& sk, const std::string& exp) {
    std::string item = R"({"TableName":"ttt","Item":{"pk":{"S":"p"},"sk":{"S":")" + sk +
                       R"("},"g":{"S":"x"})" + exp + "}}";
    ASSERT_EQ(Call("PutItem", item), "{}");
  };
  put("soon", R"(,"exp":{"N":")" + std::to_string(now + 100) + R"("})");
  put("later", R"(,"exp":{"N":")" + std::to_string(now + 10000) + R"("})");
  put("str", R"(,"exp":{"S":")" + std::to_string(now - 100) + R"("})");
  put("none", "");
  ASSERT_EQ(Ttl(true), R"({"TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Count(), 4);
  g_now = g_now + 101;  // "soon" has expired
  ASSERT_TRUE(WaitForCount(3));
  EXPECT_EQ(Count(R"(,"IndexName":"gsi")"), 3);
  EXPECT_EQ(Count(R"(,"IndexName":"lsi")"), 3);
  rapidjson::Document d;
  d.Parse(Call("DescribeTable", R"({"TableName":"ttt"})").c_str());
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt(), 3);
  EXPECT_EQ(d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt(), 3);
  EXPECT_EQ(d["Table"]["LocalSecondaryIndexes"][0]["ItemCount"].GetInt(), 3);
  // Re-written with a later expiry before the sweep: kept.
  put("later", R"(,"exp":{"N":")" + std::to_string(now + 50000) + R"("})");
  g_now = g_now + 20000;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Count(), 3);
}

}  // namespace
}  // namespace ddb
