// The pool's defences, as Cognito documents them: the lockout after failed
// sign-ins, the expiry and guess limit of codes, custom attributes that must
// be declared and value lengths, and the password operations ForgotPassword,
// ConfirmForgotPassword and ChangePassword with their errors.
#include <gtest/gtest.h>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

class SecurityTest : public PoolTest {
 protected:
  void ExpectError(const Reply& r, const std::string& type, const std::string& message) {
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.Type(), type) << r.body;
    EXPECT_EQ(r.Message(), message) << r.body;
  }

  Reply Forgot(const std::string& username) {
    return Call("ForgotPassword", J({{"ClientId", S(kClient)}, {"Username", S(username)}}));
  }

  Reply ConfirmForgot(const std::string& username, const std::string& code,
                      const std::string& password) {
    return Call("ConfirmForgotPassword", J({{"ClientId", S(kClient)},
                                            {"Username", S(username)},
                                            {"ConfirmationCode", S(code)},
                                            {"Password", S(password)}}));
  }

  Reply Change(const std::string& token, const std::string& previous, const std::string& proposed) {
    return Call("ChangePassword", J({{"AccessToken", S(token)},
                                     {"PreviousPassword", S(previous)},
                                     {"ProposedPassword", S(proposed)}}));
  }

  // A code that is not `code` (same length).
  static std::string Wrong(const std::string& code) {
    std::string w = code;
    w[0] = w[0] == '9' ? '0' : static_cast<char>(w[0] + 1);
    return w;
  }
};

// ---- lockout ----------------------------------------------------------------

TEST_F(SecurityTest, FiveFailuresLockForOneSecondThenDoubling) {
  Register("andrew@exampro.co");
  for (int i = 0; i < 4; ++i) {
    ExpectError(PasswordAuth("andrew@exampro.co", "Wrong-pass1"), "NotAuthorizedException",
                "Incorrect username or password.");
  }
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());  // 4 failures: no lockout
  for (int i = 0; i < 5; ++i) {
    ExpectError(PasswordAuth("andrew@exampro.co", "Wrong-pass1"), "NotAuthorizedException",
                "Incorrect username or password.");
  }
  // Locked for 1 s: even the right password fails, and is not counted.
  ExpectError(PasswordAuth("andrew@exampro.co", kPassword), "NotAuthorizedException",
              "Password attempts exceeded");
  ExpectError(PasswordAuth("andrew@exampro.co", "Wrong-pass1"), "NotAuthorizedException",
              "Password attempts exceeded");
  Advance(std::chrono::seconds(1));
  // The 6th counted failure: 2 s.
  ExpectError(PasswordAuth("andrew@exampro.co", "Wrong-pass1"), "NotAuthorizedException",
              "Incorrect username or password.");
  Advance(std::chrono::seconds(1));
  ExpectError(PasswordAuth("andrew@exampro.co", kPassword), "NotAuthorizedException",
              "Password attempts exceeded");
  Advance(std::chrono::seconds(1));
  ASSERT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
  // The success reset the count: 4 more failures do not lock.
  for (int i = 0; i < 4; ++i) PasswordAuth("andrew@exampro.co", "Wrong-pass1");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
}

TEST_F(SecurityTest, LockoutIsCappedAtAboutFifteenMinutesAndPersists) {
  TempDir dir;
  pool_ = Open(dir.path());
  Register("andrew@exampro.co");
  // Each failure after its predecessor's lockout, so that all 15 count.
  for (int n = 1; n <= 15; ++n) {
    ExpectError(PasswordAuth("andrew@exampro.co", "Wrong-pass1"), "NotAuthorizedException",
                "Incorrect username or password.");
    if (n >= 5 && n < 15) Advance(std::chrono::seconds(int64_t{1} << (n - 5)));
  }
  // The 15th failure: 2^10 s, capped at 900 s. The count survives a restart.
  pool_ = Open(dir.path());
  Advance(std::chrono::seconds(899));
  ExpectError(PasswordAuth("andrew@exampro.co", kPassword), "NotAuthorizedException",
              "Password attempts exceeded");
  Advance(std::chrono::seconds(1));
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
}

