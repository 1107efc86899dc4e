#include "ddb/engine/transactions.h"

namespace ddb {

namespace {
constexpr auto kTokenLifetime = std::chrono::minutes(10);
}

void TransactionRegistry::Hold(const std::vector<std::string>& keys) {
  std::lock_guard lock(mu_);
  for (const auto& k : keys) held_.insert(k);
  active_.fetch_add(1);
}

void TransactionRegistry::Release(const std::vector<std::string>& keys) {
  std::lock_guard lock(mu_);
  for (const auto& k : keys) {
    auto it = held_.find(k);
    if (it != held_.end()) held_.erase(it);
  }
  active_.fetch_sub(1);
}

Status TransactionRegistry::CheckNotHeld(const std::string& key) const {
  if (active_.load(std::memory_order_acquire) == 0) return Status::Ok();
  std::lock_guard lock(mu_);
  if (held_.count(key)) {
    return Error{ErrorCode::kTransactionConflict, "Transaction is ongoing for the item"};
  }
  return Status::Ok();
}

Result<std::optional<std::string>> TransactionRegistry::LookupToken(
    const std::string& token, const std::string& fingerprint) {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  for (auto it = tokens_.begin(); it != tokens_.end();) {
    it = now - it->second.at > kTokenLifetime ? tokens_.erase(it) : std::next(it);
  }
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return std::optional<std::string>();
  if (it->second.fingerprint != fingerprint) {
    return Error{ErrorCode::kIdempotentParameterMismatch,
                 "The request uses the same client token as a previous, but non-identical "
                 "request."};
  }
  return std::optional<std::string>(it->second.response);
}

void TransactionRegistry::RememberToken(const std::string& token, const std::string& fingerprint,
                                        const std::string& response) {
  std::lock_guard lock(mu_);
  tokens_[token] = {fingerprint, response, std::chrono::steady_clock::now()};
}

}  // namespace ddb
