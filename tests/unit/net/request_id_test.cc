// Request ids look like DynamoDB's: 52 characters of [A-Z0-9].
#include "net/request_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace net {
namespace {

TEST(RequestId, ShapeAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 52u);
    for (char c : id) ASSERT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(RequestId, UsesTheWholeAlphabet) {
  std::set<char> chars;
  for (int i = 0; i < 200; ++i) {
    for (char c : NewRequestId()) chars.insert(c);
  }
  EXPECT_EQ(chars.size(), 36u);
}

}  // namespace
}  // namespace net
