// Storage-key encoding: partition hash stability, sort-key order, round trips.
#include "ddb/model/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "ddb/model/number.h"

namespace ddb {
namespace {

using AV = AttributeValue;

std::string SortKey(const AV& v) {
  std::string out;
  AppendSortKey(v, &out);
  return out;
}

TEST(BigEndian64, RoundTripAndLayout) {
  std::string out;
  AppendBigEndian64(0x0102030405060708ULL, &out);
  EXPECT_EQ(out, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(ReadBigEndian64(out), 0x0102030405060708ULL);
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, ~uint64_t{0}, uint64_t{0x8000000000000000ULL}}) {
    std::string s;
    AppendBigEndian64(v, &s);
    EXPECT_EQ(ReadBigEndian64(s), v);
  }
  // Bytewise order of the encoding is numeric order.
  std::string a, b;
  AppendBigEndian64(255, &a);
  AppendBigEndian64(256, &b);
  EXPECT_LT(a, b);
}

TEST(PartitionHash, StableAndTypeAware) {
  // Pinned values: the hash is part of the on-disk format and must never
  // change between releases. (Cross-checked against an independent Python
  // implementation of FNV-1a 64 + fmix64.)
  EXPECT_EQ(PartitionHash(AV::S("")), PartitionHash(AV::S("")));
  const uint64_t s1 = PartitionHash(AV::S("1"));
  const uint64_t n1 = PartitionHash(AV::N("1"));
  const uint64_t b1 = PartitionHash(AV::B("1"));
  EXPECT_NE(s1, n1);
  EXPECT_NE(s1, b1);
  EXPECT_NE(n1, b1);
  EXPECT_EQ(PartitionHash(AV::S("user#1")), 0xc49cce505aa1e7c6ULL);
  EXPECT_EQ(PartitionHash(AV::N("42")), 0x16d90fb46c6f4251ULL);
  EXPECT_EQ(PartitionHash(AV::B(std::string("\x00\x01", 2))), 0x4eaec7a9caae87d0ULL);
}

TEST(PartitionHash, SpreadsHighBits) {
  // Sequential keys should land in all 16 top-nibble buckets roughly evenly.
  int buckets[16] = {};
  for (int i = 0; i < 16000; ++i) ++buckets[PartitionHash(AV::S("key" + std::to_string(i))) >> 60];
  for (int b : buckets) {
    EXPECT_GT(b, 800);
    EXPECT_LT(b, 1200);
  }
}

TEST(AppendPartitionKey, LayoutAndDistinctness) {
  std::string out;
  AppendPartitionKey(AV::S("abc"), &out);
  ASSERT_EQ(out.size(), 8u + 1u + 1u + 3u);
  EXPECT_EQ(ReadBigEndian64(out), PartitionHash(AV::S("abc")));
  EXPECT_EQ(out[8], 'S');
  EXPECT_EQ(out[9], 3);
  EXPECT_EQ(out.substr(10), "abc");
  // Long values use a multi-byte length.
  std::string long_key;
  AppendPartitionKey(AV::B(std::string(300, 'x')), &long_key);
  EXPECT_EQ(long_key.size(), 8u + 1u + 2u + 300u);
  // Self-delimiting: no encoding is a prefix of another.
  std::set<std::string> seen;
  std::vector<std::string> encodings;
  for (const AV& v : {AV::S(""), AV::S("a"), AV::S("ab"), AV::N("1"), AV::N("12"), AV::B("a"),
                      AV::B(std::string(1, '\0'))}) {
    std::string e;
    AppendPartitionKey(v, &e);
    EXPECT_TRUE(seen.insert(e).second);
    encodings.push_back(e);
  }
  for (const std::string& x : encodings) {
    for (const std::string& y : encodings) {
      if (&x != &y) {
        EXPECT_NE(y.compare(0, x.size(), x), 0);
      }
    }
  }
}

template <typename Cmp>
void ExpectEncodingOrder(std::vector<AV> values, Cmp cmp) {
  std::vector<AV> by_value = values;
  std::stable_sort(by_value.begin(), by_value.end(), cmp);
  std::vector<AV> by_key = values;
  std::stable_sort(by_key.begin(), by_key.end(),
                   [](const AV& a, const AV& b) { return SortKey(a) < SortKey(b); });
  for (size_t i = 0; i < values.size(); ++i) {
    ASSERT_EQ(CompareScalar(by_value[i], by_key[i]), 0) << i;
  }
}

TEST(PartitionPartSize, MeasuresTheWholePartAndRejectsATruncatedOne) {
  for (const AV& pk : {AV::S("p"), AV::N("-12.5"), AV::B(std::string(300, 'b'))}) {
    std::string part;
    AppendPartitionKey(pk, &part);
    EXPECT_EQ(PartitionPartSize(part), part.size());
    EXPECT_EQ(PartitionPartSize(part + "sort"), part.size());  // a sort key part follows
    for (size_t n = 0; n < part.size(); ++n) {
      EXPECT_EQ(PartitionPartSize(part.substr(0, n)), 0u) << n;
    }
  }
  // A length varint that never ends.
  EXPECT_EQ(PartitionPartSize(std::string(9, 'h') + std::string(6, '\xff')), 0u);
}

TEST(AppendSortKey, StringsSortBytewise) {
  std::vector<AV> values;
  for (const char* s : {"", "a", "A", "ab", "b", "z", "\xC3\xA9", "\xF0\x9F\x98\x80", "10", "9",
                        "a\x01", "a\x7F"}) {
    values.push_back(AV::S(s));
  }
  ExpectEncodingOrder(values, [](const AV& a, const AV& b) { return CompareScalar(a, b) < 0; });
  EXPECT_LT(SortKey(AV::S("z")), SortKey(AV::S("\xC3\xA9")));
}

TEST(AppendSortKey, BinariesSortUnsigned) {
  std::vector<AV> values;
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string b(rng() % 6, '\0');
    for (char& c : b) c = static_cast<char>(rng() & 0xFF);
    values.push_back(AV::B(b));
  }
  ExpectEncodingOrder(values, [](const AV& a, const AV& b) { return CompareScalar(a, b) < 0; });
  EXPECT_LT(SortKey(AV::B(std::string("\x7F", 1))), SortKey(AV::B(std::string("\x80", 1))));
}

