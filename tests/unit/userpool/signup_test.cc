// SignUp, ConfirmSignUp and AdminConfirmSignUp: e-mail usernames, the code
// delivered through deliver_code, on_confirmed, and Cognito's errors.
#include <gtest/gtest.h>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using SignUpTest = PoolTest;

TEST_F(SignUpTest, SignUpCreatesAnUnconfirmedUserAndDeliversACode) {
  auto r = SignUp("andrew@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_FALSE(r["UserConfirmed"].GetBool());
  const std::string sub = r.Str("UserSub");
  EXPECT_EQ(sub.size(), 36u);
  EXPECT_EQ(sub[14], '4');  // uuid v4
  const auto& d = r["CodeDeliveryDetails"];
  EXPECT_STREQ(d["Destination"].GetString(), "a***@e***");
  EXPECT_STREQ(d["DeliveryMedium"].GetString(), "EMAIL");
  EXPECT_STREQ(d["AttributeName"].GetString(), "email");

  const std::string code = CodeFor("andrew@exampro.co");
  EXPECT_EQ(code.size(), 6u);

  auto u = Admin("AdminGetUser", "andrew@exampro.co");
  ASSERT_TRUE(u.ok()) << u.body;
  EXPECT_EQ(u.Str("Username"), sub);  // the Username is the sub
  EXPECT_EQ(u.Str("UserStatus"), "UNCONFIRMED");
  EXPECT_TRUE(u["Enabled"].GetBool());
  EXPECT_DOUBLE_EQ(u["UserCreateDate"].GetDouble(), static_cast<double>(kStart));
  const auto& attrs = u["UserAttributes"];
  EXPECT_STREQ(attrs[0]["Name"].GetString(), "sub");
  EXPECT_EQ(AttrOf(attrs, "sub"), sub);
  EXPECT_EQ(AttrOf(attrs, "email"), "andrew@exampro.co");
  EXPECT_EQ(AttrOf(attrs, "name"), "Andrew Brown");
  EXPECT_EQ(AttrOf(attrs, "preferred_username"), "andrewbrown");
  EXPECT_TRUE(confirmed_.empty());
}

TEST_F(SignUpTest, ConfirmSignUpConfirmsAndVerifiesTheEmail) {
  const std::string sub = SignUp("andrew@exampro.co").Str("UserSub");
  auto r = Confirm("andrew@exampro.co", CodeFor("andrew@exampro.co"));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");
  auto u = Admin("AdminGetUser", sub);  // by Username this time
  EXPECT_EQ(u.Str("UserStatus"), "CONFIRMED");
  EXPECT_EQ(AttrOf(u["UserAttributes"], "email_verified"), "true");
  ASSERT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(confirmed_[0].sub, sub);
  EXPECT_EQ(confirmed_[0].username, sub);
  EXPECT_EQ(confirmed_[0].status, "CONFIRMED");
  EXPECT_EQ(confirmed_[0].Attribute("preferred_username"), "andrewbrown");
}

TEST_F(SignUpTest, ConfirmByUsernameAndCaseInsensitiveEmail) {
  const std::string sub = SignUp("Andrew@ExamPro.co").Str("UserSub");
  EXPECT_TRUE(Confirm(sub, CodeFor("Andrew@ExamPro.co")).ok());
  SignUp("bayko@exampro.co");
  EXPECT_TRUE(Confirm("BAYKO@exampro.co", CodeFor("bayko@exampro.co")).ok());
}

TEST_F(SignUpTest, SecondConfirmIsNotAuthorized) {
  Register("andrew@exampro.co");
  auto r = Confirm("andrew@exampro.co", CodeFor("andrew@exampro.co"));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "User cannot be confirmed. Current status is CONFIRMED");
  EXPECT_EQ(confirmed_.size(), 1u);
}

TEST_F(SignUpTest, WrongCodeUnknownUserAndExpiredCode) {
  SignUp("andrew@exampro.co");
  const std::string code = CodeFor("andrew@exampro.co");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto r = Confirm("andrew@exampro.co", wrong);
  EXPECT_EQ(r.Type(), "CodeMismatchException");
  EXPECT_EQ(r.Message(), "Invalid verification code provided, please try again.");
  r = Confirm("nobody@exampro.co", code);
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(r.Message(), "Username/client id combination not found.");
  // 24 hours later the right code has expired.
  Advance(std::chrono::hours(24));
  r = Confirm("andrew@exampro.co", code);
  EXPECT_EQ(r.Type(), "ExpiredCodeException");
  EXPECT_EQ(r.Message(), "Invalid code provided, please request a code again.");
  EXPECT_TRUE(confirmed_.empty());
}

