// RsaPublicKey: an RSA public key built from a JWK's "n" and "e", able to
// check RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures. OpenSSL 3.
//
// Immutable after construction and safe to share between threads: each
// verification uses its own digest context.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

namespace cruddur::auth {

class RsaPublicKey {
 public:
  // The smallest modulus accepted; Cognito's keys are 2048 bits.
  static constexpr int kMinModulusBits = 2048;

  // Builds the key from the big-endian bytes of the modulus and public
  // exponent (already base64url-decoded). nullopt if OpenSSL rejects them,
  // the modulus is shorter than kMinModulusBits, or the exponent is even or 1.
  static std::optional<RsaPublicKey> FromComponents(std::string_view modulus,
                                                    std::string_view exponent);

  // True iff `signature` is a valid RS256 signature of `signed_data`.
  bool VerifyRs256(std::string_view signed_data, std::string_view signature) const;

  int ModulusBits() const;

 private:
  struct PkeyFree {
    void operator()(void* p) const;
  };
  explicit RsaPublicKey(void* pkey) : pkey_(pkey, PkeyFree{}) {}
  std::shared_ptr<void> pkey_;  // EVP_PKEY*, shared by copies
};

}  // namespace cruddur::auth
