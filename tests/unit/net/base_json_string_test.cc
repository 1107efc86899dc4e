// base::AppendJsonString writes what RapidJSON's Writer writes, for every
// byte value alone and inside text, and for empty and long strings.
#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "base/json_string.h"

namespace {

std::string WriterText(const std::string& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Appended(const std::string& s) {
  std::string out = "x";  // appends, keeping what is there
  base::AppendJsonString(out, s);
  EXPECT_EQ(out[0], 'x');
  return out.substr(1);
}

TEST(AppendJsonString, EveryByteAsRapidJsonWritesIt) {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(Appended(one), WriterText(one)) << "byte " << c;
    const std::string inside = "ab" + one + "cd" + one + one;
    EXPECT_EQ(Appended(inside), WriterText(inside)) << "byte " << c;
  }
}

TEST(AppendJsonString, TextOfEveryLength) {
  EXPECT_EQ(Appended(""), "\"\"");
  EXPECT_EQ(Appended("say \"hi\"\\ \n\t caf\xc3\xa9"), "\"say \\\"hi\\\"\\\\ \\n\\t caf\xc3\xa9\"");
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text.push_back(static_cast<char>(i % 7 == 3 ? '"' : (i % 11 == 5 ? 1 : 'a' + i % 26)));
    ASSERT_EQ(Appended(text), WriterText(text)) << text.size();
  }
}

}  // namespace
