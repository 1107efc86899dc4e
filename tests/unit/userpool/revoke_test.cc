// RevokeToken (what aws-amplify v6's signOut calls): one session ends - its
// refresh token and every access token issued in it - and the user's other
// sessions go on.
#include <gtest/gtest.h>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

class RevokeTest : public PoolTest {
 protected:
  Reply Revoke(const std::string& token, const std::string& client = kClient) {
    return Call("RevokeToken", J({{"Token", S(token)}, {"ClientId", S(client)}}));
  }

  Reply GetTokens(const std::string& refresh_token) {
    return Call("GetTokensFromRefreshToken",
                J({{"RefreshToken", S(refresh_token)}, {"ClientId", S(kClient)}}));
  }

  static std::string AccessOf(const Reply& r) {
    return r["AuthenticationResult"]["AccessToken"].GetString();
  }
};

TEST_F(RevokeTest, RevokesTheRefreshTokenAndItsAccessTokens) {
  Register("andrew@exampro.co");
  auto laptop = SignIn("andrew@exampro.co");
  auto refreshed = Refresh(laptop.refresh_token);
  ASSERT_TRUE(refreshed.ok()) << refreshed.body;
  const std::string later_access = AccessOf(refreshed);

  auto r = Revoke(laptop.refresh_token);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");

  for (const Reply& refused : {Refresh(laptop.refresh_token), GetTokens(laptop.refresh_token)}) {
    EXPECT_EQ(refused.Type(), "NotAuthorizedException") << refused.body;
    EXPECT_EQ(refused.Message(), "Refresh Token has been revoked");
  }
  // The access token of the sign-in and the one refreshed from it.
  for (const std::string& access : {laptop.access_token, later_access}) {
    for (const char* op : {"GetUser", "GlobalSignOut", "DeleteUser"}) {
      auto refused = WithToken(op, access);
      EXPECT_EQ(refused.Type(), "NotAuthorizedException") << op;
      EXPECT_EQ(refused.Message(), "Access Token has been revoked") << op;
    }
  }
  EXPECT_TRUE(Admin("AdminGetUser", "andrew@exampro.co").ok());  // DeleteUser did nothing
}

TEST_F(RevokeTest, OtherSessionsGoOn) {
  Register("andrew@exampro.co");
  auto laptop = SignIn("andrew@exampro.co");
  auto phone = SignIn("andrew@exampro.co");
  ASSERT_TRUE(Revoke(laptop.refresh_token).ok());
  EXPECT_TRUE(WithToken("GetUser", phone.access_token).ok());
  auto r = Refresh(phone.refresh_token);
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_TRUE(WithToken("GetUser", AccessOf(r)).ok());
  // Signing in again starts a new session.
  EXPECT_TRUE(WithToken("GetUser", SignIn("andrew@exampro.co").access_token).ok());
}

TEST_F(RevokeTest, UnknownAndAlreadyRevokedTokensAreRevokedAlready) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  ASSERT_TRUE(Revoke(t.refresh_token).ok());
  auto again = Revoke(t.refresh_token);
  EXPECT_TRUE(again.ok()) << again.body;
  auto unknown = Revoke("bm90LWEtcmVmcmVzaC10b2tlbg");
  EXPECT_TRUE(unknown.ok()) << unknown.body;
  // After GlobalSignOut too.
  auto u = SignIn("andrew@exampro.co");
  ASSERT_TRUE(WithToken("GlobalSignOut", u.access_token).ok());
  EXPECT_TRUE(Revoke(u.refresh_token).ok());
}

TEST_F(RevokeTest, AccessAndIdTokensAreUnsupported) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  for (const std::string& token : {t.access_token, t.id_token}) {
    auto r = Revoke(token);
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(r.Type(), "UnsupportedTokenTypeException") << r.body;
  }
  // Nothing was revoked.
  EXPECT_TRUE(WithToken("GetUser", t.access_token).ok());
  EXPECT_TRUE(Refresh(t.refresh_token).ok());
}

TEST_F(RevokeTest, RequestValidationAndClient) {
  Register("andrew@exampro.co");
  auto t = SignIn("andrew@exampro.co");
  auto r = Call("RevokeToken", "{}");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(),
            "2 validation errors detected: Value null at 'token' failed to satisfy constraint: "
            "Member must not be null; Value null at 'clientId' failed to satisfy constraint: "
            "Member must not be null");
  r = Revoke("has spaces");
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.body.find("has spaces"), std::string::npos);  // sensitive: not echoed
  r = Call("RevokeToken", J({{"Token", S(t.refresh_token)},
                             {"ClientId", S(kClient)},
                             {"ClientSecret", S("not a secret!")}}));
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_NE(r.Message().find("'clientSecret'"), std::string::npos) << r.Message();
  r = Revoke(t.refresh_token, "someotherclient");
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  EXPECT_EQ(r.Message(), "User pool client someotherclient does not exist.");
  EXPECT_TRUE(Refresh(t.refresh_token).ok());  // still alive
  // A ClientSecret is accepted (the local client has none to compare).
  r = Call(
      "RevokeToken",
      J({{"Token", S(t.refresh_token)}, {"ClientId", S(kClient)}, {"ClientSecret", S("abc123")}}));
  EXPECT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(Refresh(t.refresh_token).Message(), "Refresh Token has been revoked");
}

TEST_F(RevokeTest, RevocationSurvivesARestart) {
  TempDir dir;
  pool_ = Open(dir.path());
  Register("andrew@exampro.co");
  auto revoked = SignIn("andrew@exampro.co");
  auto kept = SignIn("andrew@exampro.co");
  ASSERT_TRUE(Revoke(revoked.refresh_token).ok());
  pool_.reset();
  pool_ = Open(dir.path());
  EXPECT_EQ(Refresh(revoked.refresh_token).Message(), "Refresh Token has been revoked");
  EXPECT_EQ(WithToken("GetUser", revoked.access_token).Message(), "Access Token has been revoked");
  EXPECT_TRUE(Refresh(kept.refresh_token).ok());
}

}  // namespace
}  // namespace cruddur::userpool::testing
