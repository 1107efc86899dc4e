// The pre sign-up hook (UserPoolOptions::pre_sign_up): what a PreSignUp
// Lambda trigger is to Cognito. SignUp and AdminCreateUser ask it before
// creating anyone; a refusal is UserLambdaValidationException "PreSignUp
// failed with error <reason>." and leaves no user behind.
#include <gtest/gtest.h>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

class PreSignUpTest : public PoolTest {
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
    o.on_confirmed = [this](const PoolUser& u) {
      std::lock_guard lock(mu_);
      confirmed_.push_back(u);
    };
    o.pre_sign_up = [this](const PoolUser& u) -> base::Status {
      std::lock_guard lock(mu_);
      asked_.push_back(u);
      if (u.Attribute("preferred_username") == "taken") {
        return base::Error{users::kUserAlreadyExists, "Handle taken is already taken"};
      }
      return base::Status::Ok();
    };
    auto pool = UserPool::Open(std::move(o));
    ASSERT_TRUE(pool.ok()) << pool.error().message;
    pool_ = std::move(pool).value();
  }

  Reply SignUpAs(const std::string& email, const std::string& handle) {
    return SignUp(email, kPassword, Attrs({{"name", "N"}, {"preferred_username", handle}}));
  }

  Reply AdminCreate(const std::string& email, const std::string& handle) {
    return Admin("AdminCreateUser", email,
                 {{"UserAttributes", Attrs({{"preferred_username", handle}})},
                  {"MessageAction", S("SUPPRESS")}});
  }

  std::vector<PoolUser> asked_;
};

TEST_F(PreSignUpTest, ARefusedSignUpIsUserLambdaValidationAndCreatesNobody) {
  auto r = SignUpAs("g@example.com", "taken");
  ASSERT_FALSE(r.ok()) << r.body;
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.Str("__type"), "UserLambdaValidationException");
  EXPECT_EQ(r.Str("message"), "PreSignUp failed with error Handle taken is already taken.");
  EXPECT_TRUE(CodeFor("g@example.com").empty());  // nothing delivered
  EXPECT_FALSE(Admin("AdminGetUser", "g@example.com").ok());
  // The e-mail is still free.
  ASSERT_TRUE(SignUpAs("g@example.com", "free").ok());
}

TEST_F(PreSignUpTest, TheHookSeesTheUserAboutToBeCreated) {
  auto r = SignUpAs("h@example.com", "free");
  ASSERT_TRUE(r.ok()) << r.body;
  ASSERT_EQ(asked_.size(), 1u);
  EXPECT_EQ(asked_[0].sub, r.Str("UserSub"));
  EXPECT_EQ(asked_[0].status, "UNCONFIRMED");
  EXPECT_EQ(asked_[0].Attribute("email"), "h@example.com");
  EXPECT_EQ(asked_[0].Attribute("preferred_username"), "free");
}

TEST_F(PreSignUpTest, AdminCreateUserAsksTheHookToo) {
  auto r = AdminCreate("i@example.com", "taken");
  ASSERT_FALSE(r.ok()) << r.body;
  EXPECT_EQ(r.Str("__type"), "UserLambdaValidationException");
  EXPECT_EQ(r.Str("message"), "PreSignUp failed with error Handle taken is already taken.");
  EXPECT_FALSE(Admin("AdminGetUser", "i@example.com").ok());
  auto ok = AdminCreate("i@example.com", "other");
  ASSERT_TRUE(ok.ok()) << ok.body;
  ASSERT_EQ(asked_.size(), 2u);
  EXPECT_EQ(asked_[1].status, "FORCE_CHANGE_PASSWORD");
}

TEST_F(PreSignUpTest, ATakenEmailIsReportedBeforeTheHookIsAsked) {
  ASSERT_TRUE(SignUpAs("j@example.com", "free").ok());
  auto r = SignUpAs("j@example.com", "taken");
  EXPECT_EQ(r.Str("__type"), "UsernameExistsException");
  EXPECT_EQ(asked_.size(), 1u);
}

}  // namespace
}  // namespace cruddur::userpool::testing
