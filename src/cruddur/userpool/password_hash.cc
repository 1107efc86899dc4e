#include "cruddur/userpool/password_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdint>
#include <optional>

#include "base/base64.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

constexpr int kR = 8;
constexpr int kP = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;
constexpr std::string_view kPrefix = "$scrypt$";

// scrypt's key for these parameters, or nullopt if OpenSSL refuses.
std::optional<std::string> Derive(std::string_view password, std::string_view salt, int log2_n,
                                  int r, int p) {
  const uint64_t n = uint64_t{1} << log2_n;
  // What EVP_PBE_scrypt allocates (B and V), with room to spare.
  const uint64_t maxmem = 128ull * r * (n + 2) + 128ull * r * p + (1u << 20);
  std::string key(kKeyBytes, '\0');
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n,
                     static_cast<uint64_t>(r), static_cast<uint64_t>(p), maxmem,
                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    return std::nullopt;
  }
  return key;
}

bool ParseInt(std::string_view text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// Reads "key=value" from the front of `params` (up to ',' or the end).
bool TakeParam(std::string_view& params, std::string_view key, int& out) {
  const size_t comma = params.find(',');
  std::string_view item = params.substr(0, comma);
  params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
  if (!item.starts_with(key) || item.size() <= key.size() || item[key.size()] != '=') return false;
  return ParseInt(item.substr(key.size() + 1), out);
}

}  // namespace

base::Result<std::string> HashPassword(std::string_view password, int log2_n) {
  if (log2_n < kMinScryptLog2N || log2_n > kMaxScryptLog2N) {
    return InvalidParameter("scrypt log2(N) must be in [" + std::to_string(kMinScryptLog2N) + ", " +
                            std::to_string(kMaxScryptLog2N) + "]");
  }
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return InternalError("the random number generator failed");
  }
  auto key = Derive(password, salt, log2_n, kR, kP);
  if (!key) return InternalError("scrypt failed");
  return std::string(kPrefix) + "ln=" + std::to_string(log2_n) + ",r=" + std::to_string(kR) +
         ",p=" + std::to_string(kP) + "$" + base::Base64UrlEncode(salt) + "$" +
         base::Base64UrlEncode(*key);
}

bool VerifyPassword(std::string_view password, std::string_view stored) {
  if (!stored.starts_with(kPrefix)) return false;
  std::string_view rest = stored.substr(kPrefix.size());
  const size_t d1 = rest.find('$');
  if (d1 == std::string_view::npos) return false;
  const size_t d2 = rest.find('$', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  std::string_view params = rest.substr(0, d1);
  int log2_n = 0, r = 0, p = 0;
  if (!TakeParam(params, "ln", log2_n) || !TakeParam(params, "r", r) ||
      !TakeParam(params, "p", p) || !params.empty()) {
    return false;
  }
  // Bounds that keep a tampered hash from costing more than ~256 MiB.
  if (log2_n < kMinScryptLog2N || log2_n > kMaxScryptLog2N || r < 1 || r > 8 || p < 1 || p > 4) {
    return false;
  }
  auto salt = base::Base64UrlDecode(rest.substr(d1 + 1, d2 - d1 - 1));
  auto expected = base::Base64UrlDecode(rest.substr(d2 + 1));
  if (!salt || !expected || salt->empty() || expected->size() != kKeyBytes) return false;
  auto key = Derive(password, *salt, log2_n, r, p);
  if (!key) return false;
  return CRYPTO_memcmp(key->data(), expected->data(), kKeyBytes) == 0;
}

}  // namespace cruddur::userpool
