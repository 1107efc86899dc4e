// DynamoDB JSON decoding and encoding.
//
// Error precedence follows DynamoDB, which deserializes the whole request
// before validating it: a SerializationException anywhere in a value wins over
// a ValidationException anywhere else; among validation errors, the first in
// document order is reported. The decoder therefore stops at the first
// serialization error but only remembers the first validation error and keeps
// walking the structure.
//
// Sources for the wording: dynalite's test suite (recorded against DynamoDB)
// for the SerializationException texts ("NUMBER_VALUE cannot be converted to
// String", "Unexpected field type", base64 messages...) and the set / NULL /
// duplicate messages; dynoxide for the nesting-limit text.
#include "ddb/model/json_codec.h"

#include <optional>
#include <unordered_set>

#include "base/base64.h"
#include "ddb/model/number.h"

namespace ddb {
namespace {

// DynamoDB allows 32 levels counting M/L containers plus the leaf: the 32nd
// nested container is rejected.
constexpr int kMaxContainerDepth = 32;

constexpr char kStartOfMap[] = "Start of structure or map found where not expected";
constexpr char kUnexpectedFieldType[] = "Unexpected field type";
constexpr char kInvalidPrefix[] = "One or more parameter values were invalid: ";

// Kind of a JSON scalar as Jackson names it in DynamoDB's messages.
const char* ScalarTokenName(const rapidjson::Value& v) {
  if (v.IsTrue()) return "TRUE_VALUE";
  if (v.IsFalse()) return "FALSE_VALUE";
  if (v.IsDouble()) return "DECIMAL_VALUE";
  if (v.IsNumber()) return "NUMBER_VALUE";
  return "VALUE";
}

// Serialization message when `v` is not a JSON string where a String is
// expected, or nullopt if it is a string.
std::optional<std::string> StringTypeError(const rapidjson::Value& v) {
  if (v.IsString()) return std::nullopt;
  if (v.IsObject()) return std::string(kStartOfMap);
  if (v.IsArray()) return std::string("Unrecognized collection type class java.lang.String");
  return std::string(ScalarTokenName(v)) + " cannot be converted to String";
}

std::optional<std::string> BooleanTypeError(const rapidjson::Value& v) {
  if (v.IsBool()) return std::nullopt;
  if (v.IsObject()) return std::string(kStartOfMap);
  if (v.IsArray()) return std::string("Unrecognized collection type class java.lang.Boolean");
  if (v.IsString()) return std::string("Unexpected token received from parser");
  return std::string(ScalarTokenName(v)) + " cannot be converted to Boolean";
}

std::optional<std::string> BlobTypeError(const rapidjson::Value& v) {
  if (v.IsString()) return std::nullopt;
  if (v.IsObject()) return std::string(kStartOfMap);
  if (v.IsArray()) return std::string("Unrecognized collection type class java.nio.ByteBuffer");
  return std::string("only base-64-encoded strings are convertible to bytes");
}

std::optional<std::string> ListTypeError(const rapidjson::Value& v) {
  if (v.IsArray()) return std::nullopt;
  if (v.IsObject()) return std::string(kStartOfMap);
  return std::string(kUnexpectedFieldType);
}

std::optional<std::string> MapTypeError(const rapidjson::Value& v) {
  if (v.IsObject()) return std::nullopt;
  if (v.IsArray()) {
    return std::string(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  return std::string(kUnexpectedFieldType);
}

std::string_view View(const rapidjson::Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

// Strict RFC 4648 decoding (base/base64.h); on failure returns DynamoDB's message.
std::optional<std::string> Base64DecodeWithError(std::string_view text, std::string* out) {
  switch (base::Base64Decode(text, out)) {
    case base::Base64Problem::kNone:
      return std::nullopt;
    case base::Base64Problem::kLength:
      return "Base64 encoded length is expected a multiple of 4 bytes but found: " +
             std::to_string(text.size());
    case base::Base64Problem::kData:
      break;
  }
  return "Invalid last non-pad Base64 character dectected";
}

class Decoder {
 public:
  // The first serialization error stops decoding (returns false).
  std::optional<Error> serialization;
  // The first validation error; decoding continues to look for a
  // serialization error, which takes precedence.
  std::optional<Error> validation;
  // When `validation` is kInvalidPrefix + a reason: that reason (for
  // DecodeExpressionAttributeValue's rewording); else empty.
  std::string invalid_parameter_reason;

  bool Fail(std::string message) {
    serialization = Serialization(std::move(message));
    return false;
  }
  // An attribute name (item or map key) longer than DynamoDB allows.
  void CheckName(const rapidjson::Value& name) {
    if (name.GetStringLength() > kMaxAttributeNameBytes) Invalid(AttributeNameTooLargeMessage());
  }
  void Invalid(std::string message) {
    if (!validation) validation = Validation(std::move(message));
  }
  // "One or more parameter values were invalid: <reason>".
  void InvalidParameter(std::string reason) {
    if (validation) return;
    validation = Validation(kInvalidPrefix + reason);
    invalid_parameter_reason = std::move(reason);
  }

  // `depth` is the number of M/L containers enclosing `json`.
  bool Value(const rapidjson::Value& json, int depth, AttributeValue* out) {
    if (json.IsNull()) {
      Invalid(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
      return true;
    }
    if (!json.IsObject()) {
      if (json.IsArray()) {
        return Fail(
            "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
      }
      return Fail("Unexpected value type in payload");
    }
    int types = 0;
    for (auto it = json.MemberBegin(); it != json.MemberEnd(); ++it) {
      const rapidjson::Value& v = it->value;
      if (v.IsNull()) continue;  // a null member is an absent member
      AttrType type;
      if (!ParseAttrTypeName(View(it->name), &type)) continue;  // unknown members are ignored
      ++types;
      out->type = type;
      if (!Member(type, v, depth, out)) return false;
    }
    if (types == 0) {
      Invalid(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    } else if (types > 1) {
      Invalid(
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
          "the supported datatypes");
    }
    return true;
  }

 private:
  bool Member(AttrType type, const rapidjson::Value& v, int depth, AttributeValue* out) {
    switch (type) {
      case AttrType::kS:
        if (auto e = StringTypeError(v)) return Fail(*e);
        out->scalar.assign(v.GetString(), v.GetStringLength());
        return true;
      case AttrType::kN: {
        if (auto e = StringTypeError(v)) return Fail(*e);
        Result<std::string> n = NormalizeNumber(View(v));
        if (n.ok()) {
          out->scalar = std::move(n).value();
        } else {
          Invalid(n.error().message);
        }
        return true;
      }
      case AttrType::kB:
        if (auto e = BlobTypeError(v)) return Fail(*e);
        if (auto e = Base64DecodeWithError(View(v), &out->scalar)) return Fail(*e);
        return true;
      case AttrType::kBool:
        if (auto e = BooleanTypeError(v)) return Fail(*e);
        out->boolean = v.GetBool();
        return true;
      case AttrType::kNull:
        if (auto e = BooleanTypeError(v)) return Fail(*e);
        out->boolean = true;
        if (!v.GetBool()) {
          InvalidParameter("Null attribute value types must have the value of true");
        }
        return true;
      case AttrType::kSS:
        return StringSet(v, out);
      case AttrType::kNS:
        return NumberSet(v, out);
      case AttrType::kBS:
        return BinarySet(v, out);
      case AttrType::kL: {
        if (auto e = ListTypeError(v)) return Fail(*e);
        if (depth + 1 >= kMaxContainerDepth) return TooDeep();
        out->list.clear();
        out->list.resize(v.Size());
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
          if (!Value(v[i], depth + 1, &out->list[i])) return false;
        }
        return true;
      }
      case AttrType::kM: {
        if (auto e = MapTypeError(v)) return Fail(*e);
        if (depth + 1 >= kMaxContainerDepth) return TooDeep();
        out->map.clear();
        for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
          AttributeValue child;
          CheckName(it->name);
          if (!Value(it->value, depth + 1, &child)) return false;
          out->map.insert_or_assign(std::string(View(it->name)), std::move(child));
        }
        return true;
      }
    }
    return true;
  }

  // Deeper levels are not walked (bounded recursion); the request is invalid
  // anyway.
  bool TooDeep() {
    Invalid(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
        "beyond supported limit");
    return true;
  }

  static std::string Collection(const rapidjson::Value& arr) {
    std::string s = "[";
    for (rapidjson::SizeType i = 0; i < arr.Size(); ++i) {
      if (i) s += ", ";
      if (arr[i].IsString()) s.append(arr[i].GetString(), arr[i].GetStringLength());
    }
    s += "]";
    return s;
  }

  static bool HasDuplicates(const std::vector<std::string>& members) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(members.size());
    for (const std::string& m : members) {
      if (!seen.insert(m).second) return true;
    }
    return false;
  }

  bool StringSet(const rapidjson::Value& v, AttributeValue* out) {
    if (auto e = ListTypeError(v)) return Fail(*e);
    out->set.clear();
    out->set.reserve(v.Size());
    bool has_null = false;
    for (const rapidjson::Value& m : v.GetArray()) {
      if (m.IsNull()) {
        has_null = true;
        continue;
      }
      if (auto e = StringTypeError(m)) return Fail(*e);
      out->set.emplace_back(m.GetString(), m.GetStringLength());
    }
    if (v.Empty()) {
      InvalidParameter("An string set  may not be empty");
    } else if (has_null) {
      InvalidParameter("An string set may not have a null string as a member");
    } else if (HasDuplicates(out->set)) {
      InvalidParameter("Input collection " + Collection(v) + " contains duplicates.");
    }
    return true;
  }

  bool NumberSet(const rapidjson::Value& v, AttributeValue* out) {
    if (auto e = ListTypeError(v)) return Fail(*e);
    out->set.clear();
    out->set.reserve(v.Size());
    std::optional<std::string> number_error;
    for (const rapidjson::Value& m : v.GetArray()) {
      if (m.IsNull()) {
        if (!number_error) number_error = "The parameter cannot be converted to a numeric value";
        continue;
      }
      if (auto e = StringTypeError(m)) return Fail(*e);
      Result<std::string> n = NormalizeNumber(View(m));
      if (n.ok()) {
        out->set.push_back(std::move(n).value());
      } else if (!number_error) {
        number_error = n.error().message;
      }
    }
    if (v.Empty()) {
      InvalidParameter("An number set  may not be empty");
    } else if (number_error) {
      Invalid(*number_error);
    } else if (HasDuplicates(out->set)) {
      Invalid("Input collection contains duplicates");
    }
    return true;
  }

  bool BinarySet(const rapidjson::Value& v, AttributeValue* out) {
    if (auto e = ListTypeError(v)) return Fail(*e);
    out->set.clear();
    out->set.reserve(v.Size());
    bool has_null = false;
    for (const rapidjson::Value& m : v.GetArray()) {
      if (m.IsNull()) {
        has_null = true;
        continue;
      }
      if (auto e = BlobTypeError(m)) return Fail(*e);
      std::string bytes;
      if (auto e = Base64DecodeWithError(View(m), &bytes)) return Fail(*e);
      out->set.push_back(std::move(bytes));
    }
    if (v.Empty()) {
      InvalidParameter("Binary sets should not be empty");
    } else if (has_null) {
      InvalidParameter("Binary sets may not contain null or empty values");
    } else if (HasDuplicates(out->set)) {
      InvalidParameter("Input collection " + Collection(v) + "of type BS contains duplicates.");
    }
    return true;
  }
};

void WriteString(std::string_view s, JsonWriter& w) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void WriteBase64(std::string_view bytes, JsonWriter& w) {
  std::string text = base::Base64Encode(bytes);
  WriteString(text, w);
}

}  // namespace

Result<AttributeValue> DecodeAttributeValue(const rapidjson::Value& json) {
  Decoder d;
  AttributeValue v;
  d.Value(json, 0, &v);
  if (d.serialization) return std::move(*d.serialization);
  if (d.validation) return std::move(*d.validation);
  return v;
}

Result<AttributeValue> DecodeExpressionAttributeValue(const rapidjson::Value& json,
                                                      std::string_view key) {
  Decoder d;
  AttributeValue v;
  d.Value(json, 0, &v);
  if (d.serialization) return std::move(*d.serialization);
  if (d.validation) {
    if (d.invalid_parameter_reason.empty()) return std::move(*d.validation);
    return Validation("ExpressionAttributeValues contains invalid value: " +
                      d.invalid_parameter_reason + " for key " + std::string(key));
  }
  return v;
}

std::string AttributeNameTooLargeMessage() {
  // DynamoDB's wording, measured against the service (its number is the
  // first size refused).
  return "1 validation error detected: Attribute name is too large, must be less than " +
         std::to_string(kMaxAttributeNameBytes + 1) + " bytes";
}

Result<Item> DecodeItem(const rapidjson::Value& json) {
  Item item;
  if (json.IsNull()) return item;
  if (auto e = MapTypeError(json)) return Serialization(*e);
  Decoder d;
  for (auto it = json.MemberBegin(); it != json.MemberEnd(); ++it) {
    AttributeValue v;
    d.CheckName(it->name);
    if (!d.Value(it->value, 0, &v)) break;
    item.insert_or_assign(std::string(View(it->name)), std::move(v));
  }
  if (d.serialization) return std::move(*d.serialization);
  if (d.validation) return std::move(*d.validation);
  return item;
}

void EncodeAttributeValue(const AttributeValue& v, JsonWriter& w) {
  w.StartObject();
  std::string_view name = AttrTypeName(v.type);
  w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kN:
      WriteString(v.scalar, w);
      break;
    case AttrType::kB:
      WriteBase64(v.scalar, w);
      break;
    case AttrType::kBool:
      w.Bool(v.boolean);
      break;
    case AttrType::kNull:
      w.Bool(true);
      break;
    case AttrType::kL:
      w.StartArray();
      for (const AttributeValue& e : v.list) EncodeAttributeValue(e, w);
      w.EndArray();
      break;
    case AttrType::kM:
      EncodeItem(v.map, w);
      break;
    case AttrType::kSS:
    case AttrType::kNS:
      w.StartArray();
      for (const std::string& m : v.set) WriteString(m, w);
      w.EndArray();
      break;
    case AttrType::kBS:
      w.StartArray();
      for (const std::string& m : v.set) WriteBase64(m, w);
      w.EndArray();
      break;
  }
  w.EndObject();
}

void EncodeItem(const Item& item, JsonWriter& w) {
  w.StartObject();
  for (const auto& [name, v] : item) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    EncodeAttributeValue(v, w);
  }
  w.EndObject();
}

std::string ItemToJson(const Item& item) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  EncodeItem(item, w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace ddb
