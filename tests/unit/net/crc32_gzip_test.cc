// CRC32 and gzip: the checksum boto3 verifies and the codings HTTP clients use.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "net/crc32.h"
#include "net/gzip.h"

namespace net {
namespace {

TEST(Crc32, KnownValues) {
  EXPECT_EQ(Crc32(""), 0u);
  // The standard check value of CRC-32/ISO-HDLC.
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  // DynamoDB answers an empty object with x-amz-crc32: 2745614147.
  EXPECT_EQ(Crc32("{}"), 2745614147u);
}

TEST(Crc32, Incremental) {
  std::string data = "The quick brown fox jumps over the lazy dog";
  uint32_t whole = Crc32(data);
  uint32_t part =
      Crc32(std::string_view(data).substr(10), Crc32(std::string_view(data).substr(0, 10)));
  EXPECT_EQ(whole, part);
  EXPECT_EQ(whole, 0x414FA339u);
}

std::string RandomText(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = "abcdefgh {}\":,0123"[rng() % 18];
  return s;
}

TEST(Crc32, AgreesWithZlibAtEveryLengthAndAlignment) {
  // ISA-L folds in 64-byte blocks with a byte-wise head and tail: every
  // length up to a few blocks, at every start offset within 16 bytes, and a
  // large buffer split at an odd place, must give zlib's CRC.
  std::mt19937 rng(7);
  std::string bytes(70000, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  auto zlib_crc = [](std::string_view b, uLong c = 0) {
    return static_cast<uint32_t>(
        crc32(c, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size())));
  };
  const std::string_view all(bytes);
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t n = 0; n <= 300; ++n) {
      ASSERT_EQ(Crc32(all.substr(offset, n)), zlib_crc(all.substr(offset, n)))
          << offset << " " << n;
    }
  }
  EXPECT_EQ(Crc32(all), zlib_crc(all));
  EXPECT_EQ(Crc32(all.substr(12345), Crc32(all.substr(0, 12345))), zlib_crc(all));
  EXPECT_EQ(Crc32(all.substr(5), 0xDEADBEEFu), zlib_crc(all.substr(5), 0xDEADBEEFu));
}

TEST(Gzip, RoundTrip) {
  for (size_t n : {0, 1, 100, 5000, 1 << 20}) {
    std::string data = RandomText(n, static_cast<unsigned>(n));
    std::string packed, unpacked;
    ASSERT_TRUE(GzipDeflate(data, &packed));
    ASSERT_GE(packed.size(), 18u);  // gzip header + trailer
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
    ASSERT_EQ(GzipInflate(packed, &unpacked, 16 << 20), InflateResult::kOk) << n;
    EXPECT_EQ(unpacked, data);
  }
}

TEST(Gzip, ConcatenatedMembers) {
  std::string a, b, out;
  ASSERT_TRUE(GzipDeflate("hello ", &a));
  ASSERT_TRUE(GzipDeflate("world", &b, 9));
  ASSERT_EQ(GzipInflate(a + b, &out, 100), InflateResult::kOk);
  EXPECT_EQ(out, "hello world");
}

TEST(Gzip, LimitIsExact) {
  std::string data(1000, 'x'), packed, out;
  ASSERT_TRUE(GzipDeflate(data, &packed));
  EXPECT_EQ(GzipInflate(packed, &out, 1000), InflateResult::kOk);
  EXPECT_EQ(out.size(), 1000u);
  EXPECT_EQ(GzipInflate(packed, &out, 999), InflateResult::kTooLarge);
}

TEST(Gzip, BombIsStopped) {
  std::string zeros(64 << 20, '\0'), packed, out;
  ASSERT_TRUE(GzipDeflate(zeros, &packed, 9));
  EXPECT_LT(packed.size(), 200u << 10);
  EXPECT_EQ(GzipInflate(packed, &out, 16 << 20), InflateResult::kTooLarge);
}

TEST(Gzip, CorruptInputs) {
  std::string packed, out;
  ASSERT_TRUE(GzipDeflate("some text to compress, some text to compress", &packed));
  EXPECT_EQ(GzipInflate("", &out, 100), InflateResult::kCorrupt);
  EXPECT_EQ(GzipInflate("not gzip at all", &out, 100), InflateResult::kCorrupt);
  // Truncated.
  EXPECT_EQ(GzipInflate(std::string_view(packed).substr(0, packed.size() - 5), &out, 100),
            InflateResult::kCorrupt);
  // Checksum damaged.
  std::string bad = packed;
  bad[bad.size() - 6] ^= 0x55;
  EXPECT_EQ(GzipInflate(bad, &out, 100), InflateResult::kCorrupt);
  // Trailing garbage after a valid member.
  EXPECT_EQ(GzipInflate(packed + "xyz", &out, 100), InflateResult::kCorrupt);
  // Still fine afterwards (per-thread state is reset).
  EXPECT_EQ(GzipInflate(packed, &out, 100), InflateResult::kOk);
}

// HTTP's "deflate": the zlib format, and raw deflate data as some clients
// send it; one stream, nothing after it.
TEST(Deflate, ZlibAndRawStreams) {
  const std::string data = "deflate me, deflate me, deflate me, deflate me";
  std::string packed, out;
  ASSERT_TRUE(Deflate(Coding::kDeflate, data, &packed));
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(
      (static_cast<unsigned char>(packed[0]) * 256 + static_cast<unsigned char>(packed[1])) % 31,
      0);  // a zlib header
  ASSERT_EQ(Inflate(Coding::kDeflate, packed, &out, 1000), InflateResult::kOk);
  EXPECT_EQ(out, data);
  // The same data without the zlib wrapper (2-byte header, 4-byte Adler-32).
  const std::string raw = packed.substr(2, packed.size() - 6);
  ASSERT_EQ(Inflate(Coding::kDeflate, raw, &out, 1000), InflateResult::kOk);
  EXPECT_EQ(out, data);
  // Limits, corruption, trailing bytes, a gzip member under the wrong name.
  EXPECT_EQ(Inflate(Coding::kDeflate, packed, &out, data.size() - 1), InflateResult::kTooLarge);
  EXPECT_EQ(Inflate(Coding::kDeflate, packed + packed, &out, 1000), InflateResult::kCorrupt);
  EXPECT_EQ(Inflate(Coding::kDeflate, "", &out, 1000), InflateResult::kCorrupt);
  std::string bad = packed;
  bad[bad.size() - 1] ^= 0x55;  // Adler-32
  EXPECT_EQ(Inflate(Coding::kDeflate, bad, &out, 1000), InflateResult::kCorrupt);
  std::string gz;
  ASSERT_TRUE(GzipDeflate(data, &gz));
  EXPECT_EQ(Inflate(Coding::kDeflate, gz, &out, 1000), InflateResult::kCorrupt);
  EXPECT_EQ(Inflate(Coding::kGzip, packed, &out, 1000), InflateResult::kCorrupt);
}

}  // namespace
}  // namespace net
