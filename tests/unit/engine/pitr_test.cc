// Point-in-time recovery to any instant of the window, in process, with the
// engine's clock under the test's control: the restored contents at each
// point of an item's history (writes, updates, deletions, transactions,
// batches, TTL deletions), the window and its errors, disabling and enabling
// again, what is left in the store after DeleteTable, after a restore and
// after the trim, and restores while writes go on.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "ddb/engine/engine.h"
#include "ddb/format/keys.h"
#include "ddb/storage/store.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

using testing::g_now;

constexpr double kT0 = testing::kClockStart;
constexpr double kDay = 86400;

// A restore time as the wire carries it.
std::string Time(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", t);
  return buf;
}

using Contents = std::map<std::string, std::string>;  // pk -> v ("" if none)

class PitrTest : public testing::EngineFixture {
 protected:
  void SetUp() override { UseFakeClock(kT0); }
  void TearDown() override {
    EngineFixture::TearDown();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // An engine over an in-memory store, or (durable) over a directory that
  // outlives it, so that the test can look at the store afterwards.
  void Open(bool durable = false, double ttl_sweep_seconds = 0) {
    EngineOptions o;
    o.ttl_sweep_seconds = ttl_sweep_seconds;
    if (durable) {
      if (dir_.empty()) {
        dir_ = std::filesystem::path(::testing::TempDir()) /
               ("pitr_test_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
      }
      o.store.path = dir_.string();
      o.store.sync = false;
    } else {
      o.store.in_memory = true;
    }
    OpenEngine(o);
  }
  void Close() { engine_.reset(); }

  // Keys under `prefix` in the (closed) durable store.
  size_t KeysUnder(const std::string& prefix) {
    EXPECT_FALSE(engine_) << "close the engine first";
    StoreOptions so;
    so.path = dir_.string();
    auto s = Store::Open(so);
    EXPECT_TRUE(s.ok());
    if (!s.ok()) return 0;
    auto cur = (*s)->NewCursor(prefix, keys::PrefixEnd(prefix));
    size_t n = 0;
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) ++n;
    return n;
  }
  size_t UndoRecords() { return KeysUnder(keys::UndoLogPrefix()); }
  size_t ScratchKeys() { return KeysUnder(keys::RestoreScratchPrefix()); }

  void CreateTable(const std::string& name = "src") {
    Ok("CreateTable", R"({"TableName":")" + name + R"(",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                              {"AttributeName":"g","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                 "Projection":{"ProjectionType":"ALL"}}],
      "BillingMode":"PAY_PER_REQUEST"})");
  }
  std::string Pitr(bool on, const std::string& extra = "", const std::string& table = "src") {
    return Call("UpdateContinuousBackups",
                R"({"TableName":")" + table +
                    R"(","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":)" +
                    (on ? "true" : "false") + extra + "}}");
  }
  static std::string ItemJson(const std::string& pk, const std::string& v) {
    return R"({"pk":{"S":")" + pk + R"("},"g":{"S":"x"},"v":{"S":")" + v + R"("}})";
  }
  void Put(const std::string& pk, const std::string& v, const std::string& table = "src") {
    Ok("PutItem", R"({"TableName":")" + table + R"(","Item":)" + ItemJson(pk, v) + "}");
  }
  void Delete(const std::string& pk) {
    Ok("DeleteItem", R"({"TableName":"src","Key":{"pk":{"S":")" + pk + R"("}}})");
  }
  std::string Restore(const std::string& target, double t) {
    return Call("RestoreTableToPointInTime", R"({"SourceTableName":"src","TargetTableName":")" +
                                                 target + R"(","RestoreDateTime":)" + Time(t) +
                                                 "}");
  }
  std::string RestoreLatest(const std::string& target) {
    return Call("RestoreTableToPointInTime", R"({"SourceTableName":"src","TargetTableName":")" +
                                                 target + R"(","UseLatestRestorableTime":true})");
  }
  // The items of `table` (pk -> v), from a consistent Scan.
  Contents Scan(const std::string& table) {
    Contents out;
    std::string start;
    while (true) {
      auto d = Doc("Scan", R"({"TableName":")" + table + R"(","ConsistentRead":true)" +
                               (start.empty() ? "" : R"(,"ExclusiveStartKey":)" + start) + "}");
      if (!d.HasMember("Items")) break;
      for (const auto& item : d["Items"].GetArray()) {
        std::string v;
        if (item.HasMember("v")) {
          const auto& av = item["v"];
          v = av.HasMember("S") ? av["S"].GetString() : av["N"].GetString();
        }
        out[item["pk"]["S"].GetString()] = v;
      }
      if (!d.HasMember("LastEvaluatedKey")) break;
      rapidjson::StringBuffer buf;
      JsonWriter w(buf);
      d["LastEvaluatedKey"].Accept(w);
      start = buf.GetString();
    }
    return out;
  }
  // Restores `src` at `t` into `target` and returns its items.
  Contents RestoredAt(const std::string& target, double t) {
    std::string r = Restore(target, t);
    EXPECT_EQ(r.find("ERROR"), std::string::npos) << r;
    return Scan(target);
  }
  rapidjson::Document Window() {
    auto d = Doc("DescribeContinuousBackups", R"({"TableName":"src"})");
    rapidjson::Document p;
    p.CopyFrom(d["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"],
               p.GetAllocator());
    return p;
  }

  std::filesystem::path dir_;
};

