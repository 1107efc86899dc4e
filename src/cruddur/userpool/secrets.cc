#include "cruddur/userpool/secrets.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>

#include "base/base64.h"
#include "cruddur/userpool/pool_error.h"

namespace cruddur::userpool {
namespace {

base::Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return InternalError("the random number generator failed");
  }
  return out;
}

// A uniformly random index below `bound` (<= 256), by rejection sampling.
base::Result<size_t> RandomBelow(size_t bound) {
  const unsigned limit = 256 - 256 % bound;
  for (;;) {
    ASSIGN_OR_RETURN(std::string b, RandomBytes(1));
    const unsigned v = static_cast<unsigned char>(b[0]);
    if (v < limit) return static_cast<size_t>(v % bound);
  }
}

}  // namespace

base::Result<std::string> RandomToken(size_t bytes) {
  ASSIGN_OR_RETURN(std::string raw, RandomBytes(bytes));
  return base::Base64UrlEncode(raw);
}

base::Result<std::string> RandomDigits(int digits) {
  std::string out;
  for (int i = 0; i < digits; ++i) {
    ASSIGN_OR_RETURN(size_t d, RandomBelow(10));
    out.push_back(static_cast<char>('0' + d));
  }
  return out;
}

base::Result<std::string> RandomTemporaryPassword() {
  static constexpr std::string_view kClasses[] = {
      "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+-=?@^_"};
  std::string out;
  // One of each class first, so the policy holds, then any class.
  for (int i = 0; i < 16; ++i) {
    size_t cls = static_cast<size_t>(i);
    if (i >= 4) {
      ASSIGN_OR_RETURN(cls, RandomBelow(4));
    }
    ASSIGN_OR_RETURN(size_t k, RandomBelow(kClasses[cls].size()));
    out.push_back(kClasses[cls][k]);
  }
  // Shuffle (Fisher-Yates) so the classes are not in a fixed order.
  for (size_t i = out.size() - 1; i > 0; --i) {
    ASSIGN_OR_RETURN(size_t j, RandomBelow(i + 1));
    std::swap(out[i], out[j]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0F]);
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cruddur::userpool
