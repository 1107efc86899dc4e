#include "ddb/model/attribute_value.h"

#include <string_view>
#include <unordered_set>

#include "ddb/model/number.h"

namespace ddb {

std::string_view AttrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kS:
      return "S";
    case AttrType::kN:
      return "N";
    case AttrType::kB:
      return "B";
    case AttrType::kBool:
      return "BOOL";
    case AttrType::kNull:
      return "NULL";
    case AttrType::kM:
      return "M";
    case AttrType::kL:
      return "L";
    case AttrType::kSS:
      return "SS";
    case AttrType::kNS:
      return "NS";
    case AttrType::kBS:
      return "BS";
  }
  return "";
}

bool ParseAttrTypeName(std::string_view name, AttrType* out) {
  static constexpr AttrType kAll[] = {AttrType::kS,    AttrType::kN, AttrType::kB, AttrType::kBool,
                                      AttrType::kNull, AttrType::kM, AttrType::kL, AttrType::kSS,
                                      AttrType::kNS,   AttrType::kBS};
  for (AttrType t : kAll) {
    if (AttrTypeName(t) == name) {
      *out = t;
      return true;
    }
  }
  return false;
}

AttributeValue AttributeValue::S(std::string v) {
  AttributeValue a;
  a.type = AttrType::kS;
  a.scalar = std::move(v);
  return a;
}
AttributeValue AttributeValue::N(std::string canonical) {
  AttributeValue a;
  a.type = AttrType::kN;
  a.scalar = std::move(canonical);
  return a;
}
AttributeValue AttributeValue::B(std::string bytes) {
  AttributeValue a;
  a.type = AttrType::kB;
  a.scalar = std::move(bytes);
  return a;
}
AttributeValue AttributeValue::Bool(bool v) {
  AttributeValue a;
  a.type = AttrType::kBool;
  a.boolean = v;
  return a;
}
AttributeValue AttributeValue::Null() {
  AttributeValue a;
  a.type = AttrType::kNull;
  a.boolean = true;
  return a;
}
AttributeValue AttributeValue::L(std::vector<AttributeValue> v) {
  AttributeValue a;
  a.type = AttrType::kL;
  a.list = std::move(v);
  return a;
}
AttributeValue AttributeValue::M(AttributeMap v) {
  AttributeValue a;
  a.type = AttrType::kM;
  a.map = std::move(v);
  return a;
}
AttributeValue AttributeValue::SS(std::vector<std::string> v) {
  AttributeValue a;
  a.type = AttrType::kSS;
  a.set = std::move(v);
  return a;
}
AttributeValue AttributeValue::NS(std::vector<std::string> canonical) {
  AttributeValue a;
  a.type = AttrType::kNS;
  a.set = std::move(canonical);
  return a;
}
AttributeValue AttributeValue::BS(std::vector<std::string> v) {
  AttributeValue a;
  a.type = AttrType::kBS;
  a.set = std::move(v);
  return a;
}

namespace {

// Members are unique (invariant), so equal sizes plus inclusion is equality.
bool SetsEqual(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  if (a.size() <= 16) {
    for (const std::string& x : a) {
      bool found = false;
      for (const std::string& y : b) {
        if (x == y) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  std::unordered_set<std::string_view> members(b.begin(), b.end());
  for (const std::string& x : a) {
    if (!members.count(x)) return false;
  }
  return true;
}

// The size DynamoDB charges for a number. DynamoDB stores the significant
// digits in base 100, pairs aligned on the decimal point, plus one byte of
// exponent and, for negative numbers, one terminator byte; zero takes 1 byte.
// This refines the Developer Guide's "1 byte per two significant digits + 1
// byte" and is what DynamoDB actually charges (dynalite's measured formula).
size_t NumberSize(std::string_view canonical) {
  if (canonical == "0") return 1;
  const bool neg = !canonical.empty() && canonical[0] == '-';
  // Position of the decimal point and the first/last significant digits, in
  // the digit sequence (ignoring '-' and '.').
  int64_t point = -1, first = -1, last = -1, idx = 0;
  for (char c : canonical) {
    if (c == '.') {
      point = idx;
      continue;
    }
    if (c < '0' || c > '9') continue;
    if (c != '0') {
      if (first < 0) first = idx;
      last = idx;
    }
    ++idx;
  }
  if (first < 0) return 1;
  if (point < 0) point = idx;
  const int64_t digits = last - first + 1;
  const int64_t sci = point - first - 1;  // exponent of the leading digit
  // Pairs start at even powers of ten: the leading digit shares its pair with
  // a zero when its exponent is even; count pairs covering [last, first].
  const int64_t low = sci - digits + 1;  // exponent of the last digit
  auto floor_div2 = [](int64_t x) { return x >= 0 ? x / 2 : -((-x + 1) / 2); };
  const int64_t pairs = floor_div2(sci) - floor_div2(low) + 1;
  return static_cast<size_t>(1 + pairs + (neg ? 1 : 0));
}

}  // namespace

bool operator==(const AttributeValue& a, const AttributeValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case AttrType::kS:
    case AttrType::kN:
    case AttrType::kB:
      return a.scalar == b.scalar;
    case AttrType::kBool:
      return a.boolean == b.boolean;
    case AttrType::kNull:
      return true;
    case AttrType::kL:
      return a.list == b.list;
    case AttrType::kM:
      return a.map == b.map;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS:
      return SetsEqual(a.set, b.set);
  }
  return false;
}

int CompareScalar(const AttributeValue& a, const AttributeValue& b) {
  if (a.type == AttrType::kN) return CompareNumbers(a.scalar, b.scalar);
  // std::string::compare uses char_traits<char>, which compares as unsigned
  // char: exactly DynamoDB's unsigned bytewise order for S (UTF-8) and B.
  int c = a.scalar.compare(b.scalar);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

size_t AttributeValueSize(const AttributeValue& v) {
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kB:
      return v.scalar.size();
    case AttrType::kN:
      return NumberSize(v.scalar);
    case AttrType::kBool:
    case AttrType::kNull:
      return 1;
    case AttrType::kL: {
      size_t size = 3;
      for (const AttributeValue& e : v.list) size += 1 + AttributeValueSize(e);
      return size;
    }
    case AttrType::kM: {
      size_t size = 3;
      for (const auto& [name, e] : v.map) size += 1 + name.size() + AttributeValueSize(e);
      return size;
    }
    case AttrType::kSS:
    case AttrType::kBS: {
      size_t size = 0;
      for (const std::string& m : v.set) size += m.size();
      return size;
    }
    case AttrType::kNS: {
      size_t size = 0;
      for (const std::string& m : v.set) size += NumberSize(m);
      return size;
    }
  }
  return 0;
}

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [name, v] : item) size += name.size() + AttributeValueSize(v);
  return size;
}

}  // namespace ddb
