// SigningKey: the pool's RSA-2048 key for RS256 tokens, its kid and its JWKS.
//
// The kid is the base64url SHA-256 of the DER SubjectPublicKeyInfo, so it
// changes exactly when the key does. Immutable after creation and safe to
// share between threads (each signature uses its own digest context).
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/auth/rsa_public_key.h"

namespace cruddur::userpool {

class SigningKey {
 public:
  // A fresh RSA-2048 key (nothing written). InternalErrorException if OpenSSL
  // fails.
  static base::Result<SigningKey> Generate();

  // The key in the PEM file at `path`; if there is no such file, a fresh key
  // written there first (PKCS#8 PEM, mode 0600, created atomically: a
  // concurrent opener loads the winner's key). InternalErrorException when
  // the file cannot be read or written, or holds no RSA private key of at
  // least 2048 bits.
  static base::Result<SigningKey> LoadOrCreate(const std::string& path);

  const std::string& kid() const { return kid_; }

  // {"keys":[{"alg":"RS256","e":..,"kid":..,"kty":"RSA","n":..,"use":"sig"}]}
  std::string JwksJson() const;

  // The RS256 (RSASSA-PKCS1-v1_5, SHA-256) signature of `data`.
  base::Result<std::string> SignRs256(std::string_view data) const;

  // True iff `signature` is this key's RS256 signature of `data`.
  bool VerifyRs256(std::string_view data, std::string_view signature) const;

 private:
  SigningKey() = default;
  static base::Result<SigningKey> FromPkey(EVP_PKEY* pkey);  // takes ownership

  std::shared_ptr<EVP_PKEY> pkey_;
  std::shared_ptr<const auth::RsaPublicKey> public_key_;
  std::string kid_, n_b64_, e_b64_;
};

}  // namespace cruddur::userpool
