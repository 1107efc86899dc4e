// Time to live: which items the sweeper takes as expired. (The sweeper
// deleting them through the engine: engine/ttl_test.cc.)
#include "ddb/jobs/ttl_sweeper.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(TtlExpiredTest, NumbersOnlyAndNotOlderThanFiveYears) {
  const double now = 1'700'000'000;
  Item item;
  item["e"] = AttributeValue::N("1699999999.5");
  EXPECT_TRUE(TtlExpired(item, "e", now));
  EXPECT_FALSE(TtlExpired(item, "other", now));
  item["e"] = AttributeValue::N("1700000001");
  EXPECT_FALSE(TtlExpired(item, "e", now));
  item["e"] = AttributeValue::N("1500000000");  // more than five years ago
  EXPECT_FALSE(TtlExpired(item, "e", now));
  item["e"] = AttributeValue::S("1600000000");
  EXPECT_FALSE(TtlExpired(item, "e", now));
}

}  // namespace
}  // namespace ddb
