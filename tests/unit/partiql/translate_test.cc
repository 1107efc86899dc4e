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
