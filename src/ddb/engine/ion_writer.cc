#include "ddb/engine/ion_writer.h"

#include <cstdio>

#include "base/base64.h"

namespace ddb::ion {
namespace {

bool IdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}
bool IdentifierPart(char c) { return IdentifierStart(c) || (c >= '0' && c <= '9'); }

// A name that can be written as a bare symbol: an identifier that is neither
// a keyword nor a symbol id ($ followed by digits only).
bool BareSymbol(std::string_view s) {
  if (s.empty() || !IdentifierStart(s[0])) return false;
  for (char c : s) {
    if (!IdentifierPart(c)) return false;
  }
  if (s == "null" || s == "true" || s == "false" || s == "nan") return false;
  if (s[0] == '$' && s.size() > 1 &&
      s.find_first_not_of("0123456789", 1) == std::string_view::npos) {
    return false;
  }
  return true;
}

// Appends `s` between `quote` characters, escaping the quote, '\' and
// control characters (other bytes, UTF-8 included, as they are).
void AppendQuoted(std::string_view s, char quote, std::string* out) {
  out->push_back(quote);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == quote || ch == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (c < 0x20 || c == 0x7f) {
      switch (ch) {
        case '\n':
          out->append("\\n");
          break;
        case '\t':
          out->append("\\t");
          break;
        case '\r':
          out->append("\\r");
          break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out->append(buf);
        }
      }
    } else {
      out->push_back(ch);
    }
  }
  out->push_back(quote);
}

void AppendAnnotatedSet(std::string_view annotation, const AttributeValue& v, std::string* out) {
  out->append(annotation);
  out->append("::[");
  for (size_t i = 0; i < v.set.size(); ++i) {
    if (i) out->push_back(',');
    if (v.type == AttrType::kSS) {
      AppendString(v.set[i], out);
    } else if (v.type == AttrType::kNS) {
      AppendDecimal(v.set[i], out);
    } else {
      AppendBlob(v.set[i], out);
    }
  }
  out->push_back(']');
}

}  // namespace

void AppendString(std::string_view s, std::string* out) { AppendQuoted(s, '"', out); }

void AppendFieldName(std::string_view name, std::string* out) {
  if (BareSymbol(name)) {
    out->append(name);
  } else {
    AppendQuoted(name, '\'', out);
  }
  out->push_back(':');
}

void AppendDecimal(std::string_view canonical, std::string* out) {
  // Canonical text: [-]digits[.digits], no exponent (number.h).
  std::string_view t = canonical;
  bool neg = false;
  if (!t.empty() && t[0] == '-') {
    neg = true;
    t.remove_prefix(1);
  }
  std::string digits;
  long long exponent = 0;
  bool fraction = false;
  for (char c : t) {
    if (c == '.') {
      fraction = true;
      continue;
    }
    digits.push_back(c);
    if (fraction) --exponent;
  }
  // The coefficient without leading or trailing zeros (the exponent moves).
  size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    out->append("0.");
    return;
  }
  digits.erase(0, lead);
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (neg) out->push_back('-');
  const auto n = static_cast<long long>(digits.size());
  if (exponent == 0) {
    out->append(digits);
    out->push_back('.');
  } else if (exponent > 0) {
    out->append(digits);
    out->push_back('d');
    out->append(std::to_string(exponent));
  } else {
    const long long scale = -exponent;
    const long long adjusted = n - 1 - scale;
    if (scale < n) {  // the point falls among the digits
      out->append(digits, 0, static_cast<size_t>(n - scale));
      out->push_back('.');
      out->append(digits, static_cast<size_t>(n - scale));
    } else if (adjusted >= -6) {  // a small number: 0.000ddd
      out->append("0.");
      out->append(static_cast<size_t>(scale - n), '0');
      out->append(digits);
    } else {  // d.ddd d-NN
      out->push_back(digits[0]);
      if (n > 1) {
        out->push_back('.');
        out->append(digits, 1);
      }
      out->push_back('d');
      out->append(std::to_string(adjusted));
    }
  }
}

void AppendBlob(std::string_view bytes, std::string* out) {
  out->append("{{");
  out->append(base::Base64Encode(bytes));
  out->append("}}");
}

void AppendStruct(const Item& item, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out->push_back(',');
    first = false;
    AppendFieldName(name, out);
    AppendValue(value, out);
  }
  out->push_back('}');
}

void AppendValue(const AttributeValue& v, std::string* out) {
  switch (v.type) {
    case AttrType::kS:
      AppendString(v.scalar, out);
      return;
    case AttrType::kN:
      AppendDecimal(v.scalar, out);
      return;
    case AttrType::kB:
      AppendBlob(v.scalar, out);
      return;
    case AttrType::kBool:
      out->append(v.boolean ? "true" : "false");
      return;
    case AttrType::kNull:
      out->append("null");
      return;
    case AttrType::kSS:
      AppendAnnotatedSet("$dynamodb_SS", v, out);
      return;
    case AttrType::kNS:
      AppendAnnotatedSet("$dynamodb_NS", v, out);
      return;
    case AttrType::kBS:
      AppendAnnotatedSet("$dynamodb_BS", v, out);
      return;
    case AttrType::kL:
      out->push_back('[');
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out->push_back(',');
        AppendValue(v.list[i], out);
      }
      out->push_back(']');
      return;
    case AttrType::kM:
      AppendStruct(v.map, out);
      return;
  }
}

}  // namespace ddb::ion
