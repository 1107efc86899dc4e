// ListUsers' Filter: `<attribute> = "<value>"` (exact) or `<attribute> ^=
// "<value>"` (prefix), one attribute, as Cognito's documentation describes.
//
// Searchable: username, email, phone_number, name, given_name, family_name,
// preferred_username, cognito:user_status (the UserStatus, case-insensitive),
// status ("Enabled" / "Disabled"), sub. email also compares case-insensitively
// (the pool's e-mails are); the others are case-sensitive.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/userpool/pool_types.h"

namespace cruddur::userpool {

struct UserFilter {
  std::string attribute;
  bool prefix = false;  // ^= rather than =
  std::string value;
};

// nullopt for an empty (or all-blank) filter: every user matches. Errors,
// InvalidParameterException: "Error while parsing filter." for any other
// shape (backslash escapes \" and \\ are allowed in the value); "Invalid
// search attribute: <name>" for an attribute not searchable.
base::Result<std::optional<UserFilter>> ParseUserFilter(std::string_view text);

bool Matches(const UserFilter& filter, const PoolUser& user);

}  // namespace cruddur::userpool
