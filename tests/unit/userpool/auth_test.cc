// Signing in and out: InitiateAuth (password and refresh), the
// NEW_PASSWORD_REQUIRED challenge of invited users, and the access-token
// operations GetUser, DeleteUser and GlobalSignOut, revocation included.
#include <gtest/gtest.h>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using AuthTest = PoolTest;

TEST_F(AuthTest, PasswordSignInReturnsTokens) {
  Register("andrew@exampro.co");
  auto r = PasswordAuth("andrew@exampro.co", kPassword);
  ASSERT_TRUE(r.ok()) << r.body;
  const auto& a = r["AuthenticationResult"];
  EXPECT_EQ(a["ExpiresIn"].GetInt(), 3600);
  EXPECT_STREQ(a["TokenType"].GetString(), "Bearer");
  EXPECT_GT(a["AccessToken"].GetStringLength(), 100u);
  EXPECT_GT(a["IdToken"].GetStringLength(), 100u);
  EXPECT_GE(a["RefreshToken"].GetStringLength(), 43u);
  EXPECT_TRUE(r["ChallengeParameters"].IsObject());
  EXPECT_EQ(r["ChallengeParameters"].MemberCount(), 0u);
  EXPECT_FALSE(r.Has("ChallengeName"));
}

TEST_F(AuthTest, SignInByUsernameOrAnyCaseEmail) {
  const std::string sub = Register("andrew@exampro.co");
  EXPECT_TRUE(PasswordAuth(sub, kPassword).ok());
  EXPECT_TRUE(PasswordAuth("Andrew@ExamPro.CO", kPassword).ok());
}

TEST_F(AuthTest, WrongPasswordAndUnknownUserLookTheSame) {
  Register("andrew@exampro.co");
  auto wrong = PasswordAuth("andrew@exampro.co", "Cruddur2!");
  auto unknown = PasswordAuth("nobody@exampro.co", kPassword);
  for (const Reply* r : {&wrong, &unknown}) {
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(r->Type(), "NotAuthorizedException");
    EXPECT_EQ(r->Message(), "Incorrect username or password.");
  }
}

