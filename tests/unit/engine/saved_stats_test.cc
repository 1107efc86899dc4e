// The tables' counters across restarts (format/saved_stats.h): a clean close
// saves them and the next start takes them instead of recounting every item;
// a start without them (after a crash, or a folder from before they existed)
// recounts; either way ItemCount and the sizes are exact.
#include "ddb/format/saved_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ddb/format/catalog.h"
#include "ddb/format/keys.h"
#include "engine_test_util.h"

namespace ddb {
namespace {

class SavedStatsTest : public testing::EngineFixture {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("saved_stats_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override {
    EngineFixture::TearDown();
    std::filesystem::remove_all(dir_);
  }

  EngineOptions Durable() const {
    EngineOptions o;
    o.store.path = dir_.string();
    o.store.sync = false;
    return o;
  }
  std::unique_ptr<Store> OpenStore() const {
    StoreOptions so;
    so.path = dir_.string();
    so.sync = false;
    auto s = Store::Open(so);
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Table `tbl` (pk S) with GSI `gsi` on `v` (S), and `n` items of which the
  // even ones carry `v`.
  void CreateAndFill(int n) {
    Ok("CreateTable", R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
                              {"AttributeName":"v","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"gsi",
        "KeySchema":[{"AttributeName":"v","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL"}}]})");
    for (int i = 0; i < n; ++i) {
      std::string item = R"({"pk":{"S":"k)" + std::to_string(i) + R"("}})";
      if (i % 2 == 0) item.insert(item.size() - 1, R"(,"v":{"S":"x"})");
      Ok("PutItem", R"({"TableName":"tbl","Item":)" + item + "}");
    }
  }

  // DescribeTable's counters: table items, table bytes, index items.
  std::tuple<int64_t, int64_t, int64_t> Counters() {
    auto d = Doc("DescribeTable", R"({"TableName":"tbl"})");
    return {d["Table"]["ItemCount"].GetInt64(), d["Table"]["TableSizeBytes"].GetInt64(),
            d["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt64()};
  }

  std::filesystem::path dir_;
};

TEST_F(SavedStatsTest, CleanCloseSavesTheCountersAndTheNextStartTakesThem) {
  OpenEngine(Durable());
  CreateAndFill(50);
  Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":"k0"}}})");
  const auto before = Counters();
  EXPECT_EQ(std::get<0>(before), 49);
  EXPECT_EQ(std::get<2>(before), 24);
  engine_->Close();
  // After Close the engine answers nothing.
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"tbl"})"),
            "ERROR ServiceUnavailable: The server is shutting down");
  engine_.reset();

  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    Catalog catalog(store.get());
    ASSERT_TRUE(catalog.Load().ok());
    EXPECT_FALSE(catalog.recounted());
    const TableStats s = catalog.Find("tbl")->stats->Snapshot();
    EXPECT_EQ(s.item_count, 49);
    // Load took the record away: a second Load (as after a crash) recounts,
    // and finds the same numbers.
    Catalog again(store.get());
    ASSERT_TRUE(again.Load().ok());
    EXPECT_TRUE(again.recounted());
    const TableStats r = again.Find("tbl")->stats->Snapshot();
    EXPECT_EQ(r.item_count, s.item_count);
    EXPECT_EQ(r.size_bytes, s.size_bytes);
    EXPECT_EQ(r.indexes, s.indexes);
  }

  OpenEngine(Durable());
  EXPECT_EQ(Counters(), before);
}

// The saved numbers are taken as they are (nothing is recounted): a record
// edited by hand shows through, which a recount would have corrected.
TEST_F(SavedStatsTest, SavedCountersAreNotRecounted) {
  OpenEngine(Durable());
  CreateAndFill(10);
  engine_.reset();  // the destructor closes cleanly
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    std::string record;
    ASSERT_TRUE(*store->Get(keys::Meta("clean_stats"), &record));
    auto saved = DecodeSavedStats(record);
    ASSERT_TRUE(saved.has_value());
    ASSERT_EQ(saved->size(), 1u);
    EXPECT_EQ(saved->begin()->second.item_count, 10);
    saved->begin()->second.item_count = 12345;
    WriteBatch b;
    b.Put(keys::Meta("clean_stats"), EncodeSavedStats(*saved));
    ASSERT_TRUE(store->Write(b).ok());
  }
  OpenEngine(Durable());
  EXPECT_EQ(std::get<0>(Counters()), 12345);
}

