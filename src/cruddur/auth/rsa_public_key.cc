#include "cruddur/auth/rsa_public_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

namespace cruddur::auth {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;

BnPtr ToBignum(std::string_view bytes) {
  return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
}

}  // namespace

void RsaPublicKey::PkeyFree::operator()(void* p) const { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); }

std::optional<RsaPublicKey> RsaPublicKey::FromComponents(std::string_view modulus,
                                                         std::string_view exponent) {
  if (modulus.empty() || exponent.empty() || modulus.size() > 2048 || exponent.size() > 16) {
    return std::nullopt;  // > 16384-bit modulus or absurd exponent: not a real key
  }
  BnPtr n = ToBignum(modulus), e = ToBignum(exponent);
  if (!n || !e) return std::nullopt;
  if (BN_num_bits(n.get()) < kMinModulusBits) return std::nullopt;
  if (!BN_is_odd(e.get()) || BN_is_one(e.get())) return std::nullopt;

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return std::nullopt;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) return std::nullopt;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return std::nullopt;
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 ||
      pkey == nullptr) {
    return std::nullopt;
  }
  return RsaPublicKey(pkey);
}

bool RsaPublicKey::VerifyRs256(std::string_view signed_data, std::string_view signature) const {
  auto* pkey = static_cast<EVP_PKEY*>(pkey_.get());
  // PKCS#1 v1.5 signatures are exactly the modulus length.
  if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(pkey))) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (EVP_DigestVerifyInit_ex(ctx.get(), &pctx, "SHA256", nullptr, nullptr, pkey, nullptr) != 1) {
    return false;
  }
  if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) return false;
  return EVP_DigestVerify(
             ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
             reinterpret_cast<const unsigned char*>(signed_data.data()), signed_data.size()) == 1;
}

int RsaPublicKey::ModulusBits() const {
  return EVP_PKEY_get_bits(static_cast<EVP_PKEY*>(pkey_.get()));
}

}  // namespace cruddur::auth