const char* const kInvalidTime =
    "ERROR InvalidRestoreTimeException: RestoreDateTime must be between "
    "EarliestRestorableDateTime and LatestRestorableDateTime.";

TEST_F(PitrTest, RestoresEachPointOfAnItemsHistory) {
  Open();
  CreateTable();
  Put("before", "0");  // written before PITR was enabled
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  const double t1 = kT0 + 10, t2 = kT0 + 20, t3 = kT0 + 30, t4 = kT0 + 40;
  g_now = t1;
  Put("a", "v1");
  g_now = t2;
  Put("a", "v2");
  g_now = t3;
  Delete("a");
  g_now = t4;
  Put("b", "1");
  g_now = kT0 + 50;

  EXPECT_EQ(RestoredAt("at-enable", kT0), (Contents{{"before", "0"}}));
  EXPECT_EQ(RestoredAt("before-t1", t1 - 0.001), (Contents{{"before", "0"}}));
  // A write at the restore time is in the restored table.
  EXPECT_EQ(RestoredAt("at-t1", t1), (Contents{{"before", "0"}, {"a", "v1"}}));
  EXPECT_EQ(RestoredAt("after-t1", t1 + 1), (Contents{{"before", "0"}, {"a", "v1"}}));
  EXPECT_EQ(RestoredAt("after-t2", t2 + 1), (Contents{{"before", "0"}, {"a", "v2"}}));
  EXPECT_EQ(RestoredAt("after-t3", t3 + 1), (Contents{{"before", "0"}}));
  EXPECT_EQ(RestoredAt("after-t4", t4 + 1), (Contents{{"before", "0"}, {"b", "1"}}));
  std::string r = RestoreLatest("latest");
  ASSERT_EQ(r.find("ERROR"), std::string::npos) << r;
  EXPECT_EQ(Scan("latest"), (Contents{{"before", "0"}, {"b", "1"}}));

  // The restored table: its instant, its counts and its index entries.
  auto d = Doc("DescribeTable", R"({"TableName":"after-t2"})");
  EXPECT_EQ(d["Table"]["RestoreSummary"]["RestoreDateTime"].GetDouble(), t2 + 1);
  EXPECT_TRUE(d["Table"]["RestoreSummary"]["RestoreInProgress"].IsFalse());
  EXPECT_EQ(d["Table"]["ItemCount"].GetInt(), 2);
  EXPECT_EQ(d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt(), 2);
  auto q = Doc("Query", R"({"TableName":"after-t2","IndexName":"by-g",
      "KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}})");
  EXPECT_EQ(q["Count"].GetInt(), 2);
  // The source is untouched.
  EXPECT_EQ(Scan("src"), (Contents{{"before", "0"}, {"b", "1"}}));
}