// A folder without the record (written before it existed, or after a crash)
// and one with a record of another version are recounted.
TEST_F(SavedStatsTest, MissingOrForeignRecordMeansRecount) {
  OpenEngine(Durable());
  CreateAndFill(7);
  engine_.reset();
  {
    auto store = OpenStore();
    WriteBatch b;
    b.Put(keys::Meta("clean_stats"), std::string("\x02garbage", 8));
    ASSERT_TRUE(store->Write(b).ok());
    Catalog catalog(store.get());
    ASSERT_TRUE(catalog.Load().ok());
    EXPECT_TRUE(catalog.recounted());
    EXPECT_EQ(catalog.Find("tbl")->stats->Snapshot().item_count, 7);
    std::string record;
    EXPECT_FALSE(*store->Get(keys::Meta("clean_stats"), &record));
  }
  OpenEngine(Durable());
  EXPECT_EQ(std::get<0>(Counters()), 7);
  EXPECT_EQ(std::get<2>(Counters()), 4);
}

// A million items: the counters after a clean restart are the recount's.
TEST_F(SavedStatsTest, AMillionItemsCountedOnceAndSaved) {
  OpenEngine(Durable());
  CreateAndFill(0);
  engine_.reset();
  constexpr int kItems = 1'000'000;
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    uint64_t id = 0;
    {
      Catalog catalog(store.get());
      ASSERT_TRUE(catalog.Load().ok());
      ASSERT_TRUE(catalog.Find("tbl"));
      id = catalog.Find("tbl")->info.id;
    }
    // Stored items written directly (4-byte size header + JSON): what the
    // recount reads is the header.
    for (int batch = 0; batch < kItems / 10'000; ++batch) {
      WriteBatch b;
      for (int i = 0; i < 10'000; ++i) {
        std::string key = keys::TablePrefix(id);
        AppendBigEndian64(static_cast<uint64_t>(batch) * 10'000 + i, &key);
        b.Put(key, std::string("\0\0\0\x0a{}", 6));
      }
      ASSERT_TRUE(store->Write(b).ok());
    }
    Catalog recount(store.get());
    ASSERT_TRUE(recount.Load().ok());
    EXPECT_TRUE(recount.recounted());
    ASSERT_TRUE(recount.Find("tbl"));
    EXPECT_EQ(recount.Find("tbl")->stats->Snapshot().item_count, kItems);
    EXPECT_EQ(recount.Find("tbl")->stats->Snapshot().size_bytes, int64_t{kItems} * 10);
    ASSERT_TRUE(recount.SaveStats().ok());
    Catalog saved(store.get());
    ASSERT_TRUE(saved.Load().ok());
    EXPECT_FALSE(saved.recounted());
    EXPECT_EQ(saved.Find("tbl")->stats->Snapshot().item_count, kItems);
    ASSERT_TRUE(saved.SaveStats().ok());
  }
  OpenEngine(Durable());
  EXPECT_EQ(std::get<0>(Counters()), kItems);
  EXPECT_EQ(std::get<1>(Counters()), int64_t{kItems} * 10);
}

TEST(SavedStatsRecord, RoundTripAndTruncation) {
  SavedStats s;
  s[3].item_count = 5;
  s[3].size_bytes = 77;
  s[3].indexes[4] = {2, 30};
  s[9].item_count = 0;
  const std::string record = EncodeSavedStats(s);
  auto back = DecodeSavedStats(record);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->at(3).item_count, 5);
  EXPECT_EQ(back->at(3).size_bytes, 77);
  EXPECT_EQ(back->at(3).indexes.at(4).item_count, 2);
  EXPECT_EQ(back->at(3).indexes.at(4).size_bytes, 30);
  EXPECT_EQ(back->count(9), 1u);
  for (size_t cut = 0; cut < record.size(); ++cut) {
    EXPECT_FALSE(DecodeSavedStats(record.substr(0, cut)).has_value()) << cut;
  }
  EXPECT_FALSE(DecodeSavedStats(record + "x").has_value());
}

}  // namespace
}  // namespace ddb
