#include "cruddur/userpool/srp_challenges.h"

#include <openssl/rand.h>

#include "base/base64.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

constexpr size_t kSecretBlockBytes = 64;

}  // namespace

base::Result<std::string> SrpChallenges::Put(SrpChallenge challenge, int64_t now_ms) {
  std::string raw(kSecretBlockBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    return InternalError("the random number generator failed");
  }
  std::string block = base::Base64Encode(raw);
  std::string key = Sha256Hex(block);
  std::lock_guard lock(mu_);
  // Expired first, then the oldest while full.
  while (!by_expiry_.empty() &&
         (by_expiry_.begin()->first <= now_ms || by_block_.size() >= kMaxPending)) {
    by_block_.erase(by_expiry_.begin()->second);
    by_expiry_.erase(by_expiry_.begin());
  }
  by_expiry_.emplace(challenge.expires_ms, key);
  by_block_.emplace(std::move(key), std::move(challenge));
  return block;
}

std::optional<SrpChallenge> SrpChallenges::Take(std::string_view secret_block) {
  const std::string key = Sha256Hex(secret_block);
  std::lock_guard lock(mu_);
  auto it = by_block_.find(key);
  if (it == by_block_.end()) return std::nullopt;
  SrpChallenge out = std::move(it->second);
  by_block_.erase(it);
  for (auto [lo, hi] = by_expiry_.equal_range(out.expires_ms); lo != hi; ++lo) {
    if (lo->second == key) {
      by_expiry_.erase(lo);
      break;
    }
  }
  return out;
}

}  // namespace cruddur::userpool
