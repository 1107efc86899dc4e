// Many threads and many connections on one directory: no lost writes, no
// lock errors, and unique keys hold under contention.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "backends.h"

namespace cruddur::users::testing {
namespace {

using Concurrency = UsersTest;
USERS_INSTANTIATE(Concurrency);

TEST_P(Concurrency, ThreadsSharingOneDirectoryLoseNothing) {
  constexpr int kThreads = 8, kEach = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string handle = "t" + std::to_string(t) + "_" + std::to_string(i);
        NewUser u = MakeUser(handle, "sub-" + handle);
        if (!dir->InsertUser(u).ok()) ++failures;
        if (!dir->FindUuidByCognitoUserId(u.cognito_user_id).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<std::string> handles;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i)
      handles.push_back("t" + std::to_string(t) + "_" + std::to_string(i));
  auto all = dir->FindByHandles(handles);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), static_cast<size_t>(kThreads * kEach));
}

TEST_P(Concurrency, ConnectionsRacingForOneHandleGetOneWinner) {
  constexpr int kConnections = 4, kRounds = 15;
  std::vector<std::unique_ptr<UsersDirectory>> conns;
  for (int c = 0; c < kConnections; ++c) {
    conns.push_back(Open());
    ASSERT_NE(conns.back(), nullptr);
  }
  std::atomic<int> wins{0}, taken{0}, other{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      for (int r = 0; r < kRounds; ++r) {
        NewUser u = MakeUser("contested" + std::to_string(r));
        u.display_name = "from connection " + std::to_string(c);
        auto res = conns[c]->InsertUser(u);
        if (res.ok()) {
          ++wins;
        } else if (res.error().code == kUserAlreadyExists) {
          ++taken;
        } else {
          ++other;
          ADD_FAILURE() << res.error().Name() << ": " << res.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wins.load(), kRounds);
  EXPECT_EQ(taken.load(), kRounds * (kConnections - 1));
  EXPECT_EQ(other.load(), 0);
}

TEST_P(Concurrency, SeedingFromManyConnectionsAtOnceInsertsEachUserOnce) {
  constexpr int kConnections = 4;
  std::vector<std::unique_ptr<UsersDirectory>> conns;
  for (int c = 0; c < kConnections; ++c) conns.push_back(Open());
  std::atomic<int> inserted{0}, errors{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      auto n = conns[c]->SeedUsers();
      if (n.ok()) {
        inserted += *n;
      } else {
        ++errors;
        ADD_FAILURE() << n.error().Name() << ": " << n.error().message;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(inserted.load(), 4);
}

}  // namespace
}  // namespace cruddur::users::testing
