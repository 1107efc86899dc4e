// Tag text: DynamoDB's tag character classes and UTF-16 lengths (tag_text.h,
// unicode_lzn.h).
#include "ddb/engine/tag_text.h"

#include <gtest/gtest.h>

#include "ddb/engine/unicode_lzn.h"

namespace ddb::ops {
namespace {

TEST(TagTextTest, RangeTableIsSortedAndDisjoint) { EXPECT_TRUE(LznRangesSorted()); }

TEST(TagTextTest, LetterSeparatorNumberClasses) {
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'a'));
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'7'));
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U' '));       // Zs
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'\u00A0'));  // no-break space, Zs
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'\u2028'));  // line separator, Zl
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'Ѯ'));
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'中'));
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'½'));           // No
  EXPECT_TRUE(IsLetterSeparatorOrNumber(U'\U00010400'));  // Deseret capital, Lu
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'\t'));         // Cc
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'\n'));
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'!'));
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'\U0001F600'));  // emoji, So
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'\u0301'));      // combining accent, Mn
  EXPECT_FALSE(IsLetterSeparatorOrNumber(U'\u200B'));      // zero width space, Cf
  EXPECT_FALSE(IsLetterSeparatorOrNumber(0x110000));
}

TEST(TagTextTest, AllowedCharacters) {
  EXPECT_TRUE(ScanTagText("k_.:/=+-@ 7").allowed);
  EXPECT_TRUE(ScanTagText("законные буквы").allowed);
  EXPECT_TRUE(ScanTagText("").allowed);
  EXPECT_FALSE(ScanTagText("smile\xF0\x9F\x98\x80").allowed);
  EXPECT_FALSE(ScanTagText("tab\there").allowed);
  EXPECT_FALSE(ScanTagText("a!").allowed);
  EXPECT_FALSE(ScanTagText("a#b").allowed);
  EXPECT_FALSE(ScanTagText("bad\xC3").allowed);       // truncated sequence
  EXPECT_FALSE(ScanTagText("\xC0\xAF").allowed);      // overlong '/'
  EXPECT_FALSE(ScanTagText("\xED\xA0\x80").allowed);  // a surrogate
}

TEST(TagTextTest, LengthInUtf16Units) {
  EXPECT_EQ(ScanTagText("abc").utf16_length, 3u);
  EXPECT_EQ(ScanTagText("é").utf16_length, 1u);
  EXPECT_EQ(ScanTagText("中").utf16_length, 1u);
  EXPECT_EQ(ScanTagText("\xF0\x90\x90\x80").utf16_length, 2u);  // U+10400: a surrogate pair
}

}  // namespace
}  // namespace ddb::ops
