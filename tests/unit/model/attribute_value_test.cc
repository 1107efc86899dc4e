// AttributeValue: type names, equality, scalar ordering, item sizes.
#include "ddb/model/attribute_value.h"

#include <gtest/gtest.h>

namespace ddb {
namespace {

using AV = AttributeValue;

TEST(AttrTypeName, RoundTripsAllTypes) {
  const AttrType all[] = {AttrType::kS,    AttrType::kN, AttrType::kB, AttrType::kBool,
                          AttrType::kNull, AttrType::kM, AttrType::kL, AttrType::kSS,
                          AttrType::kNS,   AttrType::kBS};
  const char* names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
  for (size_t i = 0; i < std::size(all); ++i) {
    EXPECT_EQ(AttrTypeName(all[i]), names[i]);
    AttrType t;
    ASSERT_TRUE(ParseAttrTypeName(names[i], &t));
    EXPECT_EQ(t, all[i]);
  }
  AttrType t;
  EXPECT_FALSE(ParseAttrTypeName("s", &t));
  EXPECT_FALSE(ParseAttrTypeName("", &t));
  EXPECT_FALSE(ParseAttrTypeName("BOOLEAN", &t));
}

TEST(AttributeValue, Constructors) {
  EXPECT_EQ(AV::S("x").type, AttrType::kS);
  EXPECT_EQ(AV::S("x").scalar, "x");
  EXPECT_EQ(AV::N("1.5").type, AttrType::kN);
  EXPECT_EQ(AV::B(std::string("\0\1", 2)).scalar.size(), 2u);
  EXPECT_EQ(AV::Bool(false).type, AttrType::kBool);
  EXPECT_FALSE(AV::Bool(false).boolean);
  EXPECT_EQ(AV::Null().type, AttrType::kNull);
  EXPECT_TRUE(AV::Null().boolean);
  EXPECT_EQ(AV::L({AV::S("a")}).list.size(), 1u);
  EXPECT_EQ(AV::M({{"k", AV::S("v")}}).map.count("k"), 1u);
  EXPECT_TRUE(AV::SS({"a"}).is_set());
  EXPECT_TRUE(AV::NS({"1"}).is_set());
  EXPECT_TRUE(AV::BS({"a"}).is_set());
  EXPECT_TRUE(AV::S("a").is_scalar_key_type());
  EXPECT_TRUE(AV::N("1").is_scalar_key_type());
  EXPECT_TRUE(AV::B("a").is_scalar_key_type());
  EXPECT_FALSE(AV::Bool(true).is_scalar_key_type());
  EXPECT_FALSE(AV::L({}).is_set());
}

TEST(AttributeValue, Equality) {
  EXPECT_EQ(AV::S("a"), AV::S("a"));
  EXPECT_NE(AV::S("a"), AV::S("b"));
  EXPECT_NE(AV::S("1"), AV::N("1"));  // types differ
  EXPECT_NE(AV::S("a"), AV::B("a"));
  EXPECT_EQ(AV::N("1.5"), AV::N("1.5"));
  EXPECT_EQ(AV::Bool(true), AV::Bool(true));
  EXPECT_NE(AV::Bool(true), AV::Bool(false));
  EXPECT_EQ(AV::Null(), AV::Null());
  EXPECT_NE(AV::Null(), AV::Bool(true));
  // Lists are ordered.
  EXPECT_EQ(AV::L({AV::S("a"), AV::N("1")}), AV::L({AV::S("a"), AV::N("1")}));
  EXPECT_NE(AV::L({AV::S("a"), AV::N("1")}), AV::L({AV::N("1"), AV::S("a")}));
  EXPECT_NE(AV::L({AV::S("a")}), AV::L({AV::S("a"), AV::S("a")}));
  // Maps compare by content, recursively.
  EXPECT_EQ(AV::M({{"a", AV::L({AV::SS({"x", "y"})})}, {"b", AV::Null()}}),
            AV::M({{"b", AV::Null()}, {"a", AV::L({AV::SS({"y", "x"})})}}));
  EXPECT_NE(AV::M({{"a", AV::S("1")}}), AV::M({{"a", AV::S("2")}}));
  EXPECT_NE(AV::M({{"a", AV::S("1")}}), AV::M({{"b", AV::S("1")}}));
  // Sets ignore member order.
  EXPECT_EQ(AV::SS({"a", "b", "c"}), AV::SS({"c", "a", "b"}));
  EXPECT_EQ(AV::NS({"1", "2.5"}), AV::NS({"2.5", "1"}));
  EXPECT_EQ(AV::BS({"\x01", "\x02"}), AV::BS({"\x02", "\x01"}));
  EXPECT_NE(AV::SS({"a", "b"}), AV::SS({"a", "c"}));
  EXPECT_NE(AV::SS({"a", "b"}), AV::SS({"a"}));
  EXPECT_NE(AV::SS({"a"}), AV::BS({"a"}));
  // Large sets (hash path).
  std::vector<std::string> big, rev;
  for (int i = 0; i < 100; ++i) big.push_back(std::to_string(i));
  rev.assign(big.rbegin(), big.rend());
  EXPECT_EQ(AV::NS(big), AV::NS(rev));
  rev[0] = "1000";
  EXPECT_NE(AV::NS(big), AV::NS(rev));
}

TEST(CompareScalar, Ordering) {
  EXPECT_LT(CompareScalar(AV::N("-10"), AV::N("9")), 0);
  EXPECT_LT(CompareScalar(AV::N("9"), AV::N("10")), 0);  // numeric, not textual
  EXPECT_EQ(CompareScalar(AV::N("2.5"), AV::N("2.5")), 0);
  EXPECT_GT(CompareScalar(AV::N("0.01"), AV::N("-100")), 0);
  EXPECT_LT(CompareScalar(AV::S("10"), AV::S("9")), 0);  // bytewise
  EXPECT_LT(CompareScalar(AV::S("A"), AV::S("a")), 0);
  EXPECT_LT(CompareScalar(AV::S("a"), AV::S("ab")), 0);
  EXPECT_EQ(CompareScalar(AV::S("abc"), AV::S("abc")), 0);
  // UTF-8 bytes compare unsigned: U+00E9 (0xC3 0xA9) sorts after 'z'.
  EXPECT_LT(CompareScalar(AV::S("z"), AV::S("\xC3\xA9")), 0);
  EXPECT_LT(CompareScalar(AV::B(std::string("\x7F", 1)), AV::B(std::string("\x80", 1))), 0);
  EXPECT_LT(CompareScalar(AV::B(std::string("\x00", 1)), AV::B(std::string("\xFF", 1))), 0);
  EXPECT_LT(CompareScalar(AV::B(""), AV::B(std::string("\x00", 1))), 0);
}

TEST(AttributeValueSize, Scalars) {
  EXPECT_EQ(AttributeValueSize(AV::S("")), 0u);
  EXPECT_EQ(AttributeValueSize(AV::S("abc")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::S("\xC3\xA9")), 2u);          // UTF-8 bytes
  EXPECT_EQ(AttributeValueSize(AV::S("\xF0\x9F\x98\x80")), 4u);  // emoji
  EXPECT_EQ(AttributeValueSize(AV::B(std::string(10, 'x'))), 10u);
  EXPECT_EQ(AttributeValueSize(AV::Bool(false)), 1u);
  EXPECT_EQ(AttributeValueSize(AV::Null()), 1u);
}

TEST(AttributeValueSize, Numbers) {
  // 1 byte + base-100 digit pairs (aligned on the decimal point) + 1 byte for
  // negatives; zero is 1 byte.
  EXPECT_EQ(AttributeValueSize(AV::N("0")), 1u);
  EXPECT_EQ(AttributeValueSize(AV::N("1")), 2u);
  EXPECT_EQ(AttributeValueSize(AV::N("12")), 2u);
  EXPECT_EQ(AttributeValueSize(AV::N("123")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::N("1234")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::N("12345")), 4u);
  EXPECT_EQ(AttributeValueSize(AV::N("1000000")), 2u);  // trailing zeros trimmed
  EXPECT_EQ(AttributeValueSize(AV::N("1.2")), 3u);      // pairs "01" "20"
  EXPECT_EQ(AttributeValueSize(AV::N("12.3")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::N("0.12")), 2u);
  EXPECT_EQ(AttributeValueSize(AV::N("0.012")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::N("-1")), 3u);
  EXPECT_EQ(AttributeValueSize(AV::N("-12345")), 5u);
  EXPECT_EQ(AttributeValueSize(AV::N("12345678901234567890123456789012345678")), 20u);
  EXPECT_EQ(AttributeValueSize(AV::N("1.2345678901234567890123456789012345678")), 21u);
}

TEST(AttributeValueSize, Containers) {
  EXPECT_EQ(AttributeValueSize(AV::L({})), 3u);
  EXPECT_EQ(AttributeValueSize(AV::M({})), 3u);
  // 3 + (1 + 3) + (1 + 1)
  EXPECT_EQ(AttributeValueSize(AV::L({AV::S("abc"), AV::Null()})), 9u);
  // 3 + (1 + len("key")=3 + 5)
  EXPECT_EQ(AttributeValueSize(AV::M({{"key", AV::S("hello")}})), 12u);
  // Nested: outer 3 + (1 + 1 + inner), inner = 3 + (1 + 1) = 5
  EXPECT_EQ(AttributeValueSize(AV::M({{"m", AV::L({AV::Bool(true)})}})), 10u);
  EXPECT_EQ(AttributeValueSize(AV::SS({"ab", "cde", ""})), 5u);
  EXPECT_EQ(AttributeValueSize(AV::BS({"ab", "c"})), 3u);
  EXPECT_EQ(AttributeValueSize(AV::NS({"1", "-1", "123"})), 2u + 3u + 3u);
}

TEST(ItemSize, SumsNamesAndValues) {
  EXPECT_EQ(ItemSize({}), 0u);
  Item item = {
      {"id", AV::S("abc")},         // 2 + 3
      {"n", AV::N("12345")},        // 1 + 4
      {"flag", AV::Bool(true)},     // 4 + 1
      {"\xC3\xA9", AV::Null()},     // 2 + 1
      {"list", AV::L({AV::S("")})}  // 4 + 3 + 1 + 0
  };
  EXPECT_EQ(ItemSize(item), 5u + 5u + 5u + 3u + 8u);
}

}  // namespace
}  // namespace ddb
