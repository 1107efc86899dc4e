#include "cruddur/api/caller_cache.h"

#include <gtest/gtest.h>

namespace cruddur::api {
namespace {

TEST(CallerCache, RemembersForItsTtlOnly) {
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  CallerCache cache(std::chrono::seconds(30), 100, [&] { return now; });
  EXPECT_FALSE(cache.Find("sub-1"));
  cache.Remember("sub-1", "uuid-1");
  EXPECT_EQ(cache.Find("sub-1"), "uuid-1");
  now += std::chrono::seconds(29);
  EXPECT_EQ(cache.Find("sub-1"), "uuid-1");
  now += std::chrono::seconds(1);
  EXPECT_FALSE(cache.Find("sub-1"));
  cache.Remember("sub-1", "uuid-2");  // re-linked: the new answer wins
  EXPECT_EQ(cache.Find("sub-1"), "uuid-2");
}

TEST(CallerCache, IsBoundedAndCanBeOff) {
  CallerCache small(std::chrono::seconds(30), 2);
  small.Remember("a", "1");
  small.Remember("b", "2");
  small.Remember("c", "3");  // full: starts over
  EXPECT_FALSE(small.Find("a"));
  EXPECT_EQ(small.Find("c"), "3");
  CallerCache off(std::chrono::seconds(30), 0);
  off.Remember("a", "1");
  EXPECT_FALSE(off.Find("a"));
}

}  // namespace
}  // namespace cruddur::api