TEST_F(PitrTest, UpdatesTransactionsAndBatchesAreRestoredWhole) {
  Open();
  CreateTable();
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  const double t1 = kT0 + 10, t2 = kT0 + 20, t3 = kT0 + 30;
  g_now = t1;
  Ok("TransactWriteItems", R"({"TransactItems":[
      {"Put":{"TableName":"src","Item":)" +
                               ItemJson("x", "1") + R"(}},
      {"Put":{"TableName":"src","Item":)" +
                               ItemJson("y", "1") + R"(}}]})");
  g_now = t2;
  Ok("BatchWriteItem", R"({"RequestItems":{"src":[
      {"PutRequest":{"Item":)" +
                           ItemJson("z", "1") + R"(}},
      {"PutRequest":{"Item":)" +
                           ItemJson("w", "1") + R"(}},
      {"DeleteRequest":{"Key":{"pk":{"S":"x"}}}}]}})");
  g_now = t3;
  Ok("UpdateItem", R"({"TableName":"src","Key":{"pk":{"S":"y"}},
      "UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"2"}}})");
  // Writes that change nothing leave nothing to undo.
  Ok("UpdateItem", R"({"TableName":"src","Key":{"pk":{"S":"y"}},
      "UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"2"}}})");
  Ok("DeleteItem", R"({"TableName":"src","Key":{"pk":{"S":"nothing"}}})");
  g_now = kT0 + 40;

  // Exactly at a commit's time: all of the transaction (or batch), never part.
  EXPECT_EQ(RestoredAt("at-tx", t1), (Contents{{"x", "1"}, {"y", "1"}}));
  EXPECT_EQ(RestoredAt("before-tx", t1 - 0.000001), Contents{});
  EXPECT_EQ(RestoredAt("batch", t2), (Contents{{"y", "1"}, {"z", "1"}, {"w", "1"}}));
  EXPECT_EQ(RestoredAt("update", t3), (Contents{{"y", "2"}, {"z", "1"}, {"w", "1"}}));
  EXPECT_EQ(RestoredAt("before-update", t3 - 0.5), (Contents{{"y", "1"}, {"z", "1"}, {"w", "1"}}));
}

TEST_F(PitrTest, TtlDeletionsAreInTheHistory) {
  Open(false, /*ttl_sweep_seconds=*/0.02);
  CreateTable();
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  Ok("UpdateTimeToLive",
     R"({"TableName":"src","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}})");
  g_now = kT0 + 10;
  Ok("PutItem",
     R"({"TableName":"src","Item":{"pk":{"S":"t"},"v":{"S":"1"},"exp":{"N":"1700000015"}}})");
  g_now = kT0 + 20;  // expired: the sweeper deletes it now
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Scan("src").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(Scan("src").empty());
  g_now = kT0 + 30;
  EXPECT_EQ(RestoredAt("before-sweep", kT0 + 19), (Contents{{"t", "1"}}));
  EXPECT_EQ(RestoredAt("after-sweep", kT0 + 21), Contents{});
}

