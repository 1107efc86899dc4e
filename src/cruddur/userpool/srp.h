// SRP-6a as Amazon Cognito speaks it (USER_SRP_AUTH / PASSWORD_VERIFIER), the
// server's half, byte for byte what amazon-cognito-identity-js's
// AuthenticationHelper and aws-amplify v6 compute on the client:
//
//   N, g    the 3072-bit group of RFC 5054 (RFC 3526 group 15), g = 2
//   H       SHA-256
//   PAD(n)  n's big-endian bytes, minimal, with one 0x00 byte in front when
//           the top bit is set (the client's padHex: a positive two's
//           complement number), never padded to N's length
//   k       H(PAD(N) || PAD(g))
//   x       H(PAD(salt) || H(pool_name || user_id || ":" || password))
//           pool_name = the pool id after its '_' (us-east-1_cruddur ->
//           "cruddur"); user_id = USER_ID_FOR_SRP (the Username: the sub)
//   v       g^x mod N (the verifier, stored with the salt; never the password)
//   B       (k*v + g^b) mod N
//   u       H(PAD(A) || PAD(B))
//   S       (A * v^u)^b mod N
//   key     HKDF-SHA256(salt = PAD(u), ikm = PAD(S), info = "Caldera Derived
//           Key"), its first 16 bytes
//   claim   base64(HMAC-SHA256(key, pool_name || user_id || SECRET_BLOCK's
//           bytes || TIMESTAMP))
//
// Numbers travel as hex (any case, no padding required); SALT and SRP_B are
// written as lowercase hex of PAD(n). Errors are Cognito-typed
// (pool_error.h): InternalErrorException when OpenSSL fails.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::userpool {

// What the pool stores for SRP: hex of PAD(salt) and of PAD(v). Both ""
// when the user has none yet.
struct SrpVerifier {
  std::string salt_hex;
  std::string verifier_hex;

  bool empty() const { return verifier_hex.empty(); }
};

// The pool name SRP hashes: the part of `pool_id` after its first '_'.
std::string SrpPoolName(std::string_view pool_id);

// A fresh 16-byte random salt and its verifier for this password.
base::Result<SrpVerifier> MakeSrpVerifier(std::string_view pool_name, std::string_view user_id,
                                          std::string_view password);

// The verifier for a given salt (hex), e.g. to check a client's math.
base::Result<SrpVerifier> SrpVerifierWithSalt(std::string_view pool_name, std::string_view user_id,
                                              std::string_view password, std::string_view salt_hex);

// The server's side of one exchange: its secret b and public B (hex of PAD).
struct SrpServerKey {
  std::string b_hex;
  std::string B_hex;
};

// True iff `hex` is 1 to 2048 hex digits naming a number that is not 0 mod
// N (what a client's SRP_A must be).
bool ValidSrpPublic(std::string_view hex);

// A fresh b (256 random bits) and B = (k*v + g^b) mod N for `verifier_hex`.
base::Result<SrpServerKey> MakeSrpServerKey(std::string_view verifier_hex);

// The 16-byte key both sides derive, or InvalidParameterException when A or
// B is not a valid public value, or u is 0.
base::Result<std::string> SrpSessionKey(std::string_view A_hex, const SrpServerKey& server,
                                        std::string_view verifier_hex);

// The client's claim: base64 (standard, padded) of HMAC-SHA256(key,
// pool_name || user_id || secret_block || timestamp); `secret_block` is raw
// bytes (the SECRET_BLOCK after base64 decoding).
std::string SrpClaimSignature(std::string_view key, std::string_view pool_name,
                              std::string_view user_id, std::string_view secret_block,
                              std::string_view timestamp);

// True iff `timestamp` has the client's form "EEE MMM d HH:mm:ss UTC yyyy"
// (e.g. "Tue Mar 5 09:04:01 UTC 2024": English day and month names, the day
// without a leading zero).
bool ValidSrpTimestamp(std::string_view timestamp);

}  // namespace cruddur::userpool
