// Test-only token minting: an RSA key generated with OpenSSL, its JWK, and
// RS256 / HS256 signing of compact JWTs. Not for production use.
#pragma once

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/base64.h"

namespace cruddur::auth::testing {

class TestRsaKey {
 public:
  TestRsaKey() : pkey_(EVP_RSA_gen(2048), EVP_PKEY_free) {
    if (!pkey_) throw std::runtime_error("EVP_RSA_gen failed");
  }

  std::string NBase64() const { return base::Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_N)); }
  std::string EBase64() const { return base::Base64UrlEncode(BnParam(OSSL_PKEY_PARAM_RSA_E)); }

  // One JWK object, shaped like Cognito's.
  std::string Jwk(std::string_view kid) const {
    return R"({"alg":"RS256","e":")" + EBase64() + R"(","kid":")" + std::string(kid) +
           R"(","kty":"RSA","n":")" + NBase64() + R"(","use":"sig"})";
  }

  // The public key as PEM (SubjectPublicKeyInfo): the "secret" of the
  // HS256 key-confusion attack.
  std::string PublicPem() const {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), pkey_.get());
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(len));
  }

  std::string SignRs256(std::string_view data) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_.get()) != 1) {
      throw std::runtime_error("EVP_DigestSignInit failed");
    }
    size_t len = 0;
    auto* in = reinterpret_cast<const unsigned char*>(data.data());
    EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size());
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                       data.size()) != 1) {
      throw std::runtime_error("EVP_DigestSign failed");
    }
    sig.resize(len);
    return sig;
  }

 private:
  std::string BnParam(const char* name) const {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey_.get(), name, &bn) != 1) throw std::runtime_error("bn param");
    std::string out(static_cast<size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
  }

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey_;
};

inline std::string JwtSigningInput(std::string_view header_json, std::string_view payload_json) {
  return base::Base64UrlEncode(header_json) + "." + base::Base64UrlEncode(payload_json);
}

inline std::string SignRs256Jwt(const TestRsaKey& key, std::string_view header_json,
                                std::string_view payload_json) {
  std::string input = JwtSigningInput(header_json, payload_json);
  return input + "." + base::Base64UrlEncode(key.SignRs256(input));
}

inline std::string SignHs256Jwt(std::string_view secret, std::string_view header_json,
                                std::string_view payload_json) {
  std::string input = JwtSigningInput(header_json, payload_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + base::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len));
}

}  // namespace cruddur::auth::testing
