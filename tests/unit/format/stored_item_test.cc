// Stored items: the std::string form of DecodeStoredItem (which parses up to
// the string's NUL) reads back exactly what EncodeStoredItem wrote, including
// text with NULs, escapes and non-ASCII characters, as the view form does.
#include "ddb/format/stored_item.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ddb/format/stream_records.h"

namespace ddb {
namespace {

TEST(StoredItemTest, BothDecodersReadBackWhatWasWritten) {
  Item item{{"pk", AttributeValue::S("p1")},
            {"nul", AttributeValue::S(std::string("a\0b", 3))},
            {"quote", AttributeValue::S("say \"hi\"\\ \n\t")},
            {"utf8", AttributeValue::S("caf\xc3\xa9 \xf0\x9f\x98\x80")},
            {"long", AttributeValue::S(std::string(1000, 'x'))},
            {"n", AttributeValue::N("12.5")}};
  const std::string stored = EncodeStoredItem(item, ItemSize(item));
  EXPECT_EQ(StoredItemSize(stored), ItemSize(item));
  Result<Item> from_string = DecodeStoredItem(stored);
  Result<Item> from_view = DecodeStoredItem(std::string_view(stored));
  ASSERT_TRUE(from_string.ok());
  ASSERT_TRUE(from_view.ok());
  EXPECT_EQ(*from_string, item);
  EXPECT_EQ(*from_view, item);
}

TEST(StoredItemTest, ACorruptRecordIsAnErrorNotAnItem) {
  const std::string cut = EncodeStoredItem({{"pk", AttributeValue::S("p1")}}, 3).substr(0, 10);
  EXPECT_FALSE(DecodeStoredItem(cut).ok());
  EXPECT_FALSE(DecodeStoredItem(std::string_view(cut)).ok());
  Result<Item> empty = DecodeStoredItem(std::string("ab"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

// A stream record's NewImage is the stored text itself when the write passes
// it (ItemChange::new_stored): the record is the one encoded from the item.
TEST(StoredItemTest, StreamRecordsTakeTheStoredTextAsTheNewImage) {
  TableInfo table;
  table.name = "t";
  table.region = "us-east-1";
  table.key.hash = {"pk", AttrType::kS};
  Item item{{"pk", AttributeValue::S("p1")},
            {"quote", AttributeValue::S("say \"hi\"\\ \n\t")},
            {"utf8", AttributeValue::S("caf\xc3\xa9")},
            {"m", AttributeValue::M({{"n", AttributeValue::N("12.5")}})}};
  const std::string stored = EncodeStoredItem(item, ItemSize(item));
  ItemChange change;
  change.table = &table;
  change.new_item = &item;
  change.new_size = ItemSize(item);
  for (const std::string view : {"NEW_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"}) {
    const std::string encoded = streams::EncodeRecord(change, 7, 9, view, 1700000000000);
    ItemChange with_text = change;
    with_text.new_stored = stored;
    EXPECT_EQ(streams::EncodeRecord(with_text, 7, 9, view, 1700000000000), encoded) << view;
    EXPECT_EQ(encoded.find("\"NewImage\"") != std::string::npos, view != "KEYS_ONLY") << view;
  }
}

}  // namespace
}  // namespace ddb
