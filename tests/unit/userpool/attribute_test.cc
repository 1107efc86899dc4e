// A signed-in user's own attributes: UpdateUserAttributes (a changed e-mail
// is unverified and gets a code), GetUserAttributeVerificationCode and
// VerifyUserAttribute (the code's expiry and attempt limit), and the handle
// rule every preferred_username change passes, as SignUp does (the pre
// sign-up hook), AdminUpdateUserAttributes and NEW_PASSWORD_REQUIRED
// included.
#include <gtest/gtest.h>

#include <cctype>

#include "cruddur/users/users_directory.h"
#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

class AttributeTest : public PoolTest {
 protected:
  Reply Update(const std::string& access_token, const std::string& attrs) {
    return Call("UpdateUserAttributes",
                J({{"AccessToken", S(access_token)}, {"UserAttributes", attrs}}));
  }

  Reply SendCode(const std::string& access_token, const std::string& name = "email") {
    return Call("GetUserAttributeVerificationCode",
                J({{"AccessToken", S(access_token)}, {"AttributeName", S(name)}}));
  }

  Reply Verify(const std::string& access_token, const std::string& code,
               const std::string& name = "email") {
    return Call(
        "VerifyUserAttribute",
        J({{"AccessToken", S(access_token)}, {"AttributeName", S(name)}, {"Code", S(code)}}));
  }

  std::string Attr(const std::string& access_token, std::string_view name) {
    auto r = WithToken("GetUser", access_token);
    EXPECT_TRUE(r.ok()) << r.body;
    return r.ok() ? AttrOf(r["UserAttributes"], name) : "";
  }
};

TEST_F(AttributeTest, UpdateWritesAndAnswersEmptyWhenNothingNeedsVerifying) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  auto r = Update(t.access_token, Attrs({{"name", "Andrew B."}, {"website", "https://x.co"}}));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(Attr(t.access_token, "name"), "Andrew B.");
  EXPECT_EQ(Attr(t.access_token, "website"), "https://x.co");
  EXPECT_EQ(Attr(t.access_token, "preferred_username"), "andrewbrown");  // untouched
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
  // The same e-mail in another case is no change: no code, still verified.
  codes_.clear();
  r = Update(t.access_token, Attrs({{"email", "Andrew@ExamPro.co"}}));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");
  EXPECT_TRUE(codes_.empty());
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
}

TEST_F(AttributeTest, ANewEmailIsUnverifiedUntilItsCodeComesBack) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  auto r = Update(t.access_token, Attrs({{"email", "drew@example.org"}}));
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_TRUE(r.Has("CodeDeliveryDetailsList")) << r.body;
  const auto& list = r["CodeDeliveryDetailsList"];
  ASSERT_EQ(list.Size(), 1u);
  EXPECT_STREQ(list[0]["Destination"].GetString(), "d***@e***");
  EXPECT_STREQ(list[0]["DeliveryMedium"].GetString(), "EMAIL");
  EXPECT_STREQ(list[0]["AttributeName"].GetString(), "email");
  const std::string code = CodeFor("drew@example.org");
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(Attr(t.access_token, "email"), "drew@example.org");
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "false");
  // The new address signs in; the old one is nobody's.
  EXPECT_TRUE(PasswordAuth("drew@example.org", kPassword).ok());
  EXPECT_EQ(PasswordAuth("andrew@exampro.co", kPassword).Message(),
            "Incorrect username or password.");
  // An unverified address gets no reset code.
  EXPECT_EQ(
      Call("ForgotPassword", J({{"ClientId", S(kClient)}, {"Username", S("drew@example.org")}}))
          .Type(),
      "InvalidParameterException");

  auto wrong = Verify(t.access_token, code == "000000" ? "111111" : "000000");
  EXPECT_EQ(wrong.Type(), "CodeMismatchException");
  EXPECT_EQ(wrong.Message(), "Invalid verification code provided, please try again.");
  auto ok = Verify(t.access_token, code);
  ASSERT_TRUE(ok.ok()) << ok.body;
  EXPECT_EQ(ok.body, "{}");
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
  // Spent.
  EXPECT_EQ(Verify(t.access_token, code).Type(), "CodeMismatchException");
  EXPECT_EQ(
      Call("ForgotPassword", J({{"ClientId", S(kClient)}, {"Username", S("drew@example.org")}}))
          .status,
      200u);
}

