// User attributes: the pool's schema (Cognito's standard attributes, plus the
// custom ones the pool declares), who may write which, value lengths, e-mail
// checks, and list helpers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace cruddur::userpool {

using AttributeList = std::vector<std::pair<std::string, std::string>>;

// Cognito's limits: 50 custom attributes a pool, names of 1 to 20
// characters, values of at most 2048 characters (standard and custom string
// attributes alike).
inline constexpr size_t kMaxCustomAttributes = 50;
inline constexpr size_t kMaxCustomAttributeNameChars = 20;
inline constexpr size_t kMaxAttributeValueChars = 2048;

// Who writes attributes: the app client for a user being created or
// confirmed (SignUp, challenge responses), a signed-in user changing their
// own (UpdateUserAttributes), or an administrator (AdminCreateUser,
// AdminUpdateUserAttributes, seeding).
enum class AttributeWriter { kClient, kUser, kAdmin };

// True for Cognito's standard attribute names (address, birthdate, email,
// email_verified, ..., sub, updated_at, website, zoneinfo).
bool IsStandardAttribute(std::string_view name);

// email_verified or phone_number_verified: "true" / "false" flags, stored
// lowercase, that only an administrator may write.
bool IsVerifiedFlag(std::string_view name);

// A plain e-mail address: one '@', a non-empty local part of at most 64
// bytes, a domain of dot-separated labels with at least two labels, no
// whitespace or control characters.
bool IsEmail(std::string_view text);

// Checks attributes someone is about to write, in order. Errors:
//   - sub: client -> NotAuthorizedException "A client attempted to write
//     unauthorized attribute"; user or admin -> InvalidParameterException
//     "Cannot modify the non-mutable attribute sub";
//   - email_verified / phone_number_verified from a client -> the same
//     NotAuthorizedException; from a user -> InvalidParameterException
//     "Cannot modify the non-mutable attribute <name>" (only a code verifies
//     them); from an admin, a value other than true/false ->
//     InvalidParameterException;
//   - "custom:<name>" where <name> is not in `custom_attributes` (the pool's
//     declared custom attributes, names without the prefix) ->
//     InvalidParameterException "Attributes did not conform to the schema:
//     Type for attribute {custom:<name>} could not be determined";
//   - any other name that is not standard -> InvalidParameterException
//     "Attributes did not conform to the schema: <name>: Attribute does not
//     exist in the schema.";
//   - a value longer than kMaxAttributeValueChars -> InvalidParameterException
//     "Attributes did not conform to the schema: <name>: String must be no
//     longer than 2048 characters";
//   - an email value that is not an e-mail -> InvalidParameterException
//     "Invalid email address format.".
base::Status CheckAttributeWrites(const AttributeList& attributes, AttributeWriter writer,
                                  const std::vector<std::string>& custom_attributes);

// OK, or InvalidParameterException naming the problem, for a pool's custom
// attribute declarations: at most kMaxCustomAttributes names, each 1 to 20
// characters without whitespace or control characters and without the
// "custom:" prefix, no duplicates.
base::Status CheckCustomAttributeNames(const std::vector<std::string>& names);

// The value of `name`, or nullptr.
const std::string* FindAttribute(const AttributeList& attributes, std::string_view name);

// Sets `name` to `value`, in place if present, else appended.
void SetAttribute(AttributeList& attributes, std::string_view name, std::string value);

// Cognito's masked delivery destination: "a***@e***" for "alice@example.com".
std::string MaskEmail(std::string_view email);

}  // namespace cruddur::userpool
