// base::ParseBoundedJson: the std::string form, which reads plain ASCII as a
// NUL-terminated string without UTF-8 validation, must end every parse
// exactly as the length-bounded form does: same error, offset, depth and
// surrogate verdicts, same document.
#include "base/bounded_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr unsigned kFlags = rapidjson::kParseDefaultFlags | rapidjson::kParseValidateEncodingFlag;

std::string Serialized(const rapidjson::Document& doc) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  doc.Accept(writer);
  return out.GetString();
}

TEST(BoundedJsonTest, PlainAsciiIsOneToOneHundredTwentySeven) {
  EXPECT_TRUE(base::IsPlainAscii(""));
  EXPECT_TRUE(base::IsPlainAscii("{\"a\":1}\x01\x7f"));
  EXPECT_FALSE(base::IsPlainAscii(std::string_view("a\0b", 3)));
  EXPECT_FALSE(base::IsPlainAscii("caf\xc3\xa9"));
  EXPECT_FALSE(base::IsPlainAscii("\x80"));
  // The bad byte at every place of a text of several 64-byte blocks and a tail.
  const std::string clean(200, 'x');
  for (size_t i = 0; i < clean.size(); ++i) {
    for (char bad : {'\0', '\x80', '\xff'}) {
      std::string text = clean;
      text[i] = bad;
      EXPECT_FALSE(base::IsPlainAscii(text)) << "at " << i;
    }
  }
  EXPECT_TRUE(base::IsPlainAscii(clean));
}

TEST(BoundedJsonTest, TheStringFormEndsEveryParseAsTheBoundedForm) {
  const std::vector<std::string> inputs = {
      R"({"TableName":"t","Item":{"pk":{"S":"a b\tc"},"n":{"N":"1.50"}}})",
      R"(  {"a" : [1, 2.5, -3e2, true, false, null, "x\"y\\z\/\u0041"]}  )",
      "",
      "   ",
      "{",
      R"({"a":})",
      R"({"a":1,})",
      R"({"a":"unterminated)",
      "{\"a\":\"raw\x01control\"}",
      R"({"a":"\q"})",
      R"({"a":"\ud800"})",   // a lone high surrogate
      R"({"a":"\udc00x"})",  // a lone low surrogate
      R"({"a":"\ud83d\ude00"})",
      R"({"a":1} trailing)",
      R"([[[[[[[[[[1]]]]]]]]]])",
      R"([[[[[[[[[1]]]]]]]]])",
      "caf\xc3\xa9",                        // not ASCII: the bounded form's path
      "{\"a\":\"\xff\"}",                   // invalid UTF-8
      std::string("{\"a\":\"x\0y\"}", 11),  // a NUL inside
      std::string(5000, ' ') + R"({"long":")" + std::string(3000, 'v') + R"("})",
  };
  for (const std::string& text : inputs) {
    for (unsigned depth : {3u, 80u}) {
      rapidjson::Document a, b;
      const base::JsonParseOutcome view =
          base::ParseBoundedJson<kFlags>(&a, std::string_view(text), depth);
      const base::JsonParseOutcome str = base::ParseBoundedJson<kFlags>(&b, text, depth);
      SCOPED_TRACE(text.substr(0, 60) + " depth " + std::to_string(depth));
      EXPECT_EQ(str.error, view.error);
      EXPECT_EQ(str.offset, view.offset);
      EXPECT_EQ(str.too_deep, view.too_deep);
      EXPECT_EQ(str.lone_surrogate, view.lone_surrogate);
      EXPECT_EQ(Serialized(b), Serialized(a));
    }
  }
}

TEST(BoundedJsonTest, TheStringFormStillRefusesWhatTheBoundedFormRefuses) {
  rapidjson::Document doc;
  EXPECT_TRUE(base::ParseBoundedJson<kFlags>(&doc, std::string(R"([[[1]]])"), 2).too_deep);
  EXPECT_TRUE(doc.IsNull());
  EXPECT_TRUE(
      base::ParseBoundedJson<kFlags>(&doc, std::string(R"({"a":"\udc00"})"), 8).lone_surrogate);
  EXPECT_EQ(base::ParseBoundedJson<kFlags>(&doc, std::string("{\"a\":\"\xc3\"}"), 8).error,
            rapidjson::kParseErrorStringInvalidEncoding);
  EXPECT_TRUE(base::ParseBoundedJson<kFlags>(&doc, std::string(R"({"a":[1,"b"]})"), 8).ok());
  EXPECT_EQ(doc["a"][1].GetString(), std::string("b"));
}

}  // namespace
