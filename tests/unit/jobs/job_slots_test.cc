// JobSlots: at most `limit` handles at once; a handle's last copy gives its
// slot back.
#include "ddb/jobs/job_slots.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(JobSlotsTest, AtMostLimitAreHeldAndEachComesBackWithItsLastCopy) {
  JobSlots slots(2, "jobs");
  auto a = slots.TryTake();
  auto b = slots.TryTake();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(slots.TryTake(), nullptr);
  EXPECT_EQ(slots.held(), 2);
  auto a2 = a;  // a job's copies share one slot
  a.reset();
  EXPECT_EQ(slots.TryTake(), nullptr);
  a2.reset();
  EXPECT_EQ(slots.held(), 1);
  auto c = slots.TryTake();
  EXPECT_TRUE(c);
  EXPECT_EQ(slots.TryTake(), nullptr);
  b.reset();
  c.reset();
  EXPECT_EQ(slots.held(), 0);
}

TEST(JobSlotsTest, ALimitOfZeroRefusesEveryJob) {
  JobSlots slots(0, "jobs");
  EXPECT_EQ(slots.TryTake(), nullptr);
  EXPECT_EQ(slots.held(), 0);
}

}  // namespace
}  // namespace ddb