TEST_F(SignUpTest, UsernameMustBeAnEmail) {
  for (const char* name : {"andrewbrown", "andrew@", "@exampro.co", "a@b", "a@@b.co"}) {
    auto r = SignUp(name);
    EXPECT_EQ(r.Type(), "InvalidParameterException") << name;
    EXPECT_EQ(r.Message(), "Username should be an email.") << name;
  }
}

TEST_F(SignUpTest, EmailsAreUnique) {
  Register("andrew@exampro.co");
  for (const char* email : {"andrew@exampro.co", "ANDREW@exampro.co"}) {
    auto r = SignUp(email);
    EXPECT_EQ(r.Type(), "UsernameExistsException") << email;
    EXPECT_EQ(r.Message(), "An account with the given email already exists.");
  }
  // Unconfirmed users hold their e-mail too.
  SignUp("bayko@exampro.co");
  EXPECT_EQ(SignUp("bayko@exampro.co").Type(), "UsernameExistsException");
}

TEST_F(SignUpTest, PasswordPolicy) {
  auto r = SignUp("andrew@exampro.co", "short1!");
  EXPECT_EQ(r.Type(), "InvalidPasswordException");
  EXPECT_EQ(r.Message(), "Password did not conform with policy: Password not long enough");
  r = SignUp("andrew@exampro.co", "nouppercase1!");
  EXPECT_EQ(r.Message(),
            "Password did not conform with policy: Password must have uppercase characters");
  // Nothing was created.
  EXPECT_EQ(Admin("AdminGetUser", "andrew@exampro.co").Type(), "UserNotFoundException");
}

TEST_F(SignUpTest, ClientMayNotWriteProtectedOrUnknownAttributes) {
  auto r = SignUp("a@exampro.co", kPassword, Attrs({{"sub", "x"}}));
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "A client attempted to write unauthorized attribute");
  r = SignUp("a@exampro.co", kPassword, Attrs({{"email_verified", "true"}}));
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  r = SignUp("a@exampro.co", kPassword, Attrs({{"favourite_colour", "blue"}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "Attributes did not conform to the schema: favourite_colour: Attribute does not "
            "exist in the schema.");
  // Custom attributes must be declared (the default pool declares none).
  r = SignUp("a@exampro.co", kPassword, Attrs({{"custom:colour", "blue"}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "Attributes did not conform to the schema: Type for attribute {custom:colour} could "
            "not be determined");
  custom_attributes_ = {"colour"};
  pool_ = Open("");
  r = SignUp("a@exampro.co", kPassword, Attrs({{"custom:colour", "blue"}}));
  EXPECT_TRUE(r.ok()) << r.body;
}

TEST_F(SignUpTest, WrongClientIsResourceNotFound) {
  auto r = Call("SignUp", J({{"ClientId", S("otherclient")},
                             {"Username", S("a@exampro.co")},
                             {"Password", S(kPassword)}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  EXPECT_EQ(r.Message(), "User pool client otherclient does not exist.");
  r = Call("ConfirmSignUp", J({{"ClientId", S("otherclient")},
                               {"Username", S("a@exampro.co")},
                               {"ConfirmationCode", S("123456")}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
}

TEST_F(SignUpTest, AdminConfirmSignUp) {
  const std::string sub = SignUp("andrew@exampro.co").Str("UserSub");
  auto r = Admin("AdminConfirmSignUp", "andrew@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(Admin("AdminGetUser", sub).Str("UserStatus"), "CONFIRMED");
  ASSERT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(confirmed_[0].sub, sub);
  // The code is spent.
  EXPECT_EQ(Confirm("andrew@exampro.co", CodeFor("andrew@exampro.co")).Type(),
            "NotAuthorizedException");
  r = Admin("AdminConfirmSignUp", sub);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "User cannot be confirmed. Current status is CONFIRMED");
  r = Admin("AdminConfirmSignUp", "nobody@exampro.co");
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(r.Message(), "User does not exist.");
  r = Call("AdminConfirmSignUp",
           J({{"UserPoolId", S("us-east-1_other")}, {"Username", S("andrew@exampro.co")}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  EXPECT_EQ(r.Message(), "User pool us-east-1_other does not exist.");
}

TEST_F(SignUpTest, UnconfirmedUserCannotSignIn) {
  SignUp("andrew@exampro.co");
  auto r = PasswordAuth("andrew@exampro.co", kPassword);
  EXPECT_EQ(r.Type(), "UserNotConfirmedException");
  EXPECT_EQ(r.Message(), "User is not confirmed.");
  // With a wrong password, the password is what is wrong.
  r = PasswordAuth("andrew@exampro.co", "Wrong1!xx");
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
}

}  // namespace
}  // namespace cruddur::userpool::testing
