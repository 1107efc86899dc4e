// The administrator's operations: AdminCreateUser, AdminSetUserPassword,
// AdminGetUser, AdminUpdateUserAttributes, AdminDeleteUser and ListUsers.
#include <gtest/gtest.h>

#include <set>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using AdminTest = PoolTest;

TEST_F(AdminTest, CreateUserIsForceChangePassword) {
  auto r = Admin("AdminCreateUser", "bayko@exampro.co",
                 {{"TemporaryPassword", S("Temp1234!")},
                  {"MessageAction", S("SUPPRESS")},
                  {"UserAttributes", Attrs({{"name", "Bayko"}, {"preferred_username", "bayko"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  const auto& u = r["User"];
  const std::string username = u["Username"].GetString();
  EXPECT_EQ(username.size(), 36u);
  EXPECT_STREQ(u["UserStatus"].GetString(), "FORCE_CHANGE_PASSWORD");
  EXPECT_TRUE(u["Enabled"].GetBool());
  EXPECT_DOUBLE_EQ(u["UserCreateDate"].GetDouble(), static_cast<double>(kStart));
  EXPECT_DOUBLE_EQ(u["UserLastModifiedDate"].GetDouble(), static_cast<double>(kStart));
  EXPECT_EQ(AttrOf(u["Attributes"], "sub"), username);
  EXPECT_EQ(AttrOf(u["Attributes"], "email"), "bayko@exampro.co");
  EXPECT_EQ(AttrOf(u["Attributes"], "name"), "Bayko");
  EXPECT_EQ(AttrOf(u["Attributes"], "email_verified"), "<absent>");
  EXPECT_TRUE(codes_.empty());  // SUPPRESS: no invitation
  EXPECT_TRUE(confirmed_.empty());

  r = Admin("AdminCreateUser", "bayko@exampro.co", {{"MessageAction", S("SUPPRESS")}});
  EXPECT_EQ(r.Type(), "UsernameExistsException");
  EXPECT_EQ(r.Message(), "User account already exists");
}

TEST_F(AdminTest, CreateUserErrors) {
  auto r = Admin("AdminCreateUser", "bayko", {{"MessageAction", S("SUPPRESS")}});
  EXPECT_EQ(r.Message(), "Username should be an email.");
  r = Admin("AdminCreateUser", "b@exampro.co", {{"TemporaryPassword", S("temp")}});
  EXPECT_EQ(r.Type(), "InvalidPasswordException");
  r = Admin("AdminCreateUser", "b@exampro.co", {{"UserAttributes", Attrs({{"sub", "x"}})}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "Cannot modify the non-mutable attribute sub");
  r = Admin("AdminCreateUser", "b@exampro.co", {{"MessageAction", S("SHOUT")}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_NE(r.Message().find("Member must satisfy enum value set: [RESEND, SUPPRESS]"),
            std::string::npos);
  r = Call("AdminCreateUser", J({{"UserPoolId", S("us-east-1_nope")}, {"Username", S("b@e.co")}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  EXPECT_EQ(r.Message(), "User pool us-east-1_nope does not exist.");
}

TEST_F(AdminTest, InvitationDeliversAGeneratedTemporaryPassword) {
  auto r = Admin("AdminCreateUser", "bayko@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  const std::string temporary = CodeFor("bayko@exampro.co");
  ASSERT_EQ(temporary.size(), 16u);
  auto signin = PasswordAuth("bayko@exampro.co", temporary);
  EXPECT_EQ(signin.Str("ChallengeName"), "NEW_PASSWORD_REQUIRED") << signin.body;
  // RESEND: a new temporary password.
  r = Admin("AdminCreateUser", "bayko@exampro.co",
            {{"MessageAction", S("RESEND")}, {"TemporaryPassword", S("Again123!")}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(CodeFor("bayko@exampro.co"), "Again123!");
  EXPECT_EQ(PasswordAuth("bayko@exampro.co", "Again123!").Str("ChallengeName"),
            "NEW_PASSWORD_REQUIRED");
  r = Admin("AdminCreateUser", "nobody@exampro.co", {{"MessageAction", S("RESEND")}});
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  Register("andrew@exampro.co");
  r = Admin("AdminCreateUser", "andrew@exampro.co", {{"MessageAction", S("RESEND")}});
  EXPECT_EQ(r.Type(), "UnsupportedUserStateException");
}

TEST_F(AdminTest, SetUserPasswordPermanentConfirms) {
  auto created = Admin("AdminCreateUser", "bayko@exampro.co",
                       {{"TemporaryPassword", S("Temp1234!")}, {"MessageAction", S("SUPPRESS")}});
  const std::string sub = created["User"]["Username"].GetString();
  auto r = Admin("AdminSetUserPassword", "bayko@exampro.co",
                 {{"Password", S("Perm1234!")}, {"Permanent", "true"}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(Admin("AdminGetUser", sub).Str("UserStatus"), "CONFIRMED");
  ASSERT_EQ(confirmed_.size(), 1u);
  EXPECT_EQ(confirmed_[0].sub, sub);
  EXPECT_TRUE(PasswordAuth("bayko@exampro.co", "Perm1234!").ok());
  // Setting it again notifies no one: the user was confirmed already.
  EXPECT_TRUE(
      Admin("AdminSetUserPassword", sub, {{"Password", S("Perm5678!")}, {"Permanent", "true"}})
          .ok());
  EXPECT_EQ(confirmed_.size(), 1u);
  // Not permanent: back to FORCE_CHANGE_PASSWORD.
  EXPECT_TRUE(Admin("AdminSetUserPassword", sub, {{"Password", S("Temp5678!")}}).ok());
  EXPECT_EQ(Admin("AdminGetUser", sub).Str("UserStatus"), "FORCE_CHANGE_PASSWORD");
  EXPECT_EQ(PasswordAuth("bayko@exampro.co", "Temp5678!").Str("ChallengeName"),
            "NEW_PASSWORD_REQUIRED");
}

TEST_F(AdminTest, SetUserPasswordErrors) {
  auto r = Admin("AdminSetUserPassword", "nobody@exampro.co",
                 {{"Password", S("Perm1234!")}, {"Permanent", "true"}});
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  Register("andrew@exampro.co");
  r = Admin("AdminSetUserPassword", "andrew@exampro.co",
            {{"Password", S("nodigits!A")}, {"Permanent", "true"}});
  EXPECT_EQ(r.Type(), "InvalidPasswordException");
  EXPECT_EQ(r.Message(),
            "Password did not conform with policy: Password must have numeric characters");
  r = Admin("AdminSetUserPassword", "andrew@exampro.co",
            {{"Password", S("Perm1234!")}, {"Permanent", S("yes")}});
  EXPECT_EQ(r.Type(), "SerializationException");
  r = Admin("AdminSetUserPassword", "andrew@exampro.co");
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value null at 'password' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(AdminTest, UpdateUserAttributes) {
  const std::string sub = Register("andrew@exampro.co");
  Advance(std::chrono::seconds(10));
  auto r = Admin("AdminUpdateUserAttributes", sub,
                 {{"UserAttributes", Attrs({{"name", "Andrew B."}, {"locale", "en"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  auto u = Admin("AdminGetUser", sub);
  EXPECT_EQ(AttrOf(u["UserAttributes"], "name"), "Andrew B.");
  EXPECT_EQ(AttrOf(u["UserAttributes"], "locale"), "en");
  EXPECT_DOUBLE_EQ(u["UserLastModifiedDate"].GetDouble(), static_cast<double>(kStart + 10));
  EXPECT_DOUBLE_EQ(u["UserCreateDate"].GetDouble(), static_cast<double>(kStart));

  // A new e-mail is unverified until said otherwise, and signs in.
  r = Admin("AdminUpdateUserAttributes", sub,
            {{"UserAttributes", Attrs({{"email", "andrew@cruddur.com"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  u = Admin("AdminGetUser", "andrew@cruddur.com");
  EXPECT_EQ(AttrOf(u["UserAttributes"], "email_verified"), "false");
  EXPECT_TRUE(PasswordAuth("andrew@cruddur.com", kPassword).ok());
  EXPECT_EQ(Admin("AdminGetUser", "andrew@exampro.co").Type(), "UserNotFoundException");
  r = Admin(
      "AdminUpdateUserAttributes", sub,
      {{"UserAttributes", Attrs({{"email", "andrew@exampro.co"}, {"email_verified", "True"}})}});
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(AttrOf(Admin("AdminGetUser", sub)["UserAttributes"], "email_verified"), "true");
}

TEST_F(AdminTest, UpdateUserAttributesErrors) {
  const std::string sub = Register("andrew@exampro.co");
  Register("bayko@exampro.co");
  auto r = Admin("AdminUpdateUserAttributes", sub,
                 {{"UserAttributes", Attrs({{"email", "BAYKO@exampro.co"}})}});
  EXPECT_EQ(r.Type(), "AliasExistsException");
  EXPECT_EQ(r.Message(), "An account with the given email already exists.");
  r = Admin("AdminUpdateUserAttributes", sub, {{"UserAttributes", Attrs({{"email", "nope"}})}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  EXPECT_EQ(r.Message(), "Invalid email address format.");
  r = Admin("AdminUpdateUserAttributes", sub, {{"UserAttributes", Attrs({{"sub", "x"}})}});
  EXPECT_EQ(r.Message(), "Cannot modify the non-mutable attribute sub");
  r = Admin("AdminUpdateUserAttributes", sub,
            {{"UserAttributes", Attrs({{"email_verified", "maybe"}})}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  r = Admin("AdminUpdateUserAttributes", "nobody@exampro.co",
            {{"UserAttributes", Attrs({{"name", "x"}})}});
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  r = Admin("AdminUpdateUserAttributes", sub);
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value null at 'userAttributes' failed to satisfy "
            "constraint: Member must not be null");
  // Nothing changed.
  EXPECT_EQ(AttrOf(Admin("AdminGetUser", sub)["UserAttributes"], "email"), "andrew@exampro.co");
}

TEST_F(AdminTest, DeleteUser) {
  const std::string sub = Register("andrew@exampro.co");
  auto tokens = SignIn("andrew@exampro.co");
  auto r = Admin("AdminDeleteUser", "andrew@exampro.co");
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_EQ(deleted_.size(), 1u);
  EXPECT_EQ(deleted_[0].sub, sub);
  EXPECT_EQ(Admin("AdminGetUser", sub).Type(), "UserNotFoundException");
  EXPECT_EQ(WithToken("GetUser", tokens.access_token).Type(), "UserNotFoundException");
  EXPECT_EQ(Refresh(tokens.refresh_token).Message(), "Invalid Refresh Token");
  r = Admin("AdminDeleteUser", sub);
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(deleted_.size(), 1u);
}

TEST_F(AdminTest, GetUserNotFound) {
  auto r = Admin("AdminGetUser", "nobody@exampro.co");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.Type(), "UserNotFoundException");
  EXPECT_EQ(r.Message(), "User does not exist.");
}

class ListUsersTest : public PoolTest {
 protected:
  void SetUp() override {
    PoolTest::SetUp();
    const char* handles[] = {"andrewbrown", "bayko", "londo", "gkar", "delenn"};
    for (const char* h : handles) {
      auto r = SignUp(std::string(h) + "@cruddur.com", kPassword,
                      Attrs({{"name", h}, {"preferred_username", h}}));
      ASSERT_TRUE(r.ok()) << r.body;
      subs_.push_back(r.Str("UserSub"));
      Advance(std::chrono::seconds(1));
    }
    Confirm("bayko@cruddur.com", CodeFor("bayko@cruddur.com"));
  }

  Reply List(std::initializer_list<std::pair<std::string_view, std::string>> more = {}) {
    std::string body = J({{"UserPoolId", S(kPool)}});
    for (const auto& [k, v] : more) {
      body.pop_back();
      body += "," + S(k) + ":" + v + "}";
    }
    return Call("ListUsers", body);
  }

  std::vector<std::string> Handles(const Reply& r) {
    std::vector<std::string> out;
    for (const auto& u : r["Users"].GetArray()) {
      out.push_back(AttrOf(u["Attributes"], "preferred_username"));
    }
    return out;
  }

  std::vector<std::string> subs_;
};

TEST_F(ListUsersTest, AllUsersInCreationOrder) {
  auto r = List();
  ASSERT_TRUE(r.ok()) << r.body;
  EXPECT_EQ(Handles(r),
            (std::vector<std::string>{"andrewbrown", "bayko", "londo", "gkar", "delenn"}));
  EXPECT_FALSE(r.Has("PaginationToken"));
  const auto& u = r["Users"][1];
  EXPECT_STREQ(u["Username"].GetString(), subs_[1].c_str());
  EXPECT_STREQ(u["UserStatus"].GetString(), "CONFIRMED");
  EXPECT_TRUE(u["Enabled"].GetBool());
  EXPECT_TRUE(u["UserCreateDate"].IsNumber());
  EXPECT_TRUE(u["UserLastModifiedDate"].IsNumber());
}

TEST_F(ListUsersTest, Filters) {
  EXPECT_EQ(Handles(List({{"Filter", S("email = \"gkar@cruddur.com\"")}})),
            std::vector<std::string>{"gkar"});
  EXPECT_EQ(Handles(List({{"Filter", S("email=\"GKAR@cruddur.com\"")}})),
            std::vector<std::string>{"gkar"});
  EXPECT_EQ(Handles(List({{"Filter", S("name ^= \"d\"")}})), std::vector<std::string>{"delenn"});
  EXPECT_EQ(Handles(List({{"Filter", S("preferred_username ^= \"\"")}})).size(), 5u);
  EXPECT_EQ(Handles(List({{"Filter", S("username = \"" + subs_[2] + "\"")}})),
            std::vector<std::string>{"londo"});
  EXPECT_EQ(Handles(List({{"Filter", S("sub = \"" + subs_[3] + "\"")}})),
            std::vector<std::string>{"gkar"});
  EXPECT_EQ(Handles(List({{"Filter", S("cognito:user_status = \"confirmed\"")}})),
            std::vector<std::string>{"bayko"});
  EXPECT_EQ(Handles(List({{"Filter", S("status = \"Enabled\"")}})).size(), 5u);
  EXPECT_TRUE(Handles(List({{"Filter", S("status = \"Disabled\"")}})).empty());
  EXPECT_TRUE(Handles(List({{"Filter", S("email = \"nobody@cruddur.com\"")}})).empty());
  EXPECT_TRUE(Handles(List({{"Filter", S("name = \"a \\\"quoted\\\" name\"")}})).empty());
  EXPECT_EQ(Handles(List({{"Filter", S("")}})).size(), 5u);
}

TEST_F(ListUsersTest, BadFilters) {
  for (const char* f : {"email", "email = gkar", "email == \"x\"", "email = \"x", "= \"x\"",
                        "email = \"x\" and", "email ~= \"x\""}) {
    auto r = List({{"Filter", S(f)}});
    EXPECT_EQ(r.Type(), "InvalidParameterException") << f;
    EXPECT_EQ(r.Message(), "Error while parsing filter.") << f;
  }
  auto r = List({{"Filter", S("custom:colour = \"blue\"")}});
  EXPECT_EQ(r.Message(), "Invalid search attribute: custom:colour");
}

TEST_F(ListUsersTest, AttributesToGet) {
  auto r = List({{"AttributesToGet", "[\"email\",\"name\"]"}});
  ASSERT_TRUE(r.ok()) << r.body;
  for (const auto& u : r["Users"].GetArray()) {
    ASSERT_EQ(u["Attributes"].Size(), 2u);
    EXPECT_STREQ(u["Attributes"][0]["Name"].GetString(), "email");
    EXPECT_STREQ(u["Attributes"][1]["Name"].GetString(), "name");
  }
}

TEST_F(ListUsersTest, Pagination) {
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto r = token.empty() ? List({{"Limit", "2"}})
                           : List({{"Limit", "2"}, {"PaginationToken", S(token)}});
    ASSERT_TRUE(r.ok()) << r.body;
    for (auto& h : Handles(r)) seen.push_back(h);
    token = r.Str("PaginationToken");
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"andrewbrown", "bayko", "londo", "gkar", "delenn"}));
  // Exactly a page left: no token after it.
  auto r = List({{"Limit", "5"}});
  EXPECT_FALSE(r.Has("PaginationToken"));
  // With a filter, pages count matches only.
  r = List({{"Limit", "1"}, {"Filter", S("email ^= \"\"")}});
  EXPECT_EQ(Handles(r).size(), 1u);
  EXPECT_TRUE(r.Has("PaginationToken"));
}

TEST_F(ListUsersTest, BadParameters) {
  auto r = List({{"Limit", "61"}});
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: "
            "Member must have value less than or equal to 60");
  r = List({{"Limit", "-1"}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  r = List({{"Limit", "1.5"}});
  EXPECT_EQ(r.Type(), "SerializationException");
  r = List({{"PaginationToken", S("garbage")}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  r = List({{"PaginationToken", S("")}});
  EXPECT_EQ(r.Type(), "InvalidParameterException");
  r = Call("ListUsers", J({{"UserPoolId", S("us-east-1_nope")}}));
  EXPECT_EQ(r.Type(), "ResourceNotFoundException");
  r = Call("ListUsers", J({{"UserPoolId", S("bad pool")}}));
  EXPECT_EQ(r.Message(),
            "1 validation error detected: Value 'bad pool' at 'userPoolId' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+");
}

}  // namespace
}  // namespace cruddur::userpool::testing
