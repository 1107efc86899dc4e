#include "cruddur/userpool/request.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "base/bounded_json.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

// Deepest JSON nesting a pool request may have (its real shapes need 3).
constexpr unsigned kMaxJsonDepth = 16;

// Longer non-sensitive values are not echoed in validation messages.
constexpr size_t kMaxEchoBytes = 256;

std::string_view PatternText(Pattern p) {
  switch (p) {
    case Pattern::kPrintable:
      return R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)";
    case Pattern::kNonSpace:
      return R"([\S]+)";
    case Pattern::kWord:
      return R"([\w+]+)";
    case Pattern::kPoolId:
      return R"([\w-]+_[0-9a-zA-Z]+)";
    case Pattern::kToken:
      return R"([A-Za-z0-9-_=.]+)";
    case Pattern::kNone:
      break;
  }
  return "";
}

// Decodes the UTF-8 code point at text[i] (the text is valid UTF-8: the
// parser checked) and advances i.
uint32_t NextCodePoint(std::string_view text, size_t& i) {
  const auto b = static_cast<unsigned char>(text[i++]);
  int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  uint32_t cp = extra == 3 ? b & 0x07 : extra == 2 ? b & 0x0F : extra == 1 ? b & 0x1F : b;
  while (extra-- > 0 && i < text.size()) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return cp;
}

size_t CountChars(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Letters, marks, symbols, numbers, punctuation: everything but controls,
// separators and (the common) format characters.
bool IsPrintable(uint32_t cp) {
  if (cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) return false;
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F)) {
    return false;
  }
  if ((cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF) return false;
  return true;
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsJavaSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\x0B' || c == '\f' || c == '\r';
}

bool MatchesPattern(std::string_view v, Pattern p) {
  if (p == Pattern::kNone) return true;
  if (v.empty()) return false;  // every pattern is "...+"
  switch (p) {
    case Pattern::kPrintable:
      for (size_t i = 0; i < v.size();) {
        if (!IsPrintable(NextCodePoint(v, i))) return false;
      }
      return true;
    case Pattern::kNonSpace:
      for (char c : v) {
        if (IsJavaSpace(c)) return false;
      }
      return true;
    case Pattern::kWord:
      for (char c : v) {
        if (!IsAsciiAlnum(c) && c != '_' && c != '+') return false;
      }
      return true;
    case Pattern::kPoolId: {
      // [\w-]+ then '_' then [0-9a-zA-Z]+: the last '_' splits the two.
      const size_t us = v.rfind('_');
      if (us == std::string_view::npos || us == 0 || us + 1 == v.size()) return false;
      for (size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (i < us ? !(IsAsciiAlnum(c) || c == '_' || c == '-') : i > us && !IsAsciiAlnum(c)) {
          return false;
        }
      }
      return true;
    }
    case Pattern::kToken:
      for (char c : v) {
        if (!IsAsciiAlnum(c) && c != '-' && c != '_' && c != '=' && c != '.') return false;
      }
      return true;
    case Pattern::kNone:
      break;
  }
  return true;
}

std::string_view JsonTypeName(const rapidjson::Value& v) {
  if (v.IsString()) return "a string";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsArray()) return "a list";
  if (v.IsObject()) return "a structure";
  return "null";
}

std::string_view View(const rapidjson::Value& v) {
  return std::string_view(v.GetString(), v.GetStringLength());
}

}  // namespace

bool MatchesShape(std::string_view value, const StringShape& shape) {
  const size_t chars = CountChars(value);
  return chars >= static_cast<size_t>(shape.min_length) &&
         (shape.max_length < 0 || chars <= static_cast<size_t>(shape.max_length)) &&
         MatchesPattern(value, shape.pattern);
}

