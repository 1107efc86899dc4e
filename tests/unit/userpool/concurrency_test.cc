// Many threads at once: sign-ins, refreshes, sign-ups and reads on one pool
// all succeed, and concurrent sign-ups of one e-mail make exactly one user.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pool_fixture.h"

namespace cruddur::userpool::testing {
namespace {

using ConcurrencyTest = PoolTest;

TEST_F(ConcurrencyTest, ParallelSignInsRefreshesAndReads) {
  constexpr int kThreads = 6;
  constexpr int kRounds = 4;
  for (int t = 0; t < kThreads; ++t) Register("user" + std::to_string(t) + "@cruddur.com");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string email = "user" + std::to_string(t) + "@cruddur.com";
      for (int i = 0; i < kRounds; ++i) {
        auto signin = pool_->Call(
            "InitiateAuth",
            J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
               {"ClientId", S(kClient)},
               {"AuthParameters", J({{"USERNAME", S(email)}, {"PASSWORD", S(kPassword)}})}}));
        if (signin.status != 200) {
          ++failures;
          continue;
        }
        rapidjson::Document d;
        d.Parse(signin.body.c_str());
        const std::string access = d["AuthenticationResult"]["AccessToken"].GetString();
        const std::string refresh = d["AuthenticationResult"]["RefreshToken"].GetString();
        if (pool_->Call("GetUser", J({{"AccessToken", S(access)}})).status != 200) ++failures;
        auto r = pool_->Call("InitiateAuth",
                             J({{"AuthFlow", S("REFRESH_TOKEN_AUTH")},
                                {"ClientId", S(kClient)},
                                {"AuthParameters", J({{"REFRESH_TOKEN", S(refresh)}})}}));
        if (r.status != 200) ++failures;
        if (pool_->Call("ListUsers", J({{"UserPoolId", S(kPool)}})).status != 200) ++failures;
        // A wrong password in between is still just a wrong password.
        auto wrong = pool_->Call(
            "InitiateAuth",
            J({{"AuthFlow", S("USER_PASSWORD_AUTH")},
               {"ClientId", S(kClient)},
               {"AuthParameters", J({{"USERNAME", S(email)}, {"PASSWORD", S("Wrong123!")}})}}));
        if (wrong.body.find("Incorrect username or password.") == std::string::npos) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(ConcurrencyTest, ConcurrentSignUpsOfOneEmailMakeOneUser) {
  constexpr int kThreads = 6;
  std::atomic<int> created{0}, exists{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto r = pool_->Call("SignUp", J({{"ClientId", S(kClient)},
                                        {"Username", S("race@cruddur.com")},
                                        {"Password", S(kPassword)}}));
      if (r.status == 200) ++created;
      if (r.body.find("UsernameExistsException") != std::string::npos) ++exists;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(exists.load(), kThreads - 1);
}

TEST_F(ConcurrencyTest, ConcurrentEnsureUserMakesOneUser) {
  std::vector<std::thread> threads;
  std::vector<std::string> subs(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto u = pool_->EnsureUser("seed@cruddur.com", kPassword, {{"name", "Seed"}});
      if (u.ok()) subs[t] = u->sub;
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& s : subs) EXPECT_EQ(s, subs[0]);
  EXPECT_FALSE(subs[0].empty());
  EXPECT_EQ(confirmed_.size(), 1u);
}

}  // namespace
}  // namespace cruddur::userpool::testing