TEST_F(PitrTest, RestoreTimeOutsideTheWindowIsRefused) {
  Open();
  CreateTable();
  Put("a", "1");
  EXPECT_EQ(RestoreLatest("tgt"),
            "ERROR PointInTimeRecoveryUnavailableException: Point in time recovery is not "
            "enabled for table 'src'");
  EXPECT_EQ(Restore("tgt", kT0),
            "ERROR PointInTimeRecoveryUnavailableException: Point in time recovery is not "
            "enabled for table 'src'");
  g_now = kT0 + 100;
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  EXPECT_EQ(Window()["EarliestRestorableDateTime"].GetDouble(), kT0 + 100);
  g_now = kT0 + 200;
  EXPECT_EQ(Window()["LatestRestorableDateTime"].GetDouble(), kT0 + 200);
  EXPECT_EQ(Restore("tgt", kT0 + 99.999), kInvalidTime);   // before PITR was enabled
  EXPECT_EQ(Restore("tgt", kT0 + 200.001), kInvalidTime);  // in the future
  EXPECT_EQ(Call("RestoreTableToPointInTime",
                 R"({"SourceTableName":"src","TargetTableName":"tgt","UseLatestRestorableTime":true,
                     "RestoreDateTime":1700000150})"),
            "ERROR ValidationException: Only one of RestoreDateTime or UseLatestRestorableTime "
            "can be specified");
  EXPECT_EQ(Restore("src", kT0 + 150),
            "ERROR TableAlreadyExistsException: Table already exists: src");
  EXPECT_EQ(RestoredAt("first", kT0 + 100), (Contents{{"a", "1"}}));
  EXPECT_EQ(RestoredAt("last", kT0 + 200), (Contents{{"a", "1"}}));
  // The window slides: RecoveryPeriodInDays back from now.
  g_now = kT0 + 40 * kDay;
  EXPECT_EQ(Window()["EarliestRestorableDateTime"].GetDouble(), g_now.load() - 35 * kDay);
  EXPECT_EQ(Restore("tgt", g_now.load() - 35 * kDay - 1), kInvalidTime);
  EXPECT_EQ(RestoredAt("slid", g_now.load() - 35 * kDay), (Contents{{"a", "1"}}));
}