TEST_F(AttributeTest, UpdateRefusesWhatAUserMayNotWrite) {
  custom_attributes_ = {"tier"};
  pool_ = Open("");
  Register("andrew@exampro.co");
  Register("bayko@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  struct Case {
    std::string attrs, type, message;
  };
  const Case cases[] = {
      {Attrs({{"sub", "00000000-0000-4000-8000-000000000000"}}), "InvalidParameterException",
       "Cannot modify the non-mutable attribute sub"},
      {Attrs({{"email_verified", "true"}}), "InvalidParameterException",
       "Cannot modify the non-mutable attribute email_verified"},
      {Attrs({{"phone_number_verified", "true"}}), "InvalidParameterException",
       "Cannot modify the non-mutable attribute phone_number_verified"},
      {Attrs({{"favourite_colour", "blue"}}), "InvalidParameterException",
       "Attributes did not conform to the schema: favourite_colour: Attribute does not exist in "
       "the schema."},
      {Attrs({{"custom:team", "x"}}), "InvalidParameterException",
       "Attributes did not conform to the schema: Type for attribute {custom:team} could not be "
       "determined"},
      {Attrs({{"name", std::string(2049, 'n')}}), "InvalidParameterException",
       "1 validation error detected: Value at 'userAttributes.1.member.value' failed to satisfy "
       "constraint: Member must have length less than or equal to 2048"},
      {Attrs({{"email", "not-an-email"}}), "InvalidParameterException",
       "Invalid email address format."},
      {Attrs({{"email", "Bayko@ExamPro.co"}}), "AliasExistsException",
       "An account with the given email already exists."},
      // One bad attribute refuses them all.
      {Attrs({{"name", "Changed"}, {"sub", "x"}}), "InvalidParameterException",
       "Cannot modify the non-mutable attribute sub"},
  };
  for (const Case& c : cases) {
    auto r = Update(t.access_token, c.attrs);
    EXPECT_EQ(r.Type(), c.type) << c.attrs << " -> " << r.body;
    EXPECT_EQ(r.Message(), c.message) << c.attrs;
  }
  EXPECT_EQ(Attr(t.access_token, "name"), "Andrew Brown");
  EXPECT_EQ(Attr(t.access_token, "email"), "andrew@exampro.co");
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
  // A declared custom attribute is fine.
  auto r = Update(t.access_token, Attrs({{"custom:tier", "gold"}}));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(Attr(t.access_token, "custom:tier"), "gold");
  // The request itself.
  r = Call("UpdateUserAttributes", J({{"AccessToken", S(t.access_token)}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value null at 'userAttributes' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(AttributeTest, TheTokenMustBeValidAndLive) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  EXPECT_EQ(Update("garbage", Attrs({{"name", "x"}})).Message(), "Invalid Access Token");
  EXPECT_EQ(SendCode("garbage").Message(), "Invalid Access Token");
  EXPECT_EQ(Verify("garbage", "123456").Message(), "Invalid Access Token");
  ASSERT_TRUE(WithToken("GlobalSignOut", t.access_token).ok());
  for (const Reply& r : {Update(t.access_token, Attrs({{"name", "x"}})), SendCode(t.access_token),
                         Verify(t.access_token, "123456")}) {
    EXPECT_EQ(r.Type(), "NotAuthorizedException") << r.body;
    EXPECT_EQ(r.Message(), "Access Token has been revoked");
  }
  Advance(std::chrono::hours(2));
  auto fresh = SignIn("andrew@exampro.co");
  Advance(std::chrono::hours(2));
  EXPECT_EQ(SendCode(fresh.access_token).Message(), "Access Token has expired");
}

TEST_F(AttributeTest, AVerificationCodeOnRequest) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  codes_.clear();
  auto r = SendCode(t.access_token);
  ASSERT_TRUE(r.ok()) << r.body;
  const auto& d = r["CodeDeliveryDetails"];
  EXPECT_STREQ(d["Destination"].GetString(), "a***@e***");
  EXPECT_STREQ(d["DeliveryMedium"].GetString(), "EMAIL");
  EXPECT_STREQ(d["AttributeName"].GetString(), "email");
  const std::string code = CodeFor("andrew@exampro.co");
  ASSERT_EQ(code.size(), 6u);
  auto ok = Verify(t.access_token, code);
  EXPECT_TRUE(ok.ok()) << ok.body;
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
  // Nothing else is verified here.
  for (const char* name : {"phone_number", "name", "email_verified", "nosuch"}) {
    EXPECT_EQ(SendCode(t.access_token, name).Type(), "InvalidParameterException") << name;
    EXPECT_EQ(Verify(t.access_token, code, name).Type(), "InvalidParameterException") << name;
  }
  r = Call("VerifyUserAttribute", J({{"AccessToken", S(t.access_token)}}));
  EXPECT_EQ(r.Message(),
            "2 validation errors detected: Value null at 'attributeName' failed to satisfy "
            "constraint: Member must not be null; Value null at 'code' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(AttributeTest, CodesExpireAndDieAfterFiveWrongGuesses) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  // No code yet: nothing matches.
  EXPECT_EQ(Verify(t.access_token, "123456").Type(), "CodeMismatchException");

  ASSERT_TRUE(SendCode(t.access_token).ok());
  std::string code = CodeFor("andrew@exampro.co");
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Verify(t.access_token, wrong).Type(), "CodeMismatchException") << i;
  }
  auto r = Verify(t.access_token, code);
  EXPECT_EQ(r.Type(), "LimitExceededException");
  EXPECT_EQ(r.Message(), "Attempt limit exceeded, please try after some time.");

  // A new code starts over; it lasts 24 hours.
  ASSERT_TRUE(SendCode(t.access_token).ok());
  code = CodeFor("andrew@exampro.co");
  Advance(std::chrono::hours(24));
  auto fresh = SignIn("andrew@exampro.co");
  r = Verify(fresh.access_token, code);
  EXPECT_EQ(r.Type(), "ExpiredCodeException");
  EXPECT_EQ(r.Message(), "Invalid code provided, please request a code again.");
}

TEST_F(AttributeTest, ACodeForAnOldAddressDiesWithIt) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  ASSERT_TRUE(SendCode(t.access_token).ok());
  const std::string old_code = CodeFor("andrew@exampro.co");
  auto r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
                 {{"UserAttributes", Attrs({{"email", "drew@example.org"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_TRUE(CodeFor("drew@example.org").empty());  // an administrator's change sends none
  EXPECT_EQ(Verify(t.access_token, old_code).Type(), "CodeMismatchException");
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "false");
  // Nor does a sign-up code verify an e-mail.
  Register("bayko@exampro.co");
  auto b = SignIn("bayko@exampro.co");
  ASSERT_TRUE(Update(b.access_token, Attrs({{"email", "bayko@example.org"}})).ok());
  EXPECT_EQ(Verify(b.access_token, CodeFor("bayko@exampro.co")).Type(), "CodeMismatchException");
  EXPECT_TRUE(Verify(b.access_token, CodeFor("bayko@example.org")).ok());
}

TEST_F(AttributeTest, APendingCodeSurvivesARestart) {
  TempDir dir;
  pool_ = Open(dir.path());
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  ASSERT_TRUE(Update(t.access_token, Attrs({{"email", "drew@example.org"}})).ok());
  pool_.reset();
  pool_ = Open(dir.path());
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "false");
  EXPECT_TRUE(Verify(t.access_token, CodeFor("drew@example.org")).ok());
  EXPECT_EQ(Attr(t.access_token, "email_verified"), "true");
}

// The pre sign-up hook refuses the handle "taken" in any case.
class HandleRuleTest : public AttributeTest {
 protected:
  void SetUp() override {
    UserPoolOptions o;
    o.pool_id = kPool;
    o.client_id = kClient;
    o.scrypt_log2_n = 10;
    o.deliver_code = [this](const PoolUser& u, std::string_view code) {
      std::lock_guard lock(mu_);
      codes_[u.Attribute("email")] = std::string(code);
    };
    o.pre_sign_up = [this](const PoolUser& u) -> base::Status {
      std::lock_guard lock(mu_);
      asked_.push_back(u);
      std::string handle = u.Attribute("preferred_username");
      for (char& c : handle) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (handle == "taken") {
        return base::Error{users::kUserAlreadyExists,
                           "Handle " + u.Attribute("preferred_username") + " is already taken"};
      }
      return base::Status::Ok();
    };
    auto pool = UserPool::Open(std::move(o));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
  }

  std::vector<PoolUser> asked_;
};

TEST_F(HandleRuleTest, UpdateUserAttributesAsksTheHookForANewHandle) {
  const std::string sub = Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  asked_.clear();
  for (const char* handle : {"taken", "TAKEN"}) {
    auto r = Update(t.access_token, Attrs({{"name", "N"}, {"preferred_username", handle}}));
    EXPECT_EQ(r.Type(), "UserLambdaValidationException") << r.body;
    EXPECT_EQ(r.Message(),
              std::string("PreSignUp failed with error Handle ") + handle + " is already taken.");
  }
  EXPECT_EQ(Attr(t.access_token, "preferred_username"), "andrewbrown");
  EXPECT_EQ(Attr(t.access_token, "name"), "Andrew Brown");  // nothing written

  auto r = Update(t.access_token, Attrs({{"preferred_username", "drew"}, {"name", "Drew"}}));
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(Attr(t.access_token, "preferred_username"), "drew");
  ASSERT_EQ(asked_.size(), 3u);
  // The hook sees the user as the writes leave them.
  EXPECT_EQ(asked_[2].sub, sub);
  EXPECT_EQ(asked_[2].status, "CONFIRMED");
  EXPECT_EQ(asked_[2].Attribute("preferred_username"), "drew");
  EXPECT_EQ(asked_[2].Attribute("name"), "Drew");
  EXPECT_EQ(asked_[2].Attribute("email"), "andrew@exampro.co");

  // Not asked: the same handle in another case, other attributes.
  for (const char* attrs : {"[{\"Name\":\"preferred_username\",\"Value\":\"DREW\"}]",
                            "[{\"Name\":\"name\",\"Value\":\"D\"}]"}) {
    auto same = Update(t.access_token, attrs);
    EXPECT_TRUE(same.ok()) << same.body;
  }
  EXPECT_EQ(asked_.size(), 3u);
  EXPECT_EQ(Attr(t.access_token, "preferred_username"), "DREW");
}

TEST_F(HandleRuleTest, AdminUpdateUserAttributesAsksItToo) {
  Register("andrew@exampro.co");
  asked_.clear();
  auto r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
                 {{"UserAttributes", Attrs({{"preferred_username", "Taken"}})}});
  EXPECT_EQ(r.Type(), "UserLambdaValidationException") << r.body;
  EXPECT_EQ(r.Message(), "PreSignUp failed with error Handle Taken is already taken.");
  auto got = Admin("AdminGetUser", "andrew@exampro.co");
  EXPECT_EQ(AttrOf(got["UserAttributes"], "preferred_username"), "andrewbrown");
  r = Admin("AdminUpdateUserAttributes", "andrew@exampro.co",
            {{"UserAttributes", Attrs({{"preferred_username", "drew"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(asked_.size(), 2u);
  got = Admin("AdminGetUser", "andrew@exampro.co");
  EXPECT_EQ(AttrOf(got["UserAttributes"], "preferred_username"), "drew");
  // An unknown user is unknown before any hook.
  r = Admin("AdminUpdateUserAttributes", "nobody@exampro.co",
            {{"UserAttributes", Attrs({{"preferred_username", "taken"}})}});
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(asked_.size(), 2u);
}

TEST_F(HandleRuleTest, ANewPasswordAnswerSettingAHandleAsksItToo) {
  auto created = Admin("AdminCreateUser", "invited@exampro.co",
                       {{"UserAttributes", Attrs({{"preferred_username", "invited"}})},
                        {"TemporaryPassword", S("Temp-pass1!")},
                        {"MessageAction", S("SUPPRESS")}});
  ASSERT_TRUE(created.ok()) << created.body;
  auto challenge = PasswordAuth("invited@exampro.co", "Temp-pass1!");
  ASSERT_EQ(challenge.Str("ChallengeName"), "NEW_PASSWORD_REQUIRED") << challenge.body;
  auto answer = [&](const char* handle) {
    return Call("RespondToAuthChallenge",
                J({{"ClientId", S(kClient)},
                   {"ChallengeName", S("NEW_PASSWORD_REQUIRED")},
                   {"Session", S(challenge.Str("Session"))},
                   {"ChallengeResponses", J({{"USERNAME", S("invited@exampro.co")},
                                             {"NEW_PASSWORD", S(kPassword)},
                                             {"userAttributes.preferred_username", S(handle)}})}}));
  };
  auto r = answer("taken");
  EXPECT_EQ(r.Type(), "UserLambdaValidationException") << r.body;
  EXPECT_EQ(Admin("AdminGetUser", "invited@exampro.co").Str("UserStatus"), "FORCE_CHANGE_PASSWORD");
  r = answer("newcomer");
  ASSERT_TRUE(r.ok()) << r.body;
  auto got = Admin("AdminGetUser", "invited@exampro.co");
  EXPECT_EQ(AttrOf(got["UserAttributes"], "preferred_username"), "newcomer");
}

}  // namespace
}  // namespace cruddur::userpool::testing
