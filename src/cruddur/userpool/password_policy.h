// Cognito's default user-pool password policy: at least 8 characters, with an
// uppercase letter, a lowercase letter, a digit and a symbol.
#pragma once

#include <string_view>

#include "base/error.h"

namespace cruddur::userpool {

inline constexpr int kMinPasswordLength = 8;

// The characters Cognito counts as symbols (its documented list, plus space).
inline constexpr std::string_view kPasswordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

// OK, or InvalidPasswordException "Password did not conform with policy: ..."
// naming the first rule broken, checked in this order: "Password not long
// enough", "Password must have uppercase characters", "... lowercase ...",
// "... numeric ...", "... symbol characters". Length counts characters
// (UTF-8 code points); the letter and digit classes are ASCII, as Cognito's.
base::Status CheckPasswordPolicy(std::string_view password);

}  // namespace cruddur::userpool
