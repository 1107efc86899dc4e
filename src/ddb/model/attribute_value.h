// AttributeValue: one DynamoDB value of any of the ten types, and Item, a map
// of attribute names to values.
//
// Invariants (established by the JSON decoder, kept by every operation):
// - N values and NS members hold the canonical text of the number (see
//   number.h): "1.50" is stored as "1.5", so equal numbers compare equal
//   bytewise.
// - B values and BS members hold the raw (base64-decoded) bytes.
// - Sets are non-empty and have unique members; members keep the order in
//   which they were first inserted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ddb {

enum class AttrType : uint8_t { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view AttrTypeName(AttrType t);
// Parses one of the names above; false if unknown.
bool ParseAttrTypeName(std::string_view name, AttrType* out);

struct AttributeValue;
// Ordered by name (std::less<> allows lookup by string_view).
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using Item = AttributeMap;

struct AttributeValue {
  AttrType type = AttrType::kNull;
  // S: the UTF-8 text; N: canonical number text; B: raw bytes.
  std::string scalar;
  // BOOL: the value. NULL: always true.
  bool boolean = true;
  // SS/NS/BS members (NS canonical, BS raw bytes).
  std::vector<std::string> set;
  // L elements.
  std::vector<AttributeValue> list;
  // M members.
  AttributeMap map;

  static AttributeValue S(std::string v);
  // `canonical` must already be canonical number text (see NormalizeNumber).
  static AttributeValue N(std::string canonical);
  static AttributeValue B(std::string bytes);
  static AttributeValue Bool(bool v);
  static AttributeValue Null();
  static AttributeValue L(std::vector<AttributeValue> v);
  static AttributeValue M(AttributeMap v);
  static AttributeValue SS(std::vector<std::string> v);
  static AttributeValue NS(std::vector<std::string> canonical);
  static AttributeValue BS(std::vector<std::string> v);

  bool is_scalar_key_type() const {
    return type == AttrType::kS || type == AttrType::kN || type == AttrType::kB;
  }
  bool is_set() const {
    return type == AttrType::kSS || type == AttrType::kNS || type == AttrType::kBS;
  }
};

// DynamoDB equality: same type and same value; sets compare as sets (member
// order does not matter), numbers by value.
bool operator==(const AttributeValue& a, const AttributeValue& b);
inline bool operator!=(const AttributeValue& a, const AttributeValue& b) { return !(a == b); }

// Ordering used by comparison operators (<, <=, >, >=, BETWEEN) and sort keys.
// Only defined between two values of the same type S, N or B: numbers
// numerically, strings and binaries bytewise (unsigned). Returns <0, 0, >0.
// Precondition: a.type == b.type and the type is S, N or B.
int CompareScalar(const AttributeValue& a, const AttributeValue& b);

// The size DynamoDB charges for an attribute value (without its name), per the
// Developer Guide "Item sizes": strings and binaries by length, numbers by
// (significant digits + 1) / 2 + 1 bytes, BOOL/NULL 1 byte, M/L 3 bytes of
// overhead + 1 byte per element + the elements (names count in M).
size_t AttributeValueSize(const AttributeValue& v);
// Sum over attributes of UTF-8 name length + value size.
size_t ItemSize(const Item& item);

}  // namespace ddb
