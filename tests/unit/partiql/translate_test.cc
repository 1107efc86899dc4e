// Translation of statements into the engine's requests: Query or Scan, key
// and filter expressions, write conditions, and the statement target used by
// access control.
#include "ddb/partiql/translate.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "ddb/partiql/parser.h"
#include "ddb/partiql/target.h"

namespace ddb::partiql {
namespace {

TableKeys MusicKeys() {
  TableKeys k;
  k.table.hash = "Artist";
  k.table.range = "SongTitle";
  KeyNames gsi;
  gsi.hash = "Genre";
  gsi.range = "Year";
  gsi.range_type = AttrType::kN;
  k.indexes.emplace("by-genre", gsi);
  return k;
}

Statement Parsed(std::string_view text) {
  auto s = Parse(text, {});
  EXPECT_TRUE(s.ok()) << text << ": " << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : Statement{};
}

std::string Member(const EngineRequest& r, const char* name) {
  auto it = r.body.FindMember(name);
  if (it == r.body.MemberEnd()) return "<absent>";
  if (it->value.IsString()) return it->value.GetString();
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  it->value.Accept(w);
  return b.GetString();
}

EngineRequest Select(std::string_view text) {
  auto r = TranslateSelect(Parsed(text), MusicKeys());
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : EngineRequest{};
}

TEST(PartiqlTranslate, PartitionKeyEqualityIsAQuery) {
  EngineRequest r = Select("SELECT * FROM Music WHERE Artist = 'a'");
  EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
  EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0");
  EXPECT_EQ(Member(r, "ExpressionAttributeNames"), R"({"#n0":"Artist"})");
  EXPECT_EQ(Member(r, "ExpressionAttributeValues"), R"({":v0":{"S":"a"}})");
  EXPECT_EQ(Member(r, "FilterExpression"), "<absent>");
}

// A GSI keyed on (t, r) HASH and (n, b) RANGE.
TableKeys MultiKeys() {
  TableKeys k = MusicKeys();
  KeyNames multi;
  multi.hash = "t";
  multi.more_hash.push_back({"r", AttrType::kS});
  multi.range = "n";
  multi.range_type = AttrType::kN;
  multi.more_range.push_back({"b", AttrType::kS});
  k.indexes.emplace("multi", multi);
  return k;
}

EngineRequest SelectMulti(std::string_view text) {
  auto r = TranslateSelect(Parsed(text), MultiKeys());
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : EngineRequest{};
}

TEST(PartiqlTranslate, MultiAttributeKeyNeedsEveryPartitionAttribute) {
  EngineRequest r = SelectMulti("SELECT * FROM Music.multi WHERE r = 'eu' AND t = 'w'");
  EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
  EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0 AND #n1 = :v1");
  EXPECT_NE(Member(r, "ExpressionAttributeNames").find(R"("#n0":"t")"), std::string::npos);
  EXPECT_NE(Member(r, "ExpressionAttributeNames").find(R"("#n1":"r")"), std::string::npos);
  EXPECT_EQ(Member(r, "ExpressionAttributeValues"), R"({":v0":{"S":"w"},":v1":{"S":"eu"}})");
  // One partition attribute only: a Scan.
  r = SelectMulti("SELECT * FROM Music.multi WHERE t = 'w'");
  EXPECT_EQ(r.op, EngineRequest::Op::kScan);
  // A value of another type: a Scan.
  r = SelectMulti("SELECT * FROM Music.multi WHERE t = 'w' AND r = 1");
  EXPECT_EQ(r.op, EngineRequest::Op::kScan);
}

TEST(PartiqlTranslate, MultiAttributeSortKeyLeftToRight) {
  EngineRequest r =
      SelectMulti("SELECT * FROM Music.multi WHERE b > 'x' AND t = 'w' AND n = 1 AND r = 'eu'");
  EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
  EXPECT_EQ(Member(r, "KeyConditionExpression"),
            "#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 > :v3");
  EXPECT_EQ(Member(r, "FilterExpression"), "<absent>");
  r = SelectMulti(
      "SELECT * FROM Music.multi WHERE t = 'w' AND r = 'eu' AND n BETWEEN 1 AND 2 AND x = 1");
  EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
  EXPECT_EQ(Member(r, "KeyConditionExpression"),
            "#n0 = :v0 AND #n1 = :v1 AND #n2 BETWEEN :v2 AND :v3");
  EXPECT_NE(Member(r, "FilterExpression"), "<absent>");
  // A sort attribute skipped, or after a range condition: the filter would
  // name a key attribute, so a Scan.
  EXPECT_EQ(SelectMulti("SELECT * FROM Music.multi WHERE t = 'w' AND r = 'eu' AND b = 'x'").op,
            EngineRequest::Op::kScan);
  EXPECT_EQ(
      SelectMulti("SELECT * FROM Music.multi WHERE t = 'w' AND r = 'eu' AND n > 1 AND b = 'x'").op,
      EngineRequest::Op::kScan);
  // ORDER BY any key attribute of the index.
  r = SelectMulti("SELECT * FROM Music.multi WHERE t = 'w' AND r = 'eu' ORDER BY b DESC");
  EXPECT_EQ(Member(r, "ScanIndexForward"), "false");
}

std::vector<EngineRequest> SelectAll(std::string_view text, const TableKeys& keys = MusicKeys()) {
  auto r = TranslateSelectAll(Parsed(text), keys);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(*r) : std::vector<EngineRequest>{};
}

TEST(PartiqlTranslate, PartitionKeyInIsOneQueryPerValue) {
  auto reads = SelectAll("SELECT * FROM Music WHERE Artist IN ['b', 'a', 'b'] AND SongTitle > 'x'");
  ASSERT_EQ(reads.size(), 2u);
  for (const auto& r : reads) {
    EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
    EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0 AND #n1 > :v1");
  }
  EXPECT_EQ(Member(reads[0], "ExpressionAttributeValues"), R"({":v0":{"S":"b"},":v1":{"S":"x"}})");
  EXPECT_EQ(Member(reads[1], "ExpressionAttributeValues"), R"({":v0":{"S":"a"},":v1":{"S":"x"}})");
  reads = SelectAll("SELECT * FROM Music WHERE Artist = 'a' OR 'c' = Artist");
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(Member(reads[1], "ExpressionAttributeValues"), R"({":v0":{"S":"c"}})");
  // Not partition-key enumerations: one Scan.
  for (const char* text : {
           "SELECT * FROM Music WHERE Artist IN ['a', 1]",
           "SELECT * FROM Music WHERE Artist = 'a' OR Genre = 'b'",
           "SELECT * FROM Music WHERE Genre IN ['a', 'b']",
           "SELECT * FROM Music WHERE Artist NOT IN ['a', 'b']",
           "SELECT * FROM Music WHERE Artist IN ['a', 'b'] AND SongTitle <> 'x'",
       }) {
    reads = SelectAll(text);
    ASSERT_EQ(reads.size(), 1u) << text;
    EXPECT_EQ(reads[0].op, EngineRequest::Op::kScan) << text;
  }
  // One value of a multi-attribute partition key.
  reads = SelectAll("SELECT * FROM Music.multi WHERE t = 'w' AND r IN ['a', 'b']", MultiKeys());
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].op, EngineRequest::Op::kQuery);
}

TEST(PartiqlTranslate, PartitionKeyInTakesAtMost50Values) {
  std::string list;
  for (int i = 0; i < 50; ++i) list += (i ? ", '" : "'") + std::to_string(i) + "'";
  EXPECT_EQ(SelectAll("SELECT * FROM Music WHERE Artist IN [" + list + "]").size(), 50u);
  auto r = TranslateSelectAll(Parsed("SELECT * FROM Music WHERE Artist IN [" + list + ", 'x']"),
                              MusicKeys());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  // On a non-key attribute the list is a filter's.
  EXPECT_EQ(SelectAll("SELECT * FROM Music WHERE Genre IN [" + list + ", 'x']").size(), 1u);
}

TEST(PartiqlTranslate, SortKeyConditionsBecomeKeyConditions) {
  EngineRequest r = Select("SELECT * FROM Music WHERE 'x' > SongTitle AND Artist = 'a' AND n = 1");
  EXPECT_EQ(r.op, EngineRequest::Op::kQuery);
  EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0 AND #n1 < :v1");
  EXPECT_EQ(Member(r, "FilterExpression"), "#n2 = :v2");
  r = Select("SELECT * FROM Music WHERE Artist = 'a' AND begins_with(SongTitle, 'P')");
  EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0 AND begins_with(#n1, :v1)");
  r = Select("SELECT * FROM Music.\"by-genre\" WHERE Genre = 'g' AND \"Year\" BETWEEN 1 AND 2");
  EXPECT_EQ(Member(r, "IndexName"), "by-genre");
  EXPECT_EQ(Member(r, "KeyConditionExpression"), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
}

TEST(PartiqlTranslate, KeyConditionsTheQueryCannotHoldMakeAScan) {
  for (const char* text : {
           "SELECT * FROM Music WHERE Artist = 'a' OR Artist = 'b'",
           "SELECT * FROM Music WHERE Artist = 1",  // not the key's type
           "SELECT * FROM Music WHERE Artist = 'a' AND SongTitle <> 'x'",
           "SELECT * FROM Music WHERE Artist = 'a' AND SongTitle > 'x' AND SongTitle < 'z'",
           "SELECT * FROM Music WHERE Artist IN ['a', 'b']",
           "SELECT * FROM Music WHERE Genre = 'g'",
       }) {
    EngineRequest r = Select(text);
    EXPECT_EQ(r.op, EngineRequest::Op::kScan) << text;
    EXPECT_EQ(Member(r, "KeyConditionExpression"), "<absent>") << text;
    EXPECT_NE(Member(r, "FilterExpression"), "<absent>") << text;
  }
  EXPECT_EQ(Member(Select("SELECT * FROM Music"), "FilterExpression"), "<absent>");
}

TEST(PartiqlTranslate, FilterTextHasNoRedundantParentheses) {
  EngineRequest r = Select(
      "SELECT a.b[1], c FROM Music WHERE NOT (x = 1 AND (y = 2 OR z IS MISSING)) AND size(w) > 2");
  EXPECT_EQ(Member(r, "ProjectionExpression"), "#n0.#n1[1], #n2");
  EXPECT_EQ(Member(r, "FilterExpression"),
            "NOT (#n3 = :v0 AND (#n4 = :v1 OR attribute_not_exists(#n5))) AND size(#n6) > :v2");
}

TEST(PartiqlTranslate, OrderBy) {
  EngineRequest r = Select("SELECT * FROM Music WHERE Artist = 'a' ORDER BY SongTitle DESC");
  EXPECT_EQ(Member(r, "ScanIndexForward"), "false");
  EXPECT_FALSE(TranslateSelect(Parsed("SELECT * FROM Music ORDER BY SongTitle"), MusicKeys()).ok());
  EXPECT_FALSE(
      TranslateSelect(Parsed("SELECT * FROM Music WHERE Artist = 'a' ORDER BY x"), MusicKeys())
          .ok());
}

TEST(PartiqlTranslate, IsNullHoldsForNullAndMissing) {
  EngineRequest r = Select("SELECT * FROM Music WHERE x IS NULL");
  EXPECT_EQ(Member(r, "FilterExpression"), "attribute_not_exists(#n0) OR attribute_type(#n0, :v0)");
  EXPECT_EQ(Member(r, "ExpressionAttributeValues"), R"({":v0":{"S":"NULL"}})");
  r = Select("SELECT * FROM Music WHERE x.y IS NOT NULL AND z = 1");
  EXPECT_EQ(Member(r, "FilterExpression"),
            "(attribute_exists(#n0.#n1) AND NOT attribute_type(#n0.#n1, :v0)) AND #n2 = :v1");
}

TEST(PartiqlTranslate, UnknownIndex) {
  auto r = TranslateSelect(Parsed("SELECT * FROM Music.nope"), MusicKeys());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "The table does not have the specified index: nope");
}

TEST(PartiqlTranslate, Writes) {
  auto ins = TranslateWrite(Parsed("INSERT INTO Music VALUE {'Artist': 'a', 'SongTitle': 'b'}"),
                            MusicKeys());
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(ins->op, EngineRequest::Op::kPutItem);
  EXPECT_TRUE(ins->is_insert);
  EXPECT_EQ(Member(*ins, "ConditionExpression"), "attribute_not_exists(#n0)");

  auto up = TranslateWrite(
      Parsed("UPDATE Music SET a = a + 1 SET s = set_add(s, <<'x'>>) REMOVE r WHERE Artist = 'a' "
             "AND SongTitle = 'b' AND v > 2 RETURNING ALL NEW *"),
      MusicKeys());
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->op, EngineRequest::Op::kUpdateItem);
  EXPECT_EQ(Member(*up, "Key"), R"({"Artist":{"S":"a"},"SongTitle":{"S":"b"}})");
  EXPECT_EQ(Member(*up, "UpdateExpression"), "SET #n0 = #n0 + :v0 REMOVE #n2 ADD #n1 :v1");
  EXPECT_EQ(Member(*up, "ConditionExpression"), "attribute_exists(#n3) AND (#n4 > :v2)");
  EXPECT_EQ(Member(*up, "ReturnValues"), "ALL_NEW");

  auto del = TranslateWrite(
      Parsed("DELETE FROM Music WHERE SongTitle = 'b' AND Artist = 'a' AND (x = 1 OR y = 2)"),
      MusicKeys());
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(Member(*del, "ConditionExpression"),
            "attribute_not_exists(#n2) OR (#n0 = :v0 OR #n1 = :v1)");
  auto plain = TranslateWrite(Parsed("DELETE FROM Music WHERE SongTitle = 'b' AND Artist = 'a'"),
                              MusicKeys());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(Member(*plain, "ConditionExpression"), "<absent>");
  EXPECT_EQ(Member(*plain, "ExpressionAttributeNames"), "<absent>");

  auto exists = TranslateWrite(
      Parsed("EXISTS(SELECT * FROM Music WHERE Artist = 'a' AND SongTitle = 'b' AND n = 1)"),
      MusicKeys());
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->op, EngineRequest::Op::kConditionCheck);
  EXPECT_EQ(Member(*exists, "ConditionExpression"), "attribute_exists(#n0) AND (#n1 = :v0)");
}

TEST(PartiqlTranslate, WritesNeedTheWholeKey) {
  const std::string kMessage =
      "Where clause does not contain a mandatory equality on all key attributes";
  for (const char* text : {
           "UPDATE Music SET a = 1 WHERE Artist = 'a'",
           "DELETE FROM Music WHERE Artist = 'a' OR SongTitle = 'b'",
           "DELETE FROM Music WHERE Artist = 'a' AND SongTitle > 'b'",
       }) {
    auto r = TranslateWrite(Parsed(text), MusicKeys());
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().message, kMessage);
  }
  auto get = TranslateGet(Parsed("SELECT * FROM Music WHERE Artist = 'a'"), MusicKeys());
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().message, kMessage);
}

TEST(PartiqlTranslate, UnsupportedConstructs) {
  for (const char* text : {
           "SELECT * FROM Music WHERE a",
           "SELECT * FROM Music WHERE a + 1 = 2",
           "SELECT * FROM Music WHERE nosuchfunction(a)",
       }) {
    auto r = TranslateSelect(Parsed(text), MusicKeys());
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  }
}

TEST(PartiqlTarget, TableAndKind) {
  auto t = TargetOf("SELECT * FROM \"Music\" WHERE Artist = ?");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->table, "Music");
  EXPECT_TRUE(t->read_only);
  t = TargetOf("INSERT INTO Music VALUE ?");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->read_only);
  t = TargetOf("EXISTS(SELECT * FROM x WHERE a = 1)");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->read_only);
  EXPECT_FALSE(TargetOf("DROP TABLE Music"));
}

}  // namespace
}  // namespace ddb::partiql
