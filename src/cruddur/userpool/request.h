// Request: one operation's JSON input, read member by member against the
// botocore model's constraints, with Cognito's error wording.
//
// Usage: Parse the body, read every member the operation takes, then Check().
// Readers never fail on their own; they record problems and return nullopt:
//   - a member of the wrong JSON type -> SerializationException (first one);
//   - a required member absent (or null) or a value breaking a length,
//     pattern, range or enum constraint -> InvalidParameterException
//     "N validation error(s) detected: Value 'x' at 'member' failed to satisfy
//     constraint: Member must ...; ..." (sensitive members are not echoed:
//     "Value at 'password' failed ..."). Member paths are lowerCamelCase, list
//     items 1-based: 'userAttributes.2.member.name'.
// Unknown members are ignored, as the real service does.
#pragma once

#include <rapidjson/fwd.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "cruddur/userpool/attributes.h"

namespace cruddur::userpool {

// The patterns of the model's string shapes.
enum class Pattern {
  kNone,
  kPrintable,  // [\p{L}\p{M}\p{S}\p{N}\p{P}]+ : no whitespace or control characters
  kNonSpace,   // [\S]+
  kWord,       // [\w+]+
  kPoolId,     // [\w-]+_[0-9a-zA-Z]+
  kToken,      // [A-Za-z0-9-_=.]+
};

struct StringShape {
  int min_length = 0;   // in characters
  int max_length = -1;  // -1: no limit
  Pattern pattern = Pattern::kNone;
  bool sensitive = false;  // not echoed in validation messages
};

// The model's shapes for the members the pool reads.
namespace shape {
inline constexpr StringShape kClientId{1, 128, Pattern::kWord, true};
inline constexpr StringShape kUserPoolId{1, 55, Pattern::kPoolId, false};
inline constexpr StringShape kUsername{1, 128, Pattern::kPrintable, true};
inline constexpr StringShape kPassword{0, 256, Pattern::kNonSpace, true};
inline constexpr StringShape kConfirmationCode{1, 2048, Pattern::kNonSpace, false};
inline constexpr StringShape kAccessToken{0, -1, Pattern::kToken, true};
inline constexpr StringShape kSession{20, 2048, Pattern::kNone, false};
inline constexpr StringShape kAttributeName{1, 32, Pattern::kPrintable, false};
inline constexpr StringShape kAttributeValue{0, 2048, Pattern::kNone, true};
inline constexpr StringShape kFilter{0, 256, Pattern::kNone, false};
inline constexpr StringShape kPaginationToken{1, -1, Pattern::kNonSpace, false};
inline constexpr StringShape kSecretHash{1, 128, Pattern::kNone, true};
inline constexpr StringShape kClientSecret{1, 64, Pattern::kWord, true};
}  // namespace shape

class Request {
 public:
  Request();
  ~Request();
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  // Parses `body` (empty or all-whitespace reads as {}). SerializationException
  // if it is not JSON (or not valid UTF-8) or not an object.
  base::Status Parse(std::string_view body);

  // A string member.
  std::optional<std::string> String(std::string_view member, const StringShape& shape,
                                    bool required = false);
  // A string member that must be one of `values`.
  std::optional<std::string> Enum(std::string_view member,
                                  std::initializer_list<std::string_view> values,
                                  bool required = false);
  std::optional<bool> Bool(std::string_view member);
  // An integer member in [min, max].
  std::optional<int64_t> Int(std::string_view member, int64_t min, int64_t max);
  // A list of {"Name": .., "Value": ..} (AttributeListType); a missing Value
  // reads as "".
  std::optional<AttributeList> Attributes(std::string_view member, bool required = false);
  // A map of strings to strings (e.g. AuthParameters), in document order.
  std::optional<AttributeList> StringMap(std::string_view member);
  // A list of strings, each of `each` shape.
  std::optional<std::vector<std::string>> StringList(std::string_view member,
                                                     const StringShape& each);

  // OK if every read succeeded; else the first SerializationException, or
  // one InvalidParameterException listing every violation.
  base::Status Check() const;

 private:
  using Value = rapidjson::Value;

  // The member's value, or nullptr if absent or JSON null.
  const Value* Member(std::string_view member) const;
  // The member if it is a string; else nullptr, having recorded a missing
  // required member or a type error.
  const Value* StringMember(std::string_view member, bool required);
  void TypeError(std::string_view member, std::string_view expected);
  void Missing(std::string_view path);
  void Validate(std::string_view path, std::string_view value, const StringShape& shape);

  std::unique_ptr<rapidjson::Document> doc_;
  std::optional<base::Error> serialization_error_;
  std::vector<std::string> violations_;
};

// True iff `value` satisfies the shape's length and pattern constraints.
bool MatchesShape(std::string_view value, const StringShape& shape);

// The member name as Cognito's messages spell it: "UserPoolId" -> "userPoolId".
std::string MemberPath(std::string_view member);

}  // namespace cruddur::userpool