TEST_F(SecurityTest, FifteenQuietMinutesForgetTheCount) {
  Register("andrew@exampro.co");
  for (int i = 0; i < 5; ++i) PasswordAuth("andrew@exampro.co", "Wrong-pass1");
  Advance(std::chrono::seconds(900));
  // Forgotten: this failure is the first again, not the 6th (no lockout).
  PasswordAuth("andrew@exampro.co", "Wrong-pass1");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
}

TEST_F(SecurityTest, PeriodsMustBePositive) {
  UserPoolOptions o;
  o.pool_id = kPool;
  o.client_id = kClient;
  o.lockout_unit = std::chrono::milliseconds(0);
  EXPECT_FALSE(UserPool::Open(o).ok());
  o.lockout_unit = std::chrono::milliseconds(1);
  o.code_validity = std::chrono::seconds(0);
  EXPECT_FALSE(UserPool::Open(o).ok());
}

// ---- codes --------------------------------------------------------------------

TEST_F(SecurityTest, SignUpCodeDiesAfterFiveWrongGuesses) {
  ASSERT_TRUE(SignUp("andrew@exampro.co").ok());
  const std::string code = CodeFor("andrew@exampro.co");
  for (int i = 0; i < 5; ++i) {
    ExpectError(Confirm("andrew@exampro.co", Wrong(code)), "CodeMismatchException",
                "Invalid verification code provided, please try again.");
  }
  ExpectError(Confirm("andrew@exampro.co", code), "LimitExceededException",
              "Attempt limit exceeded, please try after some time.");
  EXPECT_STREQ(Admin("AdminGetUser", "andrew@exampro.co")["UserStatus"].GetString(), "UNCONFIRMED");
  // A new code works.
  auto r = Call("ResendConfirmationCode",
                J({{"ClientId", S(kClient)}, {"Username", S("andrew@exampro.co")}}));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_STREQ(r["CodeDeliveryDetails"]["Destination"].GetString(), "a***@e***");
  EXPECT_NE(CodeFor("andrew@exampro.co"), code);
  EXPECT_TRUE(Confirm("andrew@exampro.co", CodeFor("andrew@exampro.co")).ok());
  r = Call("ResendConfirmationCode",
           J({{"ClientId", S(kClient)}, {"Username", S("andrew@exampro.co")}}));
  ExpectError(r, "InvalidParameterException", "User is already confirmed.");
}

TEST_F(SecurityTest, SignUpCodeExpiresAfter24Hours) {
  ASSERT_TRUE(SignUp("andrew@exampro.co").ok());
  Advance(std::chrono::hours(24));
  ExpectError(Confirm("andrew@exampro.co", CodeFor("andrew@exampro.co")), "ExpiredCodeException",
              "Invalid code provided, please request a code again.");
}

TEST_F(SecurityTest, CodeValidityIsAnOption) {
  UserPoolOptions o;
  o.pool_id = kPool;
  o.client_id = kClient;
  o.scrypt_log2_n = 10;
  o.code_validity = std::chrono::seconds(2);
  o.clock = [this] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(now_.load()));
  };
  std::string code;
  o.deliver_code = [&](const PoolUser&, std::string_view c) { code = std::string(c); };
  pool_ = std::move(UserPool::Open(o)).value();
  ASSERT_TRUE(SignUp("andrew@exampro.co").ok());
  Advance(std::chrono::seconds(2));
  ExpectError(Confirm("andrew@exampro.co", code), "ExpiredCodeException",
              "Invalid code provided, please request a code again.");
}

// ---- custom attributes and lengths ------------------------------------------------