TEST_F(PitrTest, DisablingDiscardsTheHistoryAndEnablingStartsANewWindow) {
  Open(/*durable=*/true);
  CreateTable();
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  g_now = kT0 + 10;
  Put("a", "1");
  g_now = kT0 + 20;
  Put("a", "2");
  Close();
  EXPECT_EQ(UndoRecords(), 2u);
  Open(true);
  g_now = kT0 + 30;
  auto off =
      Doc("UpdateContinuousBackups", R"({"TableName":"src","PointInTimeRecoverySpecification":)"
                                     R"({"PointInTimeRecoveryEnabled":false}})");
  EXPECT_EQ(std::string(off["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
                           ["PointInTimeRecoveryStatus"]
                               .GetString()),
            "DISABLED");
  Put("a", "3");  // not logged
  Close();
  EXPECT_EQ(UndoRecords(), 0u);
  Open(true);
  g_now = kT0 + 40;
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  EXPECT_EQ(Window()["EarliestRestorableDateTime"].GetDouble(), kT0 + 40);
  g_now = kT0 + 50;
  Put("a", "4");
  g_now = kT0 + 60;
  EXPECT_EQ(Restore("old", kT0 + 15), kInvalidTime);
  EXPECT_EQ(RestoredAt("new", kT0 + 45), (Contents{{"a", "3"}}));
  EXPECT_EQ(RestoredAt("newer", kT0 + 50), (Contents{{"a", "4"}}));
}

TEST_F(PitrTest, TheLogGoesWithTheTableAndIsNotInherited) {
  Open(/*durable=*/true);
  CreateTable();
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  for (int i = 0; i < 5; ++i) {
    g_now = kT0 + 10 + i;
    Put("k" + std::to_string(i), "1");
  }
  g_now = kT0 + 20;
  EXPECT_EQ(RestoredAt("copy", kT0 + 12), (Contents{{"k0", "1"}, {"k1", "1"}, {"k2", "1"}}));
  Put("more", "1", "copy");  // the restored table has PITR off: no log of its own
  Ok("DeleteTable", R"({"TableName":"src"})");
  Close();
  EXPECT_EQ(UndoRecords(), 0u);
  EXPECT_EQ(ScratchKeys(), 0u);
  // A table re-created under the same name starts without history.
  Open(true);
  CreateTable();
  EXPECT_EQ(RestoreLatest("again"),
            "ERROR PointInTimeRecoveryUnavailableException: Point in time recovery is not "
            "enabled for table 'src'");
}

TEST_F(PitrTest, HistorySurvivesARestartAndOldRecordsAreTrimmed) {
  Open(/*durable=*/true);
  CreateTable();
  ASSERT_EQ(Pitr(true, R"(,"RecoveryPeriodInDays":1)").find("ERROR"), std::string::npos);
  g_now = kT0 + 10;
  Put("a", "1");
  g_now = kT0 + 20;
  Put("a", "2");
  Close();
  Open(true);
  g_now = kT0 + 30;
  EXPECT_EQ(RestoredAt("after-restart", kT0 + 15), (Contents{{"a", "1"}}));
  // Three days later only the last day (and a margin) is kept: the trim at
  // start-up removes the rest.
  g_now = kT0 + 3 * kDay;
  Put("a", "3");
  Close();
  Open(true);
  Close();
  EXPECT_EQ(UndoRecords(), 1u);
  Open(true);
  EXPECT_EQ(Window()["EarliestRestorableDateTime"].GetDouble(), g_now.load() - kDay);
  // A longer period does not bring trimmed history back.
  ASSERT_EQ(Pitr(true, R"(,"RecoveryPeriodInDays":35)").find("ERROR"), std::string::npos);
  EXPECT_EQ(Window()["EarliestRestorableDateTime"].GetDouble(), g_now.load() - kDay);
  EXPECT_EQ(Window()["RecoveryPeriodInDays"].GetInt(), 35);
  EXPECT_EQ(Restore("gone", kT0 + 15), kInvalidTime);
  EXPECT_EQ(RestoredAt("kept", g_now.load() - 1), (Contents{{"a", "2"}}));
}

TEST_F(PitrTest, RestoresWhileWritesContinue) {
  Open();
  CreateTable();
  ASSERT_EQ(Pitr(true).find("ERROR"), std::string::npos);
  constexpr int kKeys = 10;
  // One writer advances the clock a millisecond per write: write i is at
  // kT0 + 1 + i / 1000, and sets key i % kKeys to i.
  std::atomic<int> written{0};
  std::atomic<bool> stop{false};
  g_now = kT0 + 1;
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      g_now = kT0 + 1 + i / 1000.0;
      Put("k" + std::to_string(i % kKeys), std::to_string(i));
      written = i + 1;
    }
  });
  auto expected_after = [&](int last) {  // the items once writes 0..last are in
    Contents c;
    for (int i = 0; i <= last; ++i) c["k" + std::to_string(i % kKeys)] = std::to_string(i);
    return c;
  };
  while (written < 200) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  for (int round = 0; round < 3; ++round) {
    const int last = written - 1;
    // The clock has reached write last + 1: the restore time is past.
    while (written < last + 2) std::this_thread::sleep_for(std::chrono::microseconds(100));
    const std::string target = "during-" + std::to_string(round);
    // Between write `last` and the next one.
    EXPECT_EQ(RestoredAt(target, kT0 + 1 + (last + 0.5) / 1000.0), expected_after(last)) << last;
    const std::string latest = "latest-" + std::to_string(round);
    ASSERT_EQ(RestoreLatest(latest).find("ERROR"), std::string::npos);
    // The latest restore is one consistent instant: the state after some
    // prefix of the writes.
    Contents got = Scan(latest);
    int newest = -1;
    for (const auto& [k, v] : got) newest = std::max(newest, std::stoi(v));
    EXPECT_GE(newest, last);
    EXPECT_EQ(got, expected_after(newest));
  }
  stop = true;
  writer.join();
}

}  // namespace
}  // namespace ddb