TEST_F(AuthTest, MissingAuthParametersAndUnsupportedFlows) {
  auto r = Call("InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
                                   {"ClientId", S(kClient)},
                                   {"AuthParameters", J({{"PASSWORD", S(kPassword)}})}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "Missing required parameter USERNAME");
  r = Call("InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")}, {"ClientId", S(kClient)}}));
  EXPECT_EQ(r.Message(), "Missing required parameter USERNAME");
  r = Call("InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
                              {"ClientId", S(kClient)},
                              {"AuthParameters", J({{"USERNAME", S("a@b.co")}})}}));
  EXPECT_EQ(r.Message(), "Missing required parameter PASSWORD");
  r = Call("InitiateAuth", J({{"AuthFlow", S("REFRESH_TOKEN_AUTH")}, {"ClientId", S(kClient)}}));
  EXPECT_EQ(r.Message(), "Missing required parameter REFRESH_TOKEN");
  for (const char* flow : {"ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"}) {
    r = Call("InitiateAuth", J({{"AuthFlow", S(flow)}, {"ClientId", S(kClient)}}));
    EXPECT_EQ(r.Type(), "InvalidParameterException") << flow;
    EXPECT_EQ(r.Message(), "Initiate Auth method not supported.") << flow;
  }
  r = Call("InitiateAuth", J({{"AuthFlow", S("CUSTOM_AUTH")}, {"ClientId", S(kClient)}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "CUSTOM_AUTH flow not enabled for this client");
  r = Call("InitiateAuth", J({{"AuthFlow", S("USER_SRP_AUTH")},
                              {"ClientId", S(kClient)},
                              {"AuthParameters", J({{"USERNAME", S("a@b.co")}})}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "Missing required parameter SRP_A");
  r = Call("InitiateAuth", J({{"AuthFlow", S("MAGIC")}, {"ClientId", S(kClient)}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value 'MAGIC' at 'authFlow' failed to satisfy "
            "constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, "
            "REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, "
            "ADMIN_USER_PASSWORD_AUTH]");
  r = Call("InitiateAuth", J({{"AuthFlow", S("USER_PASSWORD_AUTH")}, {"ClientId", S("nope")}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  EXPECT_EQ(r.Message(), "User pool client nope does not exist.");
}

TEST_F(AuthTest, RefreshIssuesNewAccessAndIdTokensOnly) {
  Register("andrew@exampro.co");
  auto first = SignIn("andrew@exampro.co");
  Advance(std::chrono::seconds(600));
  for (const char* flow : {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}) {
    auto r = Call("InitiateAuth",
                  J({{"AuthFlow", S(flow)},
                     {"ClientId", S(kClient)},
                     {"AuthParameters", J({{"REFRESH_TOKEN", S(first.refresh_token)}})}}));
    ASSERT_TRUE(r.ok()) << flow << ": " << r.body;
    const auto& a = r["AuthenticationResult"];
    EXPECT_FALSE(a.HasMember("RefreshToken"));
    EXPECT_STREQ(a["TokenType"].GetString(), "Bearer");
    EXPECT_EQ(a["ExpiresIn"].GetInt(), 3600);
    const std::string access = a["AccessToken"].GetString();
    EXPECT_NE(access, first.access_token);
    EXPECT_TRUE(WithToken("GetUser", access).ok());
  }
}

TEST_F(AuthTest, BadRefreshTokens) {
  Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto r = Refresh("not-a-refresh-token");
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Invalid Refresh Token");
  r = Refresh(tokens.access_token);  // an access token is no refresh token
  EXPECT_EQ(r.Message(), "Invalid Refresh Token");
  Advance(std::chrono::hours(24 * 30));
  r = Refresh(tokens.refresh_token);
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Refresh Token has expired");
}

TEST_F(AuthTest, GetUser) {
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto r = WithToken("GetUser", tokens.access_token);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("Username"), sub);
  EXPECT_EQ(AttrOf(r["UserAttributes"], "sub"), sub);
  EXPECT_EQ(AttrOf(r["UserAttributes"], "email"), "andrew@exampro.co");
  EXPECT_EQ(AttrOf(r["UserAttributes"], "email_verified"), "true");
  EXPECT_EQ(AttrOf(r["UserAttributes"], "name"), "Andrew Brown");
  r = Call("GetUser", "{}");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value null at 'accessToken' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(AuthTest, GlobalSignOutRevokesRefreshAndAccessTokens) {
  Register("andrew@exampro.co");
  auto phone = SignIn("andrew@exampro.co");
  auto laptop = SignIn("andrew@exampro.co");
  Register("bayko@exampro.co");
  auto other = SignIn("bayko@exampro.co");

  auto r = WithToken("GlobalSignOut", laptop.access_token);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");

  for (const SignedIn* s : {&phone, &laptop}) {
    for (const char* op : {"GetUser", "GlobalSignOut", "DeleteUser"}) {
      auto revoked = WithToken(op, s->access_token);
      EXPECT_EQ(revoked.Type(), "NotAuthorizedException") << op;
      EXPECT_EQ(revoked.Message(), "Access Token has been revoked") << op;
    }
    auto refresh = Refresh(s->refresh_token);
    EXPECT_EQ(refresh.Type(), "NotAuthorizedException");
    EXPECT_EQ(refresh.Message(), "Refresh Token has been revoked");
  }
  // Other users are untouched; the user can sign in again.
  EXPECT_TRUE(WithToken("GetUser", other.access_token).ok());
  EXPECT_TRUE(Refresh(other.refresh_token).ok());
  auto again = SignIn("andrew@exampro.co");
  EXPECT_TRUE(WithToken("GetUser", again.access_token).ok());
  EXPECT_TRUE(Refresh(again.refresh_token).ok());
  EXPECT_TRUE(deleted_.empty());
}

TEST_F(AuthTest, DeleteUser) {
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto r = WithToken("DeleteUser", tokens.access_token);
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_EQ(deleted_.size(), 1u);
  EXPECT_EQ(deleted_[0].sub, sub);
  EXPECT_EQ(deleted_[0].Attribute("email"), "andrew@exampro.co");
  EXPECT_EQ(Admin("AdminGetUser", sub).Type(), "UserNotFoundException");
  r = WithToken("GetUser", tokens.access_token);
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(r.Message(), "User does not exist.");
  EXPECT_EQ(Refresh(tokens.refresh_token).Message(), "Invalid Refresh Token");
  EXPECT_EQ(PasswordAuth("andrew@exampro.co", kPassword).Message(),
            "Incorrect username or password.");
  // The e-mail is free again.
  EXPECT_TRUE(SignUp("andrew@exampro.co").ok());
}

class ChallengeTest : public PoolTest {
 protected:
  // An invited user; returns the NEW_PASSWORD_REQUIRED reply.
  Reply Invite(const std::string& email, const std::string& temporary = "Temp1234!") {
    auto r = Admin("AdminCreateUser", email,
                   {{"TemporaryPassword", S(temporary)},
                    {"MessageAction", S("SUPPRESS")},
                    {"UserAttributes", Attrs({{"name", "Bayko"}, {"email_verified", "true"}})}});
    EXPECT_TRUE(r.ok()) << r.body;
    return PasswordAuth(email, temporary);
  }

  Reply Respond(const std::string& session, const std::string& responses,
                const std::string& challenge = "NEW_PASSWORD_REQUIRED") {
    return Call("RespondToAuthChallenge", J({{"ClientId", S(kClient)},
                                             {"ChallengeName", S(challenge)},
                                             {"Session", S(session)},
                                             {"ChallengeResponses", responses}}));
  }
};

TEST_F(ChallengeTest, InvitedUserSetsANewPassword) {
  auto r = Invite("bayko@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("ChallengeName"), "NEW_PASSWORD_REQUIRED");
  EXPECT_FALSE(r.Has("AuthenticationResult"));
  const std::string session = r.Str("Session");
  EXPECT_GE(session.size(), 20u);
  const auto& params = r["ChallengeParameters"];
  const std::string username = params["USER_ID_FOR_SRP"].GetString();
  EXPECT_STREQ(params["requiredAttributes"].GetString(), "[]");
  rapidjson::Document attrs;
  attrs.Parse(params["userAttributes"].GetString());
  ASSERT_TRUE(attrs.IsObject());
  EXPECT_STREQ(attrs["email"].GetString(), "bayko@exampro.co");
  EXPECT_STREQ(attrs["name"].GetString(), "Bayko");
  EXPECT_FALSE(attrs.HasMember("sub"));
  EXPECT_TRUE(confirmed_.empty());

  auto done = Respond(session, J({{"USERNAME", S("bayko@exampro.co")},
                                  {"NEW_PASSWORD", S("Brand1New!")},
                                  {"userAttributes.preferred_username", S("bayko")}}));
  ASSERT_TRUE(done.ok()) << done.body;
  EXPECT_TRUE(done["AuthenticationResult"].HasMember("RefreshToken"));
  ASSERT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(confirmed_[0].username, username);
  EXPECT_EQ(confirmed_[0].Attribute("preferred_username"), "bayko");

  auto u = Admin("AdminGetUser", "bayko@exampro.co");
  EXPECT_EQ(u.Str("UserStatus"), "CONFIRMED");
  EXPECT_EQ(PasswordAuth("bayko@exampro.co", "Temp1234!").Message(),
            "Incorrect username or password.");
  EXPECT_TRUE(PasswordAuth("bayko@exampro.co", "Brand1New!").ok());
  // The session is spent.
  auto again =
      Respond(session, J({{"USERNAME", S("bayko@exampro.co")}, {"NEW_PASSWORD", S("Another1!")}}));
  EXPECT_EQ(again.Type(), "NotAuthorizedException");
  EXPECT_EQ(again.Message(), "Invalid session for the user.");
}

TEST_F(ChallengeTest, ChallengeErrors) {
  const std::string session = Invite("bayko@exampro.co").Str("Session");
  auto r = Respond(session, J({{"NEW_PASSWORD", S("Brand1New!")}}));
  EXPECT_EQ(r.Message(), "Missing required parameter USERNAME");
  r = Respond(session, J({{"USERNAME", S("bayko@exampro.co")}}));
  EXPECT_EQ(r.Message(), "Missing required parameter NEW_PASSWORD");
  r = Respond(session, J({{"USERNAME", S("bayko@exampro.co")}, {"NEW_PASSWORD", S("weak")}}));
  EXPECT_EQ(r.Type(), "InvalidPasswordException");
  r = Respond(std::string(64, 'x'),
              J({{"USERNAME", S("bayko@exampro.co")}, {"NEW_PASSWORD", S("Brand1New!")}}));
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Invalid session for the user.");
  // Another user's name with this session.
  Register("andrew@exampro.co");
  r = Respond(session,
              J({{"USERNAME", S("andrew@exampro.co")}, {"NEW_PASSWORD", S("Brand1New!")}}));
  EXPECT_EQ(r.Message(), "Invalid session for the user.");
  r = Respond(session, J({{"USERNAME", S("bayko@exampro.co")}, {"NEW_PASSWORD", S("Brand1New!")}}),
              "SMS_MFA");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  // Sessions last three minutes.
  Advance(std::chrono::seconds(180));
  r = Respond(session, J({{"USERNAME", S("bayko@exampro.co")}, {"NEW_PASSWORD", S("Brand1New!")}}));
  EXPECT_EQ(r.Type(), "NotAuthorizedException");
  EXPECT_EQ(r.Message(), "Invalid session for the user, session is expired.");
  // Only andrew (Register) was ever confirmed; bayko still waits.
  EXPECT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(Admin("AdminGetUser", "bayko@exampro.co").Str("UserStatus"), "FORCE_CHANGE_PASSWORD");
}

TEST_F(ChallengeTest, WrongTemporaryPassword) {
  Invite("bayko@exampro.co");
  EXPECT_EQ(PasswordAuth("bayko@exampro.co", "Temp1234?").Message(),
            "Incorrect username or password.");
}

}  // namespace
}  // namespace cruddur::userpool::testing