TEST_F(SecurityTest, UndeclaredCustomAttributesAreRefusedEverywhere) {
  const std::string refused =
      "Attributes did not conform to the schema: Type for attribute {custom:colour} could not "
      "be determined";
  ExpectError(SignUp("a@exampro.co", kPassword, Attrs({{"custom:colour", "blue"}})),
              "InvalidParameterException", refused);
  Register("andrew@exampro.co");
  auto r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
                 {{"UserAttributes", Attrs({{"custom:colour", "blue"}})}});
  ExpectError(r, "InvalidParameterException", refused);
  r = Admin("AdminCreateUser", "b@exampro.co",
            {{"UserAttributes", Attrs({{"custom:colour", "blue"}})}});
  ExpectError(r, "InvalidParameterException", refused);
  EXPECT_EQ(Admin("AdminGetUser", "b@exampro.co").Type(), "UserNotFoundException");

  custom_attributes_ = {"colour", "team"};
  pool_ = Open("");
  Register("andrew@exampro.co");
  r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
            {{"UserAttributes", Attrs({{"custom:colour", "blue"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(AttrOf(Admin("AdminGetUser", "andrew@exampro.co")["UserAttributes"], "custom:colour"),
            "blue");
  r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
            {{"UserAttributes", Attrs({{"custom:shoe", "42"}})}});
  ExpectError(r, "InvalidParameterException",
              "Attributes did not conform to the schema: Type for attribute {custom:shoe} could "
              "not be determined");
}

TEST_F(SecurityTest, CustomAttributeDeclarationsAreChecked) {
  const std::vector<std::vector<std::string>> cases = {
      {"custom:colour"}, {""}, {"a b"}, {"abcdefghijklmnopqrstu"}, {"x", "x"}};
  for (const auto& bad : cases) {
    UserPoolOptions o;
    o.pool_id = kPool;
    o.client_id = kClient;
    o.custom_attributes = bad;
    auto pool = UserPool::Open(o);
    ASSERT_FALSE(pool.ok()) << bad[0];
    EXPECT_EQ(pool.error().Name(), "InvalidParameterException");
  }
  UserPoolOptions o;
  o.pool_id = kPool;
  o.client_id = kClient;
  for (int i = 0; i < 51; ++i) o.custom_attributes.push_back("a" + std::to_string(i));
  EXPECT_FALSE(UserPool::Open(o).ok());
  o.custom_attributes.pop_back();
  EXPECT_TRUE(UserPool::Open(o).ok());
}

TEST_F(SecurityTest, ValuesLongerThan2048CharactersAreRefused) {
  Register("andrew@exampro.co");
  // Through the API the model's length constraint answers first.
  auto r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
                 {{"UserAttributes", Attrs({{"name", std::string(2049, 'a')}})}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value at 'userAttributes.1.member.value' failed to "
            "satisfy constraint: Member must have length less than or equal to 2048");
  // 2048 characters (not bytes) are fine.
  std::string euros;
  for (int i = 0; i < 2048; ++i) euros += "\xE2\x82\xAC";
  r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
            {{"UserAttributes", Attrs({{"name", euros}})}});
  EXPECT_TRUE(r.ok()) << r.Message();
  // Seeding goes through the schema's own check.
  auto seeded = pool_->EnsureUser("b@exampro.co", kPassword, {{"name", std::string(2049, 'a')}});
  ASSERT_FALSE(seeded.ok());
  EXPECT_EQ(seeded.error().message,
            "Attributes did not conform to the schema: name: String must be no longer than 2048 "
            "characters");
}

// ---- ForgotPassword / ConfirmForgotPassword -----------------------------------------

TEST_F(SecurityTest, ForgotPasswordResetsThePassword) {
  const std::string sub = Register("andrew@exampro.co");
  auto r = Forgot("andrew@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_STREQ(r["CodeDeliveryDetails"]["Destination"].GetString(), "a***@e***");
  EXPECT_STREQ(r["CodeDeliveryDetails"]["DeliveryMedium"].GetString(), "EMAIL");
  EXPECT_STREQ(r["CodeDeliveryDetails"]["AttributeName"].GetString(), "email");
  const std::string code = CodeFor("andrew@exampro.co");
  ASSERT_EQ(code.size(), 6u);
  // The old password works until the reset is confirmed.
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
  ExpectError(ConfirmForgot("andrew@exampro.co", code, "weak"), "InvalidPasswordException",
              "Password did not conform with policy: Password not long enough");
  ASSERT_TRUE(ConfirmForgot("andrew@exampro.co", code, "Reset-pass1").ok());
  ExpectError(PasswordAuth("andrew@exampro.co", kPassword), "NotAuthorizedException",
              "Incorrect username or password.");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", "Reset-pass1").ok());
  // The code is spent.
  ExpectError(ConfirmForgot("andrew@exampro.co", code, "Again-pass1"), "CodeMismatchException",
              "Invalid verification code provided, please try again.");
}

TEST_F(SecurityTest, ResetCodeGuessLimitAndExpiry) {
  Register("andrew@exampro.co");
  ASSERT_TRUE(Forgot("andrew@exampro.co").ok());
  const std::string code = CodeFor("andrew@exampro.co");
  for (int i = 0; i < 5; ++i) {
    ExpectError(ConfirmForgot("andrew@exampro.co", Wrong(code), "Reset-pass1"),
                "CodeMismatchException", "Invalid verification code provided, please try again.");
  }
  ExpectError(ConfirmForgot("andrew@exampro.co", code, "Reset-pass1"), "LimitExceededException",
              "Attempt limit exceeded, please try after some time.");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());  // unchanged
  // A new code, then expiry.
  ASSERT_TRUE(Forgot("andrew@exampro.co").ok());
  Advance(std::chrono::hours(24));
  ExpectError(ConfirmForgot("andrew@exampro.co", CodeFor("andrew@exampro.co"), "Reset-pass1"),
              "ExpiredCodeException", "Invalid code provided, please request a code again.");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());
}

TEST_F(SecurityTest, ForgotPasswordErrors) {
  // Unknown users look as if a code had gone out (PreventUserExistenceErrors).
  auto r = Forgot("nobody@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_STREQ(r["CodeDeliveryDetails"]["Destination"].GetString(), "n***@e***");
  EXPECT_TRUE(CodeFor("nobody@exampro.co").empty());
  ExpectError(ConfirmForgot("nobody@exampro.co", "123456", "Reset-pass1"), "CodeMismatchException",
              "Invalid verification code provided, please try again.");
  // No code asked for.
  Register("andrew@exampro.co");
  ExpectError(ConfirmForgot("andrew@exampro.co", "123456", "Reset-pass1"), "CodeMismatchException",
              "Invalid verification code provided, please try again.");
  // Unconfirmed (no verified e-mail), invited, disabled.
  ASSERT_TRUE(SignUp("new@exampro.co").ok());
  ExpectError(Forgot("new@exampro.co"), "InvalidParameterException",
              "Cannot reset password for the user as there is no registered/verified email or "
              "phone_number");
  ASSERT_TRUE(Admin("AdminCreateUser", "inv@exampro.co", {{"MessageAction", S("SUPPRESS")}}).ok());
  ExpectError(Forgot("inv@exampro.co"), "NotAuthorizedException",
              "User password cannot be reset in the current state.");
  r = Call("ForgotPassword", J({{"ClientId", S("other")}, {"Username", S("andrew@exampro.co")}}));
  ExpectError(r, "ResourceNotFoundException", "User pool client other does not exist.");
}

// ---- ChangePassword ---------------------------------------------------------------

TEST_F(SecurityTest, ChangePassword) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  ExpectError(Change(tokens.access_token, "Wrong-pass1", "Changed-pass1"), "NotAuthorizedException",
              "Incorrect username or password.");
  ExpectError(Change(tokens.access_token, kPassword, "weak"), "InvalidPasswordException",
              "Password did not conform with policy: Password not long enough");
  ExpectError(Change("not-a-token", kPassword, "Changed-pass1"), "NotAuthorizedException",
              "Invalid Access Token");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", kPassword).ok());  // unchanged so far
  auto r = Change(tokens.access_token, kPassword, "Changed-pass1");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");
  ExpectError(PasswordAuth("andrew@exampro.co", kPassword), "NotAuthorizedException",
              "Incorrect username or password.");
  EXPECT_TRUE(PasswordAuth("andrew@exampro.co", "Changed-pass1").ok());
  // Missing members are the model's validation errors.
  r = Call("ChangePassword", J({{"AccessToken", S(tokens.access_token)}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "2 validation errors detected: Value null at 'previousPassword' failed to satisfy "
            "constraint: Member must not be null; Value null at 'proposedPassword' failed to "
            "satisfy constraint: Member must not be null");
}

TEST_F(SecurityTest, ChangePasswordGuessesAreLimited) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  for (int i = 0; i < 5; ++i) {
    ExpectError(Change(tokens.access_token, "Wrong-pass1", "Changed-pass1"),
                "NotAuthorizedException", "Incorrect username or password.");
  }
  ExpectError(Change(tokens.access_token, kPassword, "Changed-pass1"), "LimitExceededException",
              "Attempt limit exceeded, please try after some time.");
  Advance(std::chrono::seconds(1));
  EXPECT_TRUE(Change(tokens.access_token, kPassword, "Changed-pass1").ok());
}

}  // namespace
}  // namespace cruddur::userpool::testing
