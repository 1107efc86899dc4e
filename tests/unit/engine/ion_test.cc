// The Ion text codec of ION exports and imports: engine/ion_writer.h (what
// an export writes for every attribute type, numbers as DynamoDB's guide
// shows them) and engine/ion_reader.h (round trips, the Ion text it
// accepts, what it refuses as a bad record and how it carries on, its depth
// and size bounds).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "ddb/engine/ion_reader.h"
#include "ddb/engine/ion_writer.h"
#include "ddb/model/json_codec.h"

namespace ddb {
namespace {

std::string Ion(const AttributeValue& v) {
  std::string s;
  ion::AppendValue(v, &s);
  return s;
}

std::string Decimal(std::string_view canonical) {
  std::string s;
  ion::AppendDecimal(canonical, &s);
  return s;
}

AttributeValue N(std::string n) { return AttributeValue::N(std::move(n)); }

// An item with every attribute type and awkward names and values.
Item EveryType() {
  Item m;
  m["k"] = AttributeValue::S("v");
  m["n"] = N("-2.5");
  Item item;
  item["pk"] = AttributeValue::S("a");
  item["s"] = AttributeValue::S("é \"q\" \\ \n\t\x01 😀");
  item["empty"] = AttributeValue::S("");
  item["n"] = N("123");
  item["n2"] = N("600");
  item["n3"] = N("-0.001");
  item["n4"] = N("1.5");
  item["n5"] = N("0");
  item["n6"] = N("0.0000000000000000000000000000000000000000000000000000000001");
  item["n7"] = N("99999999999999999999999999999999999999");
  item["b"] = AttributeValue::B(std::string("\x00\x01\xff", 3));
  item["eb"] = AttributeValue::B("");
  item["ss"] = AttributeValue::SS({"x", "y"});
  item["ns"] = AttributeValue::NS({"1", "2.5"});
  item["bs"] = AttributeValue::BS({std::string("\x01", 1), std::string("\x02", 1)});
  item["m"] = AttributeValue::M(m);
  item["l"] = AttributeValue::L({AttributeValue::S("x"), N("3"), AttributeValue::Null(),
                                 AttributeValue::L({}), AttributeValue::M({})});
  item["nul"] = AttributeValue::Null();
  item["t"] = AttributeValue::Bool(true);
  item["f"] = AttributeValue::Bool(false);
  item["a b"] = AttributeValue::S("spaced");
  item["null"] = AttributeValue::S("keyword name");
  item["$10"] = AttributeValue::S("symbol-id-like name");
  item["it's"] = AttributeValue::S("quote");
  item["$dollar_ok"] = AttributeValue::S("identifier");
  return item;
}

// Every record of `text`: its item (as JSON) or "BAD: <why>".
std::vector<std::string> ReadAll(std::string_view text, ion::ReaderLimits limits = {}) {
  ion::StringSource src(text);
  ion::RecordReader reader(src, limits);
  std::vector<std::string> out;
  Item item;
  Status problem;
  while (reader.Next(&item, &problem)) {
    out.push_back(problem.ok() ? ItemToJson(item) : "BAD: " + problem.error().message);
    if (out.size() > 1000) break;
  }
  return out;
}

std::string ItemJson(std::string_view text) {
  auto all = ReadAll(text);
  return all.size() == 1 ? all[0] : "records: " + std::to_string(all.size());
}

TEST(IonWriter, MapsEveryTypeAsTheGuideShows) {
  EXPECT_EQ(Ion(AttributeValue::S("a\"b\\c\n")), R"("a\"b\\c\n")");
  EXPECT_EQ(Ion(AttributeValue::B("hi")), "{{aGk=}}");
  EXPECT_EQ(Ion(AttributeValue::Bool(false)), "false");
  EXPECT_EQ(Ion(AttributeValue::Null()), "null");
  EXPECT_EQ(Ion(AttributeValue::SS({"Author1", "Author2"})),
            R"($dynamodb_SS::["Author1","Author2"])");
  EXPECT_EQ(Ion(AttributeValue::NS({"1", "2.5"})), "$dynamodb_NS::[1.,2.5]");
  EXPECT_EQ(Ion(AttributeValue::BS({"\x01"})), "$dynamodb_BS::[{{AQ==}}]");
  EXPECT_EQ(Ion(AttributeValue::L({N("1"), AttributeValue::S("a")})), R"([1.,"a"])");
  Item m;
  m["k"] = AttributeValue::S("v");
  m["a b"] = N("7");
  m["true"] = N("1");
  EXPECT_EQ(Ion(AttributeValue::M(m)), R"({'a b':7.,k:"v",'true':1.})");
  EXPECT_EQ(Ion(AttributeValue::S("\x01\x7f")), R"("\x01\x7f")");
}

TEST(IonWriter, NumbersAreDecimalsWrittenAsTheGuideWritesThem) {
  // The guide's example: Id 103 -> 103., PageCount 600 -> 6d2, Price 2000 -> 2d3.
  EXPECT_EQ(Decimal("103"), "103.");
  EXPECT_EQ(Decimal("600"), "6d2");
  EXPECT_EQ(Decimal("2000"), "2d3");
  EXPECT_EQ(Decimal("0"), "0.");
  EXPECT_EQ(Decimal("1.5"), "1.5");
  EXPECT_EQ(Decimal("-1.25"), "-1.25");
  EXPECT_EQ(Decimal("0.001"), "0.001");
  EXPECT_EQ(Decimal("-0.000001"), "-0.000001");
  EXPECT_EQ(Decimal("0.0000001"), "1d-7");
  EXPECT_EQ(Decimal("0.000000123"), "1.23d-7");
  EXPECT_EQ(Decimal("12.5"), "12.5");
  EXPECT_EQ(Decimal("-99000"), "-99d3");
}

TEST(IonCodec, EveryTypeRoundTrips) {
  const Item item = EveryType();
  std::string line(ion::kVersionMarker);
  line += " {Item:";
  ion::AppendStruct(item, &line);
  line += "}\n";
  ion::StringSource src(line);
  ion::RecordReader reader(src);
  Item back;
  Status problem;
  ASSERT_TRUE(reader.Next(&back, &problem));
  ASSERT_TRUE(problem.ok()) << problem.error().message << "\n" << line;
  EXPECT_EQ(ItemToJson(back), ItemToJson(item));
  EXPECT_FALSE(reader.Next(&back, &problem));
  // Every attribute alone, too.
  for (const auto& [name, value] : item) {
    Item one{{name, value}};
    std::string text = "$ion_1_0 {Item:";
    ion::AppendStruct(one, &text);
    text += "}";
    EXPECT_EQ(ItemJson(text), ItemToJson(one)) << text;
  }
}

TEST(IonReader, ReadsTheGuidesMultiLineExample) {
  const std::string text = R"($ion_1_0 {
    Item:{
        Authors:$dynamodb_SS::["Author1","Author2"],
        Dimensions:"8.5 x 11.0 x 1.5",
        ISBN:"333-3333333333",
        Id:103.,
        InPublication:false,
        PageCount:6d2,
        Price:2d3,
        ProductCategory:"Book",
        Title:"Book 103 Title"
    }
}
)";
  EXPECT_EQ(ItemJson(text),
            R"({"Authors":{"SS":["Author1","Author2"]},"Dimensions":{"S":"8.5 x 11.0 x 1.5"},)"
            R"("ISBN":{"S":"333-3333333333"},"Id":{"N":"103"},"InPublication":{"BOOL":false},)"
            R"("PageCount":{"N":"600"},"Price":{"N":"2000"},"ProductCategory":{"S":"Book"},)"
            R"("Title":{"S":"Book 103 Title"}})");
}

