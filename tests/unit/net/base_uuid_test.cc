// base/uuid.h: random version-4 uuids and the 8-4-4-4-12 checks.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>

#include "base/uuid.h"

namespace base {
namespace {

TEST(Uuid, NewUuidV4IsLowercaseVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto u = NewUuidV4();
    ASSERT_TRUE(u.has_value());
    ASSERT_EQ(u->size(), 36u);
    EXPECT_TRUE(IsUuid(*u)) << *u;
    EXPECT_EQ(NormalizeUuid(*u), *u);  // already lowercase
    EXPECT_EQ((*u)[14], '4') << *u;
    EXPECT_NE(std::string("89ab").find((*u)[19]), std::string::npos) << *u;
    EXPECT_TRUE(seen.insert(*u).second);
  }
}

// The bytes are drawn ahead per thread: a forked child must not hand out
// the uuid its parent hands out next.
TEST(Uuid, AForkedChildDrawsOtherUuidsThanItsParent) {
  ASSERT_TRUE(NewUuidV4().has_value());  // the parent's pool is full now
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto u = NewUuidV4();
    const std::string text = u ? *u : "";
    (void)!write(fds[1], text.data(), text.size());
    _exit(0);
  }
  close(fds[1]);
  char buf[64] = {};
  const ssize_t n = read(fds[0], buf, sizeof buf);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(n, 36);
  auto mine = NewUuidV4();
  ASSERT_TRUE(mine.has_value());
  EXPECT_NE(std::string(buf, 36), *mine);
}

TEST(Uuid, IsUuidAcceptsEitherCaseOnly8_4_4_4_12Hex) {
  EXPECT_TRUE(IsUuid("5ae290ed-55d1-47a0-bc6d-fe2bc2700399"));
  EXPECT_TRUE(IsUuid("5AE290ED-55D1-47A0-BC6D-FE2BC2700399"));
  EXPECT_TRUE(IsUuid("00000000-0000-0000-0000-000000000000"));  // any version
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("5ae290ed55d147a0bc6dfe2bc2700399"));
  EXPECT_FALSE(IsUuid("5ae290ed-55d1-47a0-bc6d-fe2bc270039"));    // short
  EXPECT_FALSE(IsUuid("5ae290ed-55d1-47a0-bc6d-fe2bc27003990"));  // long
  EXPECT_FALSE(IsUuid("5ae290ed-55d1-47a0-bc6d-fe2bc270039g"));
  EXPECT_FALSE(IsUuid("5ae290ed_55d1-47a0-bc6d-fe2bc2700399"));
  EXPECT_FALSE(IsUuid("{ae290ed-55d1-47a0-bc6d-fe2bc2700399"));
}

TEST(Uuid, NormalizeUuidLowercases) {
  EXPECT_EQ(NormalizeUuid("5AE290ED-55D1-47A0-BC6D-FE2BC2700399"),
            "5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
  EXPECT_EQ(NormalizeUuid("not-a-uuid"), std::nullopt);
  EXPECT_EQ(NormalizeUuid("5ae290ed-55d1-47a0-bc6d-fe2bc270039G"), std::nullopt);
}

}  // namespace
}  // namespace base
