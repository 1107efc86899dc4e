// ByteBudget: takes within the budget, waiting in line, the finisher that
// keeps one holder able to finish, release and shutdown.
#include "net/byte_budget.h"

#include <gtest/gtest.h>

namespace net {
namespace {

TEST(ByteBudget, CapacityIsAtLeastTheReserve) {
  ByteBudget b(10, 100);
  EXPECT_EQ(b.capacity(), 100u);
}

TEST(ByteBudget, TakesWithinTheSharedPart) {
  ByteBudget b(100, 40);  // 60 shared
  ByteBudget::Account a, c;
  EXPECT_TRUE(b.Take(&a, 30, [] {}));
  EXPECT_TRUE(b.Take(&c, 30, [] {}));
  EXPECT_EQ(b.used(), 60u);
  EXPECT_EQ(b.held(a), 30u);
  b.Release(&a);
  b.Release(&c);
  EXPECT_EQ(b.used(), 0u);
}

TEST(ByteBudget, FinisherCanAlwaysFinishOthersWaitInLine) {
  ByteBudget b(100, 40);
  ByteBudget::Account a, c, d;
  int woke_c = 0, woke_d = 0;
  ASSERT_TRUE(b.Take(&a, 30, [] {}));
  ASSERT_TRUE(b.Take(&c, 30, [] {}));
  // The shared part is spent: the first one short becomes the finisher and
  // takes from the reserve, as much as one request needs.
  EXPECT_TRUE(b.Take(&a, 10, [] {}));
  EXPECT_TRUE(b.Take(&a, 30, [] {}));
  EXPECT_EQ(b.held(a), 70u);
  // Others wait, in order.
  EXPECT_FALSE(b.Take(&c, 10, [&] { ++woke_c; }));
  EXPECT_FALSE(b.Take(&d, 5, [&] { ++woke_d; }));
  EXPECT_EQ(b.waiting(), 2u);
  // The finisher hands its request off: the first in line becomes the next
  // finisher, the next gets shared bytes.
  b.Release(&a);
  EXPECT_EQ(woke_c, 1);
  EXPECT_EQ(woke_d, 1);
  EXPECT_EQ(b.held(c), 40u);
  EXPECT_EQ(b.held(d), 5u);
  EXPECT_EQ(b.waiting(), 0u);
  b.Release(&c);
  b.Release(&d);
  EXPECT_EQ(b.used(), 0u);
}

TEST(ByteBudget, NewcomersDoNotJumpTheLine) {
  ByteBudget b(100, 40);
  ByteBudget::Account a, c, d, e;
  ASSERT_TRUE(b.Take(&a, 60, [] {}));
  ASSERT_TRUE(b.Take(&c, 40, [] {}));  // finisher: the reserve
  EXPECT_FALSE(b.Take(&d, 50, [] {}));
  b.Release(&c);  // d becomes the finisher
  EXPECT_EQ(b.held(d), 50u);
  EXPECT_FALSE(b.Take(&e, 1, [] {}));  // the shared part is still spent
  b.Release(&a);                       // e gets shared bytes
  EXPECT_EQ(b.held(e), 1u);
  b.Release(&d);
  b.Release(&e);
  EXPECT_EQ(b.used(), 0u);
}

TEST(ByteBudget, ReleaseWhileWaitingLeavesTheLine) {
  ByteBudget b(100, 40);
  ByteBudget::Account a, c, d;
  int woke = 0;
  ASSERT_TRUE(b.Take(&a, 60, [] {}));
  ASSERT_TRUE(b.Take(&c, 1, [] {}));  // finisher
  ASSERT_FALSE(b.Take(&d, 10, [&] { ++woke; }));
  b.Release(&d);  // e.g. its deadline passed
  EXPECT_EQ(b.waiting(), 0u);
  b.Release(&c);
  b.Release(&a);
  EXPECT_EQ(woke, 0);
  EXPECT_EQ(b.used(), 0u);
}

TEST(ByteBudget, ForceMayOverdraw) {
  ByteBudget b(100, 40);
  ByteBudget::Account a, c;
  b.Force(&a, 90);
  EXPECT_EQ(b.used(), 90u);
  EXPECT_TRUE(b.Take(&c, 10, [] {}));  // the finisher still finishes
  b.Release(&a);
  b.Release(&c);
  EXPECT_EQ(b.used(), 0u);
}

TEST(ByteBudget, ShutdownDropsTheLineWithoutWaking) {
  ByteBudget b(100, 40);
  ByteBudget::Account a, c, d;
  int woke = 0;
  ASSERT_TRUE(b.Take(&a, 60, [] {}));
  ASSERT_TRUE(b.Take(&c, 40, [] {}));
  ASSERT_FALSE(b.Take(&d, 10, [&] { ++woke; }));
  b.Shutdown();
  EXPECT_EQ(b.waiting(), 0u);
  EXPECT_TRUE(b.Take(&d, 10, [] {}));
  b.Release(&a);
  b.Release(&c);
  b.Release(&d);
  EXPECT_EQ(woke, 0);
  EXPECT_EQ(b.used(), 0u);
}

}  // namespace
}  // namespace net
