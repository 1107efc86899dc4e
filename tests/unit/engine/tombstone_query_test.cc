// Cruddur's pattern D through the engine: an inbox item moved on every
// message (TransactWriteItems: delete the item at the old sort key, put it at
// the new one; its GSI entry moves the same way). Thousands of moves leave
// thousands of deleted keys in the inbox partition and in the GSI partition;
// a Query that reads past them gets its range compacted, so the next Query
// steps over (almost) none of them (counted with RocksDB's per-thread perf
// counter, which the store's cursors keep). No timing is measured.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rocksdb/perf_context.h>

#include <cstdio>

#include "ddb/engine/engine.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

constexpr int kMoves = 5000;

class TombstoneQueryTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    EngineOptions o = testing::InMemoryOptions();
    o.store.compact_inline = true;  // compacted before the Query returns
    ASSERT_NO_FATAL_FAILURE(OpenEngine(o));
    Ok("CreateTable", R"({"TableName":"msgs",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                              {"AttributeName":"sk","AttributeType":"S"},
                              {"AttributeName":"message_group_uuid","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[{"IndexName":"message-group-sk-index","KeySchema":[
          {"AttributeName":"message_group_uuid","KeyType":"HASH"},
          {"AttributeName":"sk","KeyType":"RANGE"}],
          "Projection":{"ProjectionType":"ALL"}}],
      "BillingMode":"PAY_PER_REQUEST"})");
    for (const char* owner : {"A", "B"}) {
      Ok("PutItem", R"({"TableName":"msgs","Item":)" + InboxItem(owner, 0) + "}");
    }
  }

  static std::string Time(int i) {
    char b[64];
    std::snprintf(b, sizeof b, "2026-11-24T%02d:%02d:%02d.000000+00:00", i / 3600, i / 60 % 60,
                  i % 60);
    return b;
  }
  static std::string InboxItem(const std::string& owner, int i) {
    return R"({"pk":{"S":"GRP#)" + owner + R"("},"sk":{"S":")" + Time(i) +
           R"("},"message_group_uuid":{"S":"G1"},"message":{"S":"message )" + std::to_string(i) +
           R"("}})";
  }

  // Moves both participants' inbox items from message `from` to `to`, one
  // message at a time, as sending a message does.
  void Move(int from, int to) {
    for (int i = from + 1; i <= to; ++i) {
      std::string items;
      for (const char* owner : {"A", "B"}) {
        if (!items.empty()) items += ",";
        items += R"({"Delete":{"TableName":"msgs","Key":{"pk":{"S":"GRP#)" + std::string(owner) +
                 R"("},"sk":{"S":")" + Time(i - 1) + R"("}}}},)";
        items += R"({"Put":{"TableName":"msgs","Item":)" + InboxItem(owner, i) + "}}";
      }
      Ok("TransactWriteItems", R"({"TransactItems":[)" + items + "]}");
    }
  }

  struct Read {
    int count = 0;
    std::string first_sk;
    uint64_t tombstones = 0;
  };
  Read Query(const std::string& request) {
    uint64_t before = rocksdb::get_perf_context()->internal_delete_skipped_count;
    rapidjson::Document d = Ok("Query", request);
    Read r;
    r.tombstones = rocksdb::get_perf_context()->internal_delete_skipped_count - before;
    if (d.HasMember("Count")) r.count = d["Count"].GetInt();
    if (r.count > 0) r.first_sk = d["Items"][0]["sk"]["S"].GetString();
    return r;
  }
  Read QueryInbox(bool newest_first) {
    return Query(R"({"TableName":"msgs","KeyConditionExpression":"pk = :p",
      "ExpressionAttributeValues":{":p":{"S":"GRP#A"}},"Limit":20,"ScanIndexForward":)" +
                 std::string(newest_first ? "false" : "true") + "}");
  }
  Read Group() {
    return Query(R"({"TableName":"msgs","IndexName":"message-group-sk-index",
      "KeyConditionExpression":"message_group_uuid = :g",
      "ExpressionAttributeValues":{":g":{"S":"G1"}}})");
  }
};

TEST_F(TombstoneQueryTest, MovedInboxItemsStopCostingQueries) {
  Move(0, kMoves);
  // The first Query of the GSI partition steps over both participants'
  // deleted entries; its range is then compacted.
  Read g = Group();
  EXPECT_EQ(g.count, 2);
  EXPECT_GE(g.tombstones, uint64_t{2 * kMoves});
  g = Group();
  EXPECT_EQ(g.count, 2);
  EXPECT_LT(g.tombstones, 1000u);

  // Again for the inbox partition, after more messages.
  Move(kMoves, 2 * kMoves);
  Read newest = QueryInbox(/*newest_first=*/true);
  EXPECT_EQ(newest.count, 1);
  EXPECT_EQ(newest.first_sk, Time(2 * kMoves));
  EXPECT_GE(newest.tombstones, uint64_t{kMoves});
  for (bool newest_first : {true, false}) {
    Read r = QueryInbox(newest_first);
    EXPECT_EQ(r.count, 1);
    EXPECT_EQ(r.first_sk, Time(2 * kMoves));
    EXPECT_LT(r.tombstones, 1000u) << (newest_first ? "newest first" : "oldest first");
  }
  g = Group();
  EXPECT_EQ(g.count, 2);
  EXPECT_LT(g.tombstones, 1000u);
}

}  // namespace
}  // namespace ddb
