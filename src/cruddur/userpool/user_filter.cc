#include "cruddur/userpool/user_filter.h"

#include <array>

#include "base/ascii.h"
#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

constexpr std::array<std::string_view, 10> kSearchable = {
    "username",   "email",       "phone_number",       "name",
    "given_name", "family_name", "preferred_username", "cognito:user_status",
    "status",     "sub"};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

base::Error ParseError() { return InvalidParameter("Error while parsing filter."); }

}  // namespace

base::Result<std::optional<UserFilter>> ParseUserFilter(std::string_view text) {
  size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && IsBlank(text[i])) ++i;
  };
  skip_blanks();
  if (i == text.size()) return std::optional<UserFilter>();

  UserFilter f;
  // The attribute name, optionally in double quotes.
  const bool quoted_name = text[i] == '"';
  if (quoted_name) ++i;
  const size_t name_start = i;
  while (i < text.size() && !IsBlank(text[i]) && text[i] != '=' && text[i] != '^' &&
         text[i] != '"') {
    ++i;
  }
  f.attribute = std::string(text.substr(name_start, i - name_start));
  if (quoted_name) {
    if (i >= text.size() || text[i] != '"') return ParseError();
    ++i;
  }
  if (f.attribute.empty()) return ParseError();
  skip_blanks();
  if (text.substr(i).starts_with("^=")) {
    f.prefix = true;
    i += 2;
  } else if (i < text.size() && text[i] == '=') {
    ++i;
  } else {
    return ParseError();
  }
  skip_blanks();
  if (i >= text.size() || text[i] != '"') return ParseError();
  ++i;
  bool closed = false;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '\\' && i < text.size()) {
      f.value.push_back(text[i++]);
    } else if (c == '"') {
      closed = true;
      break;
    } else {
      f.value.push_back(c);
    }
  }
  if (!closed) return ParseError();
  skip_blanks();
  if (i != text.size()) return ParseError();

  bool searchable = false;
  for (std::string_view s : kSearchable) searchable |= s == f.attribute;
  if (!searchable) return InvalidParameter("Invalid search attribute: " + f.attribute);
  return std::optional<UserFilter>(std::move(f));
}

bool Matches(const UserFilter& filter, const PoolUser& user) {
  std::string actual;
  std::string wanted = filter.value;
  if (filter.attribute == "username") {
    actual = user.username;
  } else if (filter.attribute == "cognito:user_status") {
    actual = base::AsciiLowercase(user.status);
    wanted = base::AsciiLowercase(wanted);
  } else if (filter.attribute == "status") {
    actual = user.enabled ? "Enabled" : "Disabled";
  } else if (filter.attribute == "email") {
    actual = base::AsciiLowercase(user.Attribute("email"));
    wanted = base::AsciiLowercase(wanted);
  } else {
    bool present = false;
    for (const auto& [name, value] : user.attributes) {
      if (name == filter.attribute) {
        actual = value;
        present = true;
      }
    }
    if (!present) return false;
  }
  return filter.prefix ? std::string_view(actual).starts_with(wanted) : actual == wanted;
}

}  // namespace cruddur::userpool
