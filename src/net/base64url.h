// Base64url (RFC 4648 section 5) without padding, as JWTs and our
// pagination cursors use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace net {

// Encodes bytes with the URL-safe alphabet and no '=' padding.
std::string Base64UrlEncode(std::string_view bytes);

// Decodes unpadded base64url. Strict: returns nullopt on any character
// outside the alphabet (including '=' and whitespace), on a length of 4k+1,
// and on non-zero leftover bits (so each byte string has one encoding).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace net
