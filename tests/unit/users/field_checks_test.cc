// The input checks and identifiers every backend relies on.
#include "cruddur/users/field_checks.h"

#include <gtest/gtest.h>

#include <set>

#include "backends.h"
#include "cruddur/users/ids.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xc3\xbc"));          // U+00FC
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac"));      // U+20AC
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x9a\x80"));  // U+1F680
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\x80"));          // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // U+D800 surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("a\xc3("));  // bad continuation
}

TEST(CheckField, NamesTheFieldAndTheProblem) {
  EXPECT_TRUE(CheckField("handle", "bayko").ok());
  auto st = CheckField("handle", "");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, kInvalidUserInput);
  EXPECT_EQ(st.error().message, "handle must not be empty");
  EXPECT_EQ(CheckField("email", "a\tb").error().message, "email contains a control character");
  EXPECT_EQ(CheckField("email", "a\x7f").error().message, "email contains a control character");
  EXPECT_TRUE(CheckField("email", std::string(kMaxFieldBytes, 'x')).ok());
  EXPECT_FALSE(CheckField("email", std::string(kMaxFieldBytes + 1, 'x')).ok());
}

TEST(NormalizeUuid, LowercasesValidUuidsAndRejectsTheRest) {
  auto r = NormalizeUuid("5F101DB6-E718-4F12-9DF8-1A953569F43D");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "5f101db6-e718-4f12-9df8-1a953569f43d");
  for (const char* bad :
       {"", "5f101db6e7184f129df81a953569f43d", "5f101db6-e718-4f12-9df8-1a953569f43",
        "5f101db6-e718-4f12-9df8-1a953569f43dd", "5f101db6_e718-4f12-9df8-1a953569f43d",
        "5f101db6-e718-4f12-9df8-1a953569f43g"}) {
    auto b = NormalizeUuid(bad);
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.error().code, kInvalidUserInput);
  }
}

TEST(Ids, NewUuidsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u = NewUuidV4();
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(testing::Matches(*u, testing::kUuidShape)) << *u;
    EXPECT_EQ((*u)[14], '4') << *u;                                               // version
    EXPECT_NE(std::string_view("89ab").find((*u)[19]), std::string::npos) << *u;  // variant
    seen.insert(*u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Ids, TimestampsAreFixedWidthUtcWithMicroseconds) {
  std::string a = NowUtcTimestamp();
  std::string b = NowUtcTimestamp();
  EXPECT_TRUE(testing::Matches(a, testing::kTimestampShape)) << a;
  EXPECT_EQ(a.size(), 32u);
  EXPECT_LE(a, b);  // fixed width: text order is time order
}

}  // namespace
}  // namespace cruddur::users
