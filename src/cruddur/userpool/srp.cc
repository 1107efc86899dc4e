#include "cruddur/userpool/srp.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <memory>

#include "base/base64.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

// RFC 5054's 3072-bit prime (the initN of amazon-cognito-identity-js).
constexpr const char* kNHex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404"
    "DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406"
    "B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD"
    "24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E46"
    "2E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D226"
    "1898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB397"
    "0F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A6452"
    "1F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CA"
    "FFFFFFFFFFFFFFFF";
constexpr std::string_view kInfo = "Caldera Derived Key";
constexpr size_t kSaltBytes = 16;
constexpr size_t kSecretBytes = 32;
constexpr size_t kMaxPublicHexDigits = 2048;

struct BnFree {
  void operator()(BIGNUM* b) const { BN_clear_free(b); }
};
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using Ctx = std::unique_ptr<BN_CTX, CtxFree>;

Bn NewBn() { return Bn(BN_new()); }

// A number from hex; nullptr when `hex` is empty, too long or not hex.
Bn FromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > kMaxPublicHexDigits) return nullptr;
  for (char c : hex) {
    const bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!digit) return nullptr;
  }
  BIGNUM* out = nullptr;
  const std::string text(hex);
  if (BN_hex2bn(&out, text.c_str()) != static_cast<int>(text.size())) {
    BN_clear_free(out);
    return nullptr;
  }
  return Bn(out);
}

Bn FromBytes(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// PAD(n): minimal big-endian bytes, 0x00 in front when the top bit is set
// (zero is one 0x00 byte, as padHex writes "00").
std::string Pad(const BIGNUM* n) {
  std::string out(static_cast<size_t>(BN_num_bytes(n)), '\0');
  BN_bn2bin(n, reinterpret_cast<unsigned char*>(out.data()));
  if (out.empty() || (static_cast<unsigned char>(out[0]) & 0x80) != 0) out.insert(0, 1, '\0');
  return out;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0F]);
  }
  return out;
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(), &len);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

// The group: N, g and k, built once.
struct Group {
  Bn N, g, k;
  Group() {
    N = FromHex(kNHex);
    g = NewBn();
    BN_set_word(g.get(), 2);
    k = FromBytes(Sha256(Pad(N.get()) + Pad(g.get())));
  }
};

const Group& TheGroup() {
  static const Group group;
  return group;
}

base::Error OpensslFailed() { return InternalError("SRP: OpenSSL big-number arithmetic failed"); }

base::Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return InternalError("the random number generator failed");
  }
  return out;
}

// v = g^x mod N, x = H(PAD(salt) || H(pool_name || user_id || ":" || password)).
base::Result<SrpVerifier> Verifier(std::string_view pool_name, std::string_view user_id,
                                   std::string_view password, const BIGNUM* salt) {
  const Group& grp = TheGroup();
  const std::string inner =
      Sha256(std::string(pool_name) + std::string(user_id) + ":" + std::string(password));
  Bn x = FromBytes(Sha256(Pad(salt) + inner));
  Bn v = NewBn();
  Ctx ctx(BN_CTX_new());
  if (!x || !v || !ctx || BN_mod_exp(v.get(), grp.g.get(), x.get(), grp.N.get(), ctx.get()) != 1) {
    return OpensslFailed();
  }
  return SrpVerifier{Hex(Pad(salt)), Hex(Pad(v.get()))};
}

// True iff n mod N != 0.
bool NonZeroModN(const BIGNUM* n, BN_CTX* ctx) {
  Bn r = NewBn();
  return r && BN_mod(r.get(), n, TheGroup().N.get(), ctx) == 1 && !BN_is_zero(r.get());
}

}  // namespace

std::string SrpPoolName(std::string_view pool_id) {
  const size_t us = pool_id.find('_');
  return std::string(us == std::string_view::npos ? pool_id : pool_id.substr(us + 1));
}

base::Result<SrpVerifier> MakeSrpVerifier(std::string_view pool_name, std::string_view user_id,
                                          std::string_view password) {
  ASSIGN_OR_RETURN(std::string salt_bytes, RandomBytes(kSaltBytes));
  Bn salt = FromBytes(salt_bytes);
  if (!salt) return OpensslFailed();
  return Verifier(pool_name, user_id, password, salt.get());
}

base::Result<SrpVerifier> SrpVerifierWithSalt(std::string_view pool_name, std::string_view user_id,
                                              std::string_view password,
                                              std::string_view salt_hex) {
  Bn salt = FromHex(salt_hex);
  if (!salt) return InvalidParameter("SRP: the salt is not hex");
  return Verifier(pool_name, user_id, password, salt.get());
}

bool ValidSrpPublic(std::string_view hex) {
  Bn n = FromHex(hex);
  Ctx ctx(BN_CTX_new());
  return n && ctx && NonZeroModN(n.get(), ctx.get());
}