TEST(IonReader, AcceptsReasonableIonText) {
  // Comments, quoted and string field names, no version marker, trailing
  // commas, numbers in every notation.
  EXPECT_EQ(ItemJson(R"(// a comment
    /* another */ { 'Item' : { "a b" : 1_000 , 'c': 0x1F, d: -0b101, e: 1.5e3, f: 1.50D-2,
      g: 0d0, h: -0., i: 12., j: null.null, k: [ 1, 2, ], } , })"),
            R"({"a b":{"N":"1000"},"c":{"N":"31"},"d":{"N":"-5"},"e":{"N":"1500"},)"
            R"("f":{"N":"0.015"},"g":{"N":"0"},"h":{"N":"0"},"i":{"N":"12"},)"
            R"("j":{"NULL":true},"k":{"L":[{"N":"1"},{"N":"2"}]}})");
  // Strings: escapes, surrogate pairs, long strings concatenated.
  EXPECT_EQ(
      ItemJson(R"({Item:{s:"\x41\u00e9\U0001F600\ud83d\ude00\0\a\/\?\'", l:'''ab''' /*c*/ '''cd
ef''', m:'''x\
y'''}})"),
      std::string(R"({"l":{"S":"abcd\nef"},"m":{"S":"xy"},"s":{"S":"Aé😀😀\u0000\u0007/?'"}})"));
  // Several records on a line, markers between them, a record over lines,
  // other members next to Item ignored.
  auto all = ReadAll(
      "$ion_1_0 {Item:{a:1}} {Item:{a:2}}$ion_1_0\n{Other:\"x\",\nItem:{a:3}}\n\n$ion_1_0\n");
  EXPECT_EQ(all, (std::vector<std::string>{R"({"a":{"N":"1"}})", R"({"a":{"N":"2"}})",
                                           R"({"a":{"N":"3"}})"}));
  // Quoted annotations and blobs with whitespace.
  EXPECT_EQ(ItemJson("{Item:{s:'$dynamodb_BS' :: [ {{ AQ == }}, {{Ag==}} ]}}"),
            R"({"s":{"BS":["AQ==","Ag=="]}})");
}

TEST(IonReader, RefusesWhatHasNoDynamoDbMeaningAndCarriesOn) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{Item:{a:sym}}", "symbol values"},
      {"{Item:{a:null.string}}", "typed nulls"},
      {"{Item:{a:nan}}", "nan"},
      {"{Item:{a:+inf}}", "infinities"},
      {"{Item:{a:ann::\"x\"}}", "annotations"},
      {"{Item:{a:x::[1]}}", "annotated"},
      {"{Item:{a:$dynamodb_SS::[1]}}", "another type"},
      {"{Item:{a:$dynamodb_NS::[\"1\"]}}", "another type"},
      {"{Item:{a:$dynamodb_SS::[[\"x\"]]}}", "container"},
      {"{Item:{a:$dynamodb_SS::[]}}", "may not be empty"},
      {"{Item:{a:$dynamodb_SS::[\"x\",\"x\"]}}", "duplicates"},
      {"{Item:{a:1,a:2}}", "appears twice"},
      {"{Item:{$10:1}}", "symbol ids"},
      {"$ion_1_1", "Ion 1.0"},
      {"{NotItem:{a:1}}", "no Item"},
      {"{Item:[1]}", "not a struct"},
      {"[1]", "not an Ion struct"},
      {"x::{Item:{a:1}}", "annotations on a struct"},
      {"{Item:{a:1234567890123456789012345678901234567890}}", "38 significant digits"},
      {"{Item:{a:1d200}}", "Number overflow"},
      {"{Item:{a:0x" + std::string(500, 'f') + "}}", "Number overflow"},
  };
  for (const auto& [text, why] : cases) {
    auto all = ReadAll(text + "\n{Item:{ok:1}}\n");
    ASSERT_EQ(all.size(), 2u) << text;
    EXPECT_EQ(all[0].rfind("BAD: ", 0), 0u) << text << " -> " << all[0];
    EXPECT_NE(all[0].find(why), std::string::npos) << text << " -> " << all[0];
    EXPECT_EQ(all[1], R"({"ok":{"N":"1"}})") << text;
  }
}

TEST(IonReader, SyntaxErrorsSkipToTheNextLine) {
  const std::vector<std::string> bad = {
      "{Item:{a:2007-01-01T}}",       // a timestamp
      "{Item:{a:{{\"clob\"}}}}",      // a clob
      "{Item:{a:(1 2)}}",             // an s-expression
      "{Item:{a:\"unterminated}}",    // a string
      "{Item:{a:\"\xff\"}}",          // not UTF-8
      "{Item:{a:\"\xed\xa0\x80\"}}",  // a surrogate in UTF-8
      "{Item:{a:\"\\ud800\"}}",       // a lone surrogate
      "{Item:{a:\"\\q\"}}",           // an unknown escape
      "{Item:{a:007}}",               // a leading zero
      "{Item:{a:1__0}}",              // underscores
      "{Item:{a:{{AQ=}}}}",           // base64 length
      "{Item:{a:1 b:2}}",             // no comma
      "{Item:{a 1}}",                 // no colon
      "{Item:{a::1}}",                // annotation where a colon belongs
      "{Item:{a:1}",                  // not closed
      "{Item:{a:1}}}",                // closed twice (the extra '}' is the bad record)
      "{Item:{a:\"x\ny\"}}",          // a newline in a short string
  };
  for (const std::string& text : bad) {
    auto all = ReadAll(text + "\n{Item:{ok:1}}\n");
    ASSERT_FALSE(all.empty()) << text;
    EXPECT_EQ(all.back(), R"({"ok":{"N":"1"}})") << text;
    bool any_bad = false;
    for (const auto& r : all) any_bad |= r.rfind("BAD: ", 0) == 0;
    EXPECT_TRUE(any_bad) << text;
  }
}

TEST(IonReader, AnUnclosedCommentEndsTheText) {
  EXPECT_EQ(ReadAll("{Item:{ok:1}}\n/* not closed\n{Item:{ok:2}}\n"),
            (std::vector<std::string>{R"({"ok":{"N":"1"}})", "BAD: a comment is not closed"}));
}

TEST(IonReader, DepthAndSizeAreBounded) {
  // Nested within the limit but deeper than an item may: DynamoDB's message.
  std::string deep = "{Item:{a:";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}}";
  EXPECT_NE(ItemJson(deep).find("Nesting Levels have exceeded supported limits"),
            std::string::npos);
  // Past the reader's own bound: refused while reading, without recursion,
  // even a million levels deep; the next line is read.
  ion::ReaderLimits limits;
  limits.max_depth = 80;
  std::string deeper = "{Item:{a:" + std::string(1'000'000, '[') + "\n{Item:{ok:1}}\n";
  auto all = ReadAll(deeper, limits);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[0].find("nests deeper"), std::string::npos) << all[0];
  EXPECT_EQ(all[1], R"({"ok":{"N":"1"}})");
  // 80 levels exactly are read (and the item is then too deep for DynamoDB).
  std::string at_limit = "{Item:{a:" + std::string(78, '[') + std::string(78, ']') + "}}";
  EXPECT_NE(ItemJson(at_limit).find("Nesting Levels"), std::string::npos);
  // A record over the size limit, then a good one.
  limits.max_record_bytes = 100;
  all = ReadAll("{Item:{a:\"" + std::string(200, 'x') + "\"}}\n{Item:{ok:1}}\n", limits);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_NE(all[0].find("longer than 100 bytes"), std::string::npos) << all[0];
  EXPECT_EQ(all[1], R"({"ok":{"N":"1"}})");
  // Whitespace between records counts toward none.
  all = ReadAll(std::string(1000, ' ') + "{Item:{ok:1}}" + std::string(1000, '\n'), limits);
  EXPECT_EQ(all, (std::vector<std::string>{R"({"ok":{"N":"1"}})"}));
}

TEST(IonReader, EmptyAndMarkerOnlyTextsHaveNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("$ion_1_0\n$ion_1_0 // nothing\n").empty());
}

}  // namespace
}  // namespace ddb
