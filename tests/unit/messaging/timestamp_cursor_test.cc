// Timestamps (one fixed format written, the reference's forms read) and
// pagination cursors (opaque, checked on the way in).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/base64.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/timestamp.h"

namespace cruddur::messaging {
namespace {

TEST(Timestamp, FormatIsFixedWidthUtcWithMicroseconds) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000000+00:00");
  auto t = ParseTimestamp("2026-11-24T00:23:27.123456+00:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatTimestamp(*t), "2026-11-24T00:23:27.123456+00:00");
  EXPECT_EQ(FormatTimestamp(*t + 1), "2026-11-24T00:23:27.123457+00:00");
  EXPECT_EQ(FormatTimestamp(*t).size(), kTimestampLength);
  EXPECT_EQ(FormatTimestamp(NowMicros()).size(), kTimestampLength);
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31T23:59:59.999999+00:00");
}

TEST(Timestamp, ReadsTheReferencesNaiveFormsAsUtc) {
  EXPECT_EQ(*NormalizeTimestamp("2023-03-20T22:30:15.123456"), "2023-03-20T22:30:15.123456+00:00");
  // isoformat() drops .ffffff when the microseconds are 0.
  EXPECT_EQ(*NormalizeTimestamp("2023-03-20T22:30:15"), "2023-03-20T22:30:15.000000+00:00");
  EXPECT_EQ(*NormalizeTimestamp("2023-03-20T22:30:15.5"), "2023-03-20T22:30:15.500000+00:00");
  EXPECT_EQ(*ParseTimestamp("2023-03-20T22:30:15"), *ParseTimestamp("2023-03-20T22:30:15+00:00"));
}

TEST(Timestamp, ConvertsOtherOffsetsToUtc) {
  EXPECT_EQ(*NormalizeTimestamp("2023-03-20T22:30:15Z"), "2023-03-20T22:30:15.000000+00:00");
  EXPECT_EQ(*NormalizeTimestamp("2023-03-21T04:00:15.000001+05:30"),
            "2023-03-20T22:30:15.000001+00:00");
  EXPECT_EQ(*NormalizeTimestamp("2023-03-20T20:30:15-02:00"), "2023-03-20T22:30:15.000000+00:00");
  EXPECT_EQ(*NormalizeTimestamp("2024-01-01T00:30:00+01:00"), "2023-12-31T23:30:00.000000+00:00");
}

TEST(Timestamp, LeapDaysAndRanges) {
  EXPECT_TRUE(ParseTimestamp("2024-02-29T12:00:00").ok());
  EXPECT_FALSE(ParseTimestamp("2023-02-29T12:00:00").ok());
  EXPECT_FALSE(ParseTimestamp("2023-13-01T12:00:00").ok());
  EXPECT_FALSE(ParseTimestamp("2023-01-01T24:00:00").ok());
  EXPECT_FALSE(ParseTimestamp("2023-01-01T23:60:00").ok());
}

TEST(Timestamp, RejectsOtherShapesWithAClearError) {
  for (const char* bad :
       {"", "2023", "2023-03-20", "2023-03-20 22:30:15", "2023-03-20T22:30", "20230320T223015",
        "2023-03-20T22:30:15.", "2023-03-20T22:30:15.1234567", "2023-03-20T22:30:15+0000",
        "2023-03-20T22:30:15+00:00x", "2023-03-20T22:30:15#abc", "x023-03-20T22:30:15"}) {
    auto r = ParseTimestamp(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, kInvalidTimestamp);
    EXPECT_NE(r.error().message.find("invalid timestamp"), std::string::npos);
  }
}

TEST(Timestamp, FixedFormSortsLexicallyInTimeOrder) {
  std::vector<std::string> texts = {"2023-03-20T22:30:15", "2023-03-20T22:30:15.000001",
                                    "2023-03-19T23:59:59.999999+00:00", "2023-03-20T22:30:14.9",
                                    "2022-12-31T23:59:59"};
  std::vector<std::string> fixed;
  for (auto& t : texts) fixed.push_back(*NormalizeTimestamp(t));
  std::vector<std::string> by_text = fixed;
  std::sort(by_text.begin(), by_text.end());
  std::vector<std::string> by_time = fixed;
  std::sort(by_time.begin(), by_time.end(), [](const std::string& a, const std::string& b) {
    return *ParseTimestamp(a) < *ParseTimestamp(b);
  });
  EXPECT_EQ(by_text, by_time);
}

TEST(Timestamp, DisplayDateTime) {
  EXPECT_EQ(DisplayDateTime("2023-03-20T22:30:15.123456"), "2023-03-20 22:30");
  EXPECT_EQ(DisplayDateTime("garbage"), "garbage");
}

rapidjson::Document Key(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

TEST(Cursor, RoundTrip) {
  auto key = Key(R"({"pk":{"S":"MSG#g1"},"sk":{"S":"2023-03-20T22:30:15.000000+00:00"}})");
  std::string c = EncodeCursor(key);
  EXPECT_EQ(c.find_first_of("+/="), std::string::npos);
  auto back = DecodeCursor(c, {"pk", "sk"}, "pk", "MSG#g1");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(*back == key);
}

TEST(Cursor, BadCursorsAreClearErrors) {
  auto other = EncodeCursor(Key(R"({"pk":{"S":"MSG#g2"},"sk":{"S":"x"}})"));
  auto extra = EncodeCursor(Key(R"({"pk":{"S":"MSG#g1"},"sk":{"S":"x"},"z":{"S":"y"}})"));
  auto number = EncodeCursor(Key(R"({"pk":{"S":"MSG#g1"},"sk":{"N":"1"}})"));
  auto missing = EncodeCursor(Key(R"({"pk":{"S":"MSG#g1"},"x":{"S":"1"}})"));
  auto array = base::Base64UrlEncode("[1,2]");
  auto notjson = base::Base64UrlEncode("{nope");
  for (const std::string& bad : {std::string(""), std::string("!!!"), std::string(5000, 'A'), other,
                                 extra, number, missing, array, notjson}) {
    auto r = DecodeCursor(bad, {"pk", "sk"}, "pk", "MSG#g1");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, kInvalidCursor);
    EXPECT_EQ(r.error().message.rfind("invalid cursor: ", 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace cruddur::messaging
