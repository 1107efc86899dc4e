// base/ascii.h: ASCII-only case folding for protocol tokens.
#include <gtest/gtest.h>

#include "base/ascii.h"

namespace base {
namespace {

TEST(Ascii, FoldsOnlyAsciiLetters) {
  EXPECT_EQ(AsciiToLower('A'), 'a');
  EXPECT_EQ(AsciiToLower('Z'), 'z');
  EXPECT_EQ(AsciiToLower('a'), 'a');
  EXPECT_EQ(AsciiToLower('@'), '@');  // just before 'A'
  EXPECT_EQ(AsciiToLower('['), '[');  // just after 'Z'
  EXPECT_EQ(AsciiToLower('\xC3'), '\xC3');
  EXPECT_EQ(AsciiLowercase("Content-Type: Application/JSON"), "content-type: application/json");
  EXPECT_EQ(AsciiLowercase("\xC3\x89T\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // ÉTé: only T folds
  EXPECT_EQ(AsciiLowercase(""), "");
}

TEST(Ascii, EqualsIgnoreCase) {
  EXPECT_TRUE(AsciiEqualsIgnoreCase("gzip", "GZip"));
  EXPECT_TRUE(AsciiEqualsIgnoreCase("", ""));
  EXPECT_TRUE(AsciiEqualsIgnoreCase("Bearer", "bEARER"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("gzip", "gzip "));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("gzip", "gzjp"));
  EXPECT_FALSE(AsciiEqualsIgnoreCase("\xC3\x89", "\xC3\xA9"));  // É vs é: not ASCII
  EXPECT_FALSE(AsciiEqualsIgnoreCase("@", "`"));                // 'A'-1 and 'a'-1 stay apart
  static_assert(AsciiEqualsIgnoreCase("Host", "host"));
}

}  // namespace
}  // namespace base