std::string MemberPath(std::string_view member) {
  std::string out(member);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

Request::Request() = default;
Request::~Request() = default;

base::Status Request::Parse(std::string_view body) {
  doc_ = std::make_unique<rapidjson::Document>();
  size_t first = 0;
  while (first < body.size() && IsJavaSpace(body[first])) ++first;
  if (first == body.size()) {
    doc_->SetObject();
    return base::Status::Ok();
  }
  // Cognito's requests are shallow (UserAttributes is two levels deep): the
  // depth limit is enforced while parsing, so a hostile body costs no more
  // memory than its bytes and nothing later recurses deep.
  const base::JsonParseOutcome parsed =
      base::ParseBoundedJson<rapidjson::kParseValidateEncodingFlag>(doc_.get(), body,
                                                                    kMaxJsonDepth);
  if (!parsed.ok()) {
    doc_->SetObject();
    if (parsed.too_deep) {
      return PoolError(kSerialization,
                       "Could not parse the request body as JSON: nested deeper than " +
                           std::to_string(kMaxJsonDepth) + " levels");
    }
    return PoolError(kSerialization, std::string("Could not parse the request body as JSON: ") +
                                         rapidjson::GetParseError_En(parsed.error) +
                                         " (at offset " + std::to_string(parsed.offset) + ")");
  }
  if (!doc_->IsObject()) {
    std::string got(JsonTypeName(*doc_));
    doc_->SetObject();
    return PoolError(kSerialization, "The request body must be a JSON object, not " + got);
  }
  return base::Status::Ok();
}

const rapidjson::Value* Request::Member(std::string_view member) const {
  if (!doc_ || !doc_->IsObject()) return nullptr;
  rapidjson::Value key(rapidjson::StringRef(member.data(), member.size()));
  auto it = doc_->FindMember(key);
  if (it == doc_->MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

void Request::TypeError(std::string_view member, std::string_view expected) {
  if (serialization_error_) return;
  const rapidjson::Value* v = Member(member);
  serialization_error_ = PoolError(kSerialization, "Member '" + std::string(member) + "' must be " +
                                                       std::string(expected) + ", not " +
                                                       std::string(v ? JsonTypeName(*v) : "null"));
}

void Request::Missing(std::string_view path) {
  violations_.push_back("Value null at '" + std::string(path) +
                        "' failed to satisfy constraint: Member must not be null");
}

void Request::Validate(std::string_view path, std::string_view value, const StringShape& shape) {
  auto add = [&](const std::string& constraint) {
    std::string subject = shape.sensitive || value.size() > kMaxEchoBytes
                              ? "Value"
                              : "Value '" + std::string(value) + "'";
    violations_.push_back(subject + " at '" + std::string(path) +
                          "' failed to satisfy constraint: Member must " + constraint);
  };
  const size_t chars = CountChars(value);
  if (chars < static_cast<size_t>(shape.min_length)) {
    add("have length greater than or equal to " + std::to_string(shape.min_length));
  }
  if (shape.max_length >= 0 && chars > static_cast<size_t>(shape.max_length)) {
    add("have length less than or equal to " + std::to_string(shape.max_length));
  }
  if (!MatchesPattern(value, shape.pattern)) {
    add("satisfy regular expression pattern: " + std::string(PatternText(shape.pattern)));
  }
}

const rapidjson::Value* Request::StringMember(std::string_view member, bool required) {
  const rapidjson::Value* v = Member(member);
  if (!v) {
    if (required) Missing(MemberPath(member));
    return nullptr;
  }
  if (!v->IsString()) {
    TypeError(member, "a string");
    return nullptr;
  }
  return v;
}

std::optional<std::string> Request::String(std::string_view member, const StringShape& shape,
                                           bool required) {
  const rapidjson::Value* v = StringMember(member, required);
  if (!v) return std::nullopt;
  const size_t before = violations_.size();
  Validate(MemberPath(member), View(*v), shape);
  if (violations_.size() != before) return std::nullopt;
  return std::string(View(*v));
}

std::optional<std::string> Request::Enum(std::string_view member,
                                         std::initializer_list<std::string_view> values,
                                         bool required) {
  const rapidjson::Value* v = StringMember(member, required);
  if (!v) return std::nullopt;
  const std::string_view s = View(*v);
  for (std::string_view allowed : values) {
    if (s == allowed) return std::string(s);
  }
  std::string set;
  for (std::string_view allowed : values) {
    if (!set.empty()) set += ", ";
    set += allowed;
  }
  std::string subject = s.size() > kMaxEchoBytes ? "Value" : "Value '" + std::string(s) + "'";
  violations_.push_back(subject + " at '" + MemberPath(member) +
                        "' failed to satisfy constraint: Member must satisfy enum value set: [" +
                        set + "]");
  return std::nullopt;
}

std::optional<bool> Request::Bool(std::string_view member) {
  const rapidjson::Value* v = Member(member);
  if (!v) return std::nullopt;
  if (!v->IsBool()) {
    TypeError(member, "a boolean");
    return std::nullopt;
  }
  return v->GetBool();
}

std::optional<int64_t> Request::Int(std::string_view member, int64_t min, int64_t max) {
  const rapidjson::Value* v = Member(member);
  if (!v) return std::nullopt;
  if (!v->IsInt64()) {
    TypeError(member, "an integer");
    return std::nullopt;
  }
  const int64_t n = v->GetInt64();
  const std::string subject = "Value '" + std::to_string(n) + "' at '" + MemberPath(member) +
                              "' failed to satisfy constraint: ";
  if (n < min) {
    violations_.push_back(subject + "Member must have value greater than or equal to " +
                          std::to_string(min));
    return std::nullopt;
  }
  if (n > max) {
    violations_.push_back(subject + "Member must have value less than or equal to " +
                          std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<AttributeList> Request::Attributes(std::string_view member, bool required) {
  const rapidjson::Value* v = Member(member);
  if (!v) {
    if (required) Missing(MemberPath(member));
    return std::nullopt;
  }
  if (!v->IsArray()) {
    TypeError(member, "a list");
    return std::nullopt;
  }
  AttributeList out;
  bool ok = true;
  size_t index = 0;
  for (const auto& item : v->GetArray()) {
    const std::string path = MemberPath(member) + "." + std::to_string(++index) + ".member";
    if (!item.IsObject()) {
      if (!serialization_error_) {
        serialization_error_ = PoolError(kSerialization, "Items of '" + std::string(member) +
                                                             "' must be structures, not " +
                                                             std::string(JsonTypeName(item)));
      }
      ok = false;
      continue;
    }
    auto name = item.FindMember("Name");
    auto value = item.FindMember("Value");
    const bool has_name = name != item.MemberEnd() && !name->value.IsNull();
    const bool has_value = value != item.MemberEnd() && !value->value.IsNull();
    if ((has_name && !name->value.IsString()) || (has_value && !value->value.IsString())) {
      if (!serialization_error_) {
        serialization_error_ = PoolError(
            kSerialization, "Name and Value of '" + std::string(member) + "' must be strings");
      }
      ok = false;
      continue;
    }
    const size_t before = violations_.size();
    if (!has_name) {
      Missing(path + ".name");
    } else {
      Validate(path + ".name", View(name->value), shape::kAttributeName);
    }
    if (has_value) Validate(path + ".value", View(value->value), shape::kAttributeValue);
    if (violations_.size() != before) {
      ok = false;
      continue;
    }
    out.emplace_back(std::string(View(name->value)),
                     has_value ? std::string(View(value->value)) : std::string());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<AttributeList> Request::StringMap(std::string_view member) {
  const rapidjson::Value* v = Member(member);
  if (!v) return std::nullopt;
  if (!v->IsObject()) {
    TypeError(member, "a map");
    return std::nullopt;
  }
  AttributeList out;
  for (const auto& m : v->GetObject()) {
    if (!m.value.IsString()) {
      if (!serialization_error_) {
        serialization_error_ = PoolError(kSerialization, "Values of '" + std::string(member) +
                                                             "' must be strings, not " +
                                                             std::string(JsonTypeName(m.value)));
      }
      return std::nullopt;
    }
    out.emplace_back(std::string(View(m.name)), std::string(View(m.value)));
  }
  return out;
}

std::optional<std::vector<std::string>> Request::StringList(std::string_view member,
                                                            const StringShape& each) {
  const rapidjson::Value* v = Member(member);
  if (!v) return std::nullopt;
  if (!v->IsArray()) {
    TypeError(member, "a list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const size_t before = violations_.size();
  size_t index = 0;
  for (const auto& item : v->GetArray()) {
    ++index;
    if (!item.IsString()) {
      if (!serialization_error_) {
        serialization_error_ = PoolError(kSerialization, "Items of '" + std::string(member) +
                                                             "' must be strings, not " +
                                                             std::string(JsonTypeName(item)));
      }
      return std::nullopt;
    }
    Validate(MemberPath(member) + "." + std::to_string(index) + ".member", View(item), each);
    out.emplace_back(View(item));
  }
  if (violations_.size() != before) return std::nullopt;
  return out;
}

base::Status Request::Check() const {
  if (serialization_error_) return *serialization_error_;
  if (violations_.empty()) return base::Status::Ok();
  std::string msg =
      std::to_string(violations_.size()) +
      (violations_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  // A request with thousands of bad items gets a readable message.
  constexpr size_t kMaxListed = 10;
  for (size_t i = 0; i < violations_.size() && i < kMaxListed; ++i) {
    if (i > 0) msg += "; ";
    msg += violations_[i];
  }
  if (violations_.size() > kMaxListed) msg += "; ...";
  return InvalidParameter(std::move(msg));
}

}  // namespace cruddur::userpool
