// base/base64.h: standard base64 with padding (DynamoDB's B values) and
// unpadded base64url (JWTs, cursors), both strictly decoded.
#include <gtest/gtest.h>

#include <string>

#include "base/base64.h"

namespace base {
namespace {

TEST(Base64, RoundTripAllLengthsAndBytes) {
  std::string data;
  for (int i = 0; i < 300; ++i) {
    std::string enc = Base64Encode(data);
    EXPECT_EQ(enc.size() % 4, 0u);
    std::string dec;
    ASSERT_EQ(Base64Decode(enc, &dec), Base64Problem::kNone) << enc;
    EXPECT_EQ(dec, data);
    data.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
  }
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("\xFB\xFF"), "+/8=");
}

TEST(Base64, RejectsMalformedAndSaysWhy) {
  std::string out;
  for (const char* bad : {"A", "AB", "ABC", "ABCDE", "Zm9v\n"}) {
    EXPECT_EQ(Base64Decode(bad, &out), Base64Problem::kLength) << bad;
  }
  for (const char* bad :
       {"A===", "====", "AB=C", "=ABC", "ABC-", "AB_D", "ZmB=", "Zh==", "ab!d", " Zm9"}) {
    EXPECT_EQ(Base64Decode(bad, &out), Base64Problem::kData) << bad;
  }
  EXPECT_EQ(Base64Decode("", &out), Base64Problem::kNone);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(Base64Decode("Zg==", &out), Base64Problem::kNone);
  EXPECT_EQ(out, "f");
  EXPECT_EQ(Base64Decode("Zm8=", &out), Base64Problem::kNone);
  EXPECT_EQ(out, "fo");
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 70; ++i) {
    auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.has_value()) << i;
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37 + 250);
  }
}

TEST(Base64Url, UsesUrlSafeAlphabetWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(*Base64UrlDecode("eyJhbGciOiJSUzI1NiJ9"), R"({"alg":"RS256"})");
  EXPECT_EQ(*Base64UrlDecode("YQ"), "a");
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("abc=").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm+v").has_value());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm/v").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9 v").has_value());  // whitespace
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());      // 4k+1 length
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());     // non-zero leftover bits
  EXPECT_FALSE(Base64UrlDecode("ab").has_value());
  EXPECT_FALSE(Base64UrlDecode(std::string_view("Zm\0v", 4)).has_value());
  EXPECT_TRUE(Base64UrlDecode("").has_value());
}

}  // namespace
}  // namespace base
