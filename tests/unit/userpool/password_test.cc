// Password storage and policy: salted scrypt hashes that verify only their
// own password, carry their cost, and never match when malformed; and
// Cognito's default policy with its exact messages.
#include <gtest/gtest.h>

#include <set>

#include "cruddur/userpool/password_hash.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

TEST(PasswordHash, VerifiesItsPasswordOnly) {
  auto h = HashPassword("Cruddur1!", 10);
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_TRUE(h->starts_with("$scrypt$ln=10,r=8,p=1$")) << *h;
  EXPECT_TRUE(VerifyPassword("Cruddur1!", *h));
  EXPECT_FALSE(VerifyPassword("Cruddur1?", *h));
  EXPECT_FALSE(VerifyPassword("", *h));
  EXPECT_FALSE(VerifyPassword("cruddur1!", *h));
}

TEST(PasswordHash, SaltsDiffer) {
  auto a = HashPassword("same password", 10);
  auto b = HashPassword("same password", 10);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword("same password", *a));
  EXPECT_TRUE(VerifyPassword("same password", *b));
}

TEST(PasswordHash, CostTravelsWithTheHash) {
  auto cheap = HashPassword("pw", 4);
  ASSERT_TRUE(cheap.ok());
  EXPECT_TRUE(cheap->starts_with("$scrypt$ln=4,"));
  EXPECT_TRUE(VerifyPassword("pw", *cheap));
}

TEST(PasswordHash, CostOutOfRangeIsRefused) {
  EXPECT_FALSE(HashPassword("pw", 0).ok());
  EXPECT_FALSE(HashPassword("pw", kMaxScryptLog2N + 1).ok());
}

TEST(PasswordHash, MalformedHashesNeverMatch) {
  auto h = HashPassword("pw", 4);
  ASSERT_TRUE(h.ok());
  const std::string good = *h;
  const std::string rest = good.substr(good.find('$', 8) + 1);  // "<salt>$<key>"
  for (std::string bad :
       {std::string(), std::string("pw"), std::string("$scrypt$"),
        std::string("$scrypt$ln=4,r=8,p=1$$"), std::string("$bcrypt$ln=4,r=8,p=1$AAAA$AAAA"),
        std::string("$scrypt$ln=40,r=8,p=1$") + rest, std::string("$scrypt$ln=4,r=8$") + rest,
        std::string("$scrypt$ln=4,r=8,p=1,x=2$") + rest, good.substr(0, good.size() - 2),
        good + "A", good + "$"}) {
    EXPECT_FALSE(VerifyPassword("pw", bad)) << bad;
  }
  // Flip one character of the key.
  std::string flipped = good;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyPassword("pw", flipped));
}

TEST(PasswordPolicy, CognitoDefaultPolicyMessages) {
  EXPECT_TRUE(CheckPasswordPolicy("Cruddur1!").ok());
  EXPECT_TRUE(CheckPasswordPolicy("aB3 xxxxxx").ok());  // space counts as a symbol
  const std::pair<const char*, const char*> cases[] = {
      {"Ab1!", "Password not long enough"},
      {"abcdefg1!", "Password must have uppercase characters"},
      {"ABCDEFG1!", "Password must have lowercase characters"},
      {"Abcdefgh!", "Password must have numeric characters"},
      {"Abcdefgh1", "Password must have symbol characters"},
  };
  for (const auto& [password, rule] : cases) {
    auto st = CheckPasswordPolicy(password);
    ASSERT_FALSE(st.ok()) << password;
    EXPECT_EQ(st.error().code, kInvalidPassword);
    EXPECT_EQ(st.error().message, std::string("Password did not conform with policy: ") + rule);
  }
}

TEST(PasswordPolicy, LengthCountsCharactersNotBytes) {
  // 7 characters, 10 bytes.
  auto st = CheckPasswordPolicy("Aé1!éxé");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "Password did not conform with policy: Password not long enough");
}

TEST(Secrets, CodesTokensAndTemporaryPasswords) {
  std::set<std::string> codes;
  for (int i = 0; i < 50; ++i) {
    auto code = RandomDigits(6);
    ASSERT_TRUE(code.ok());
    ASSERT_EQ(code->size(), 6u);
    for (char c : *code) EXPECT_TRUE(c >= '0' && c <= '9');
    codes.insert(*code);
  }
  EXPECT_GT(codes.size(), 40u);
  auto token = RandomToken(32);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 43u);  // 256 bits, base64url without padding
  for (int i = 0; i < 20; ++i) {
    auto pw = RandomTemporaryPassword();
    ASSERT_TRUE(pw.ok());
    EXPECT_TRUE(CheckPasswordPolicy(*pw).ok()) << *pw;
  }
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace cruddur::userpool
