// Base64url as JWTs use it: unpadded, URL-safe, strictly decoded.
#include "cruddur/auth/base64url.h"

#include <gtest/gtest.h>

namespace cruddur::auth {
namespace {

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
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(*Base64UrlDecode("eyJhbGciOiJSUzI1NiJ9"), R"({"alg":"RS256"})");
}

TEST(Base64Url, RejectsBadInput) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value());  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm+v").has_value());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm/v").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9 v").has_value());  // whitespace
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());      // 4k+1 length
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());     // non-zero leftover bits
  EXPECT_FALSE(Base64UrlDecode(std::string_view("Zm\0v", 4)).has_value());
  EXPECT_TRUE(Base64UrlDecode("").has_value());
}

}  // namespace
}  // namespace cruddur::auth
