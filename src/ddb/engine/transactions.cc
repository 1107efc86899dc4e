#include "ddb/engine/transactions.h"

#include <algorithm>
#include <cmath>

#include "ddb/common/clock.h"
#include "ddb/format/client_tokens.h"
#include "ddb/format/keys.h"

namespace ddb {

namespace {

constexpr uint64_t kTokenLifetimeMs = 10 * 60 * 1000;
// Expired records are deleted from the store in groups, at most this often.
constexpr uint64_t kPurgeEveryMs = 60 * 1000;

uint64_t NowMs() { return static_cast<uint64_t>(std::llround(NowEpochSeconds() * 1000.0)); }

bool Expired(uint64_t committed_ms, uint64_t now_ms) {
  return now_ms >= committed_ms && now_ms - committed_ms >= kTokenLifetimeMs;
}

}  // namespace

// ---- TokenClaim

TokenClaim::TokenClaim(TokenClaim&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)),
      token_(std::move(other.token_)),
      replay_(other.replay_),
      committed_(other.committed_),
      stamped_ms_(other.stamped_ms_) {}

TokenClaim::~TokenClaim() {
  if (registry_ == nullptr || replay_ || committed_) return;
  registry_->Forget(token_);
}

void TokenClaim::AddTo(WriteBatch& batch) {
  stamped_ms_ = NowMs();
  ClientTokenRecord record{stamped_ms_, registry_->FingerprintOf(token_)};
  batch.Put(keys::ClientTokenKey(token_), EncodeClientToken(record));
}

void TokenClaim::Committed() {
  committed_ = true;
  registry_->Remember(token_, stamped_ms_);
}

// ---- TransactionRegistry: held items

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

// ---- TransactionRegistry: tokens

Status TransactionRegistry::OpenTokens(Store* store) {
  std::lock_guard lock(token_mu_);
  store_ = store;
  const uint64_t now = NowMs();
  const std::string prefix = keys::ClientTokenPrefix();
  WriteBatch stale;
  std::vector<std::pair<uint64_t, std::string>> live;
  auto cur = store->NewCursor(prefix, keys::PrefixEnd(prefix));
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    auto record = DecodeClientToken(cur->value());
    if (!record || Expired(record->committed_ms, now)) {
      stale.Delete(cur->key());
      continue;
    }
    std::string token(cur->key().substr(prefix.size()));
    live.emplace_back(record->committed_ms, token);
    tokens_[token] = TokenEntry{std::move(record->fingerprint), record->committed_ms, false};
  }
  RETURN_IF_ERROR(cur->status());
  std::sort(live.begin(), live.end());
  expiry_.assign(live.begin(), live.end());
  last_purge_ms_ = now;
  if (stale.Count() > 0) RETURN_IF_ERROR(store->Write(stale));
  return Status::Ok();
}

Result<TokenClaim> TransactionRegistry::ClaimToken(const std::string& token,
                                                   const std::string& fingerprint) {
  std::lock_guard lock(token_mu_);
  const uint64_t now = NowMs();
  ExpireLocked(now);
  auto it = tokens_.find(token);
  if (it != tokens_.end() && !it->second.in_flight && Expired(it->second.committed_ms, now)) {
    // Expired but not yet swept (expiry_ is only roughly in time order).
    stale_records_.push_back(token);
    tokens_.erase(it);
    it = tokens_.end();
  }
  if (it == tokens_.end()) {
    tokens_[token] = TokenEntry{fingerprint, 0, true};
    return TokenClaim(this, token, /*replay=*/false);
  }
  if (it->second.fingerprint != fingerprint) {
    return Error{ErrorCode::kIdempotentParameterMismatch,
                 "The request uses the same client token as a previous, but non-identical "
                 "request."};
  }
  if (it->second.in_flight) {
    // The wording is a guess: the API Reference's description of the error.
    return Error{ErrorCode::kTransactionInProgress,
                 "The transaction with the given request token is already in progress."};
  }
  return TokenClaim(this, token, /*replay=*/true);
}

void TransactionRegistry::ExpireLocked(uint64_t now_ms) {
  while (!expiry_.empty() && Expired(expiry_.front().first, now_ms)) {
    auto& [at, token] = expiry_.front();
    auto it = tokens_.find(token);
    // Only the entry this queue slot stands for: the token may have expired
    // and been used again since.
    if (it != tokens_.end() && !it->second.in_flight && it->second.committed_ms == at) {
      tokens_.erase(it);
      stale_records_.push_back(std::move(token));
    }
    expiry_.pop_front();
  }
  if (store_ == nullptr || stale_records_.empty() || now_ms - last_purge_ms_ < kPurgeEveryMs) {
    return;
  }
  // Under token_mu_: no claim of these tokens (whose new record would be
  // written after this deletion) can start meanwhile.
  WriteBatch batch;
  for (const auto& token : stale_records_) {
    if (!tokens_.count(token)) batch.Delete(keys::ClientTokenKey(token));
  }
  stale_records_.clear();
  last_purge_ms_ = now_ms;
  // A failed deletion leaves records the next start drops (OpenTokens).
  if (batch.Count() > 0) (void)store_->Write(batch);
}

void TransactionRegistry::Forget(const std::string& token) {
  std::lock_guard lock(token_mu_);
  auto it = tokens_.find(token);
  if (it != tokens_.end() && it->second.in_flight) tokens_.erase(it);
}

void TransactionRegistry::Remember(const std::string& token, uint64_t committed_ms) {
  std::lock_guard lock(token_mu_);
  auto it = tokens_.find(token);
  if (it == tokens_.end()) return;
  it->second.in_flight = false;
  it->second.committed_ms = committed_ms;
  expiry_.emplace_back(committed_ms, token);
}

std::string TransactionRegistry::FingerprintOf(const std::string& token) {
  std::lock_guard lock(token_mu_);
  auto it = tokens_.find(token);
  return it == tokens_.end() ? std::string() : it->second.fingerprint;
}

}  // namespace ddb