base::Result<SrpServerKey> MakeSrpServerKey(std::string_view verifier_hex) {
  const Group& grp = TheGroup();
  Bn v = FromHex(verifier_hex);
  if (!v) return InternalError("SRP: the stored verifier is not hex");
  Ctx ctx(BN_CTX_new());
  if (!ctx) return OpensslFailed();
  for (;;) {
    ASSIGN_OR_RETURN(std::string secret, RandomBytes(kSecretBytes));
    Bn b = FromBytes(secret);
    Bn kv = NewBn(), gb = NewBn(), B = NewBn();
    if (!b || !kv || !gb || !B ||
        BN_mod_mul(kv.get(), grp.k.get(), v.get(), grp.N.get(), ctx.get()) != 1 ||
        BN_mod_exp(gb.get(), grp.g.get(), b.get(), grp.N.get(), ctx.get()) != 1 ||
        BN_mod_add(B.get(), kv.get(), gb.get(), grp.N.get(), ctx.get()) != 1) {
      return OpensslFailed();
    }
    if (BN_is_zero(B.get())) continue;  // B must not be 0 mod N (never in practice)
    return SrpServerKey{Hex(Pad(b.get())), Hex(Pad(B.get()))};
  }
}

base::Result<std::string> SrpSessionKey(std::string_view A_hex, const SrpServerKey& server,
                                        std::string_view verifier_hex) {
  const Group& grp = TheGroup();
  Ctx ctx(BN_CTX_new());
  if (!ctx) return OpensslFailed();
  Bn A = FromHex(A_hex), B = FromHex(server.B_hex), b = FromHex(server.b_hex),
     v = FromHex(verifier_hex);
  if (!A || !B || !b || !v || !NonZeroModN(A.get(), ctx.get()) ||
      !NonZeroModN(B.get(), ctx.get())) {
    return InvalidParameter("SRP: invalid public value");
  }
  Bn u = FromBytes(Sha256(Pad(A.get()) + Pad(B.get())));
  if (!u) return OpensslFailed();
  if (BN_is_zero(u.get())) return InvalidParameter("SRP: u is zero");
  // S = (A * v^u)^b mod N
  Bn vu = NewBn(), base = NewBn(), S = NewBn();
  if (!vu || !base || !S || BN_mod_exp(vu.get(), v.get(), u.get(), grp.N.get(), ctx.get()) != 1 ||
      BN_mod_mul(base.get(), A.get(), vu.get(), grp.N.get(), ctx.get()) != 1 ||
      BN_mod_exp(S.get(), base.get(), b.get(), grp.N.get(), ctx.get()) != 1) {
    return OpensslFailed();
  }
  // HKDF-SHA256, one block: PRK = HMAC(PAD(u), PAD(S)); OKM = HMAC(PRK, info || 0x01).
  const std::string prk = HmacSha256(Pad(u.get()), Pad(S.get()));
  std::string info(kInfo);
  info.push_back('\x01');
  return HmacSha256(prk, info).substr(0, 16);
}

std::string SrpClaimSignature(std::string_view key, std::string_view pool_name,
                              std::string_view user_id, std::string_view secret_block,
                              std::string_view timestamp) {
  std::string message;
  message.reserve(pool_name.size() + user_id.size() + secret_block.size() + timestamp.size());
  message.append(pool_name).append(user_id).append(secret_block).append(timestamp);
  return base::Base64Encode(HmacSha256(key, message));
}

bool ValidSrpTimestamp(std::string_view t) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto one_of = [](std::string_view word, const auto& names) {
    for (std::string_view n : names) {
      if (n == word) return true;
    }
    return false;
  };
  // "EEE MMM " then the day (1-2 digits), " HH:mm:ss UTC yyyy".
  if (t.size() < 27 || !one_of(t.substr(0, 3), kDays) || t[3] != ' ' ||
      !one_of(t.substr(4, 3), kMonths) || t[7] != ' ') {
    return false;
  }
  size_t i = 8;
  const size_t day_start = i;
  while (i < t.size() && is_digit(t[i])) ++i;
  const size_t day_len = i - day_start;
  if (day_len < 1 || day_len > 2 || t[day_start] == '0') return false;
  const std::string_view rest = t.substr(i);
  // " HH:mm:ss UTC yyyy"
  if (rest.size() != 18 || rest[0] != ' ' || rest[3] != ':' || rest[6] != ':' ||
      rest.substr(9, 5) != " UTC ") {
    return false;
  }
  for (size_t p : {1, 2, 4, 5, 7, 8, 14, 15, 16, 17}) {
    if (!is_digit(rest[p])) return false;
  }
  const int hh = (rest[1] - '0') * 10 + (rest[2] - '0');
  const int mm = (rest[4] - '0') * 10 + (rest[5] - '0');
  const int ss = (rest[7] - '0') * 10 + (rest[8] - '0');
  const int day =
      day_len == 1 ? t[day_start] - '0' : (t[day_start] - '0') * 10 + t[day_start + 1] - '0';
  return hh < 24 && mm < 60 && ss < 61 && day <= 31;
}

}  // namespace cruddur::userpool
