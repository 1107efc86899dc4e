// The two hashes SigV4 is built from: SHA-256 and HMAC-SHA256 (OpenSSL 3's
// EVP and EVP_MAC APIs), plus lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace aws {

// Raw 32-byte SHA-256 digest of `data`.
std::string Sha256(std::string_view data);

// Lowercase hex of the SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// Lowercase hex of arbitrary bytes.
std::string HexEncode(std::string_view bytes);

}  // namespace aws
