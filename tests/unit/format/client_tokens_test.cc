// The stored form of a TransactWriteItems ClientRequestToken
// (format/client_tokens.h): round trip, malformed records, and a fingerprint
// that is the same in every process (it is compared with stored ones after a
// restart).
#include "ddb/format/client_tokens.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

TEST(ClientTokens, RecordRoundTrips) {
  ClientTokenRecord r{1'700'000'000'123, RequestFingerprint("[{\"Put\":{}}]")};
  auto back = DecodeClientToken(EncodeClientToken(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->committed_ms, r.committed_ms);
  EXPECT_EQ(back->fingerprint, r.fingerprint);
}

TEST(ClientTokens, MalformedRecordsAreRejected) {
  EXPECT_FALSE(DecodeClientToken("").has_value());
  EXPECT_FALSE(DecodeClientToken("12345678").has_value());
  std::string good = EncodeClientToken({5, RequestFingerprint("x")});
  EXPECT_FALSE(DecodeClientToken(good.substr(0, good.size() - 1)).has_value());
  EXPECT_FALSE(DecodeClientToken(good + "0").has_value());
}

TEST(ClientTokens, FingerprintIsFnv1a128) {
  // The FNV-1a offset basis for the empty input, and a fixed value for "a":
  // stored fingerprints must compare equal in later processes and builds.
  EXPECT_EQ(RequestFingerprint(""), "6c62272e07bb014262b821756295c58d");
  EXPECT_EQ(RequestFingerprint("a"), "d228cb696f1a8caf78912b704e4a8964");
  EXPECT_NE(RequestFingerprint("[1]"), RequestFingerprint("[2]"));
  EXPECT_EQ(RequestFingerprint("a").size(), 32u);
}

}  // namespace
}  // namespace ddb
