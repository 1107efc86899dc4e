// keys::AscendingPrefix: which keys get a memtable insert hint, and its prefix.
#include "ddb/format/keys.h"

#include <gtest/gtest.h>

#include <string>

#include "ddb/format/index_keys.h"

namespace ddb {
namespace {

TEST(AscendingPrefixTest, LogsAndItemsWithASortKeyHaveOne) {
  const AttributeValue pk = AttributeValue::S("MSG#group");
  const AttributeValue sk = AttributeValue::S("2026-12-06T22:00:00.000000+00:00");
  const std::string composite = keys::ItemKey(7, pk, &sk);
  EXPECT_EQ(keys::AscendingPrefix(composite), 17u);
  EXPECT_EQ(composite.substr(0, 17), keys::PartitionPrefix(7, pk).substr(0, 17));
  // Two items of one partition share it; another partition's differs.
  const AttributeValue sk2 = AttributeValue::S("2026-12-06T22:00:01.000000+00:00");
  const std::string next = keys::ItemKey(7, pk, &sk2);
  EXPECT_EQ(next.substr(0, 17), composite.substr(0, 17));
  const AttributeValue other = AttributeValue::S("MSG#other");
  EXPECT_NE(keys::ItemKey(7, other, &sk).substr(0, 17), composite.substr(0, 17));

  EXPECT_EQ(keys::AscendingPrefix(keys::StreamRecordKey(3, 42)), 10u);
  EXPECT_EQ(keys::AscendingPrefix(keys::UndoRecordKey(3, 1'700'000'000'000'000, 1)), 10u);
}

TEST(AscendingPrefixTest, OtherKeysHaveNone) {
  const AttributeValue pk = AttributeValue::S("user-1");
  EXPECT_EQ(keys::AscendingPrefix(keys::ItemKey(7, pk, nullptr)), 0u);  // no sort key
  // The begins of the engine's DeleteRanges (the store refuses any other).
  EXPECT_EQ(keys::AscendingPrefix(keys::TablePrefix(7)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::StreamRecordPrefix(3)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::UndoTablePrefix(3)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(IndexPrefix(9)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::RestoreScratchPrefix(5)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::BackupItemsPrefix(5)), 0u);
  EXPECT_EQ(keys::AscendingPrefix(IndexPartitionPrefix(9, pk) + "base key"), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::StreamMetaKey("arn:aws:dynamodb:stream")), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::RestoreScratchPrefix(5) + "item"), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::CatalogKey("Messages")), 0u);
  EXPECT_EQ(keys::AscendingPrefix(keys::Meta("next_id")), 0u);
  EXPECT_EQ(keys::AscendingPrefix(""), 0u);
  EXPECT_EQ(keys::AscendingPrefix(std::string(1, keys::kItem)), 0u);
  // An item key cut inside its partition part (never written; still no prefix).
  std::string cut = keys::ItemKey(7, pk, nullptr);
  cut.pop_back();
  EXPECT_EQ(keys::AscendingPrefix(cut), 0u);
}

}  // namespace
}  // namespace ddb