TEST(AppendSortKey, NumbersSortNumerically) {
  std::vector<AV> values;
  for (const char* n : {"0",      "1",      "-1",      "10",  "9",      "-10",      "-9",
                        "0.5",    "-0.5",   "1.5",     "100", "99.999", "-100.001", "1e125",
                        "-1e125", "1e-130", "-1e-130", "12",  "1.2",    "120"}) {
    values.push_back(AV::N(*NormalizeNumber(n)));
  }
  std::mt19937_64 rng(99);
  for (int i = 0; i < 1000; ++i) {
    std::string text = std::to_string(static_cast<int64_t>(rng() % 2000001) - 1000000) + "e" +
                       std::to_string(static_cast<int>(rng() % 21) - 10);
    values.push_back(AV::N(*NormalizeNumber(text)));
  }
  ExpectEncodingOrder(values, [](const AV& a, const AV& b) { return CompareScalar(a, b) < 0; });
  // And the sort key is a full round trip.
  for (const AV& v : values) EXPECT_EQ(DecodeSortKey(AttrType::kN, SortKey(v)), v);
}

TEST(DecodeSortKey, RoundTrips) {
  EXPECT_EQ(DecodeSortKey(AttrType::kS, SortKey(AV::S("hello"))), AV::S("hello"));
  EXPECT_EQ(DecodeSortKey(AttrType::kS, SortKey(AV::S(""))), AV::S(""));
  const std::string bin("\x00\xFF\x01", 3);
  EXPECT_EQ(DecodeSortKey(AttrType::kB, SortKey(AV::B(bin))), AV::B(bin));
  EXPECT_EQ(DecodeSortKey(AttrType::kN, SortKey(AV::N("-12.5"))), AV::N("-12.5"));
  EXPECT_EQ(DecodeSortKey(AttrType::kN, SortKey(AV::N("0"))), AV::N("0"));
}

}  // namespace
}  // namespace ddb
