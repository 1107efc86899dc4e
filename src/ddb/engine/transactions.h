// What the transaction operations share with ordinary writes: the set of
// items held by in-flight transactions (an ordinary write to one of them
// fails with TransactionConflictException, as in DynamoDB), and the
// ClientRequestTokens that make TransactWriteItems idempotent for ten
// minutes.
//
// Tokens (DynamoDB API Reference, TransactWriteItems, ClientRequestToken): a
// token is valid for ten minutes after the transaction that used it
// completes; a request with a remembered token and the same parameters is a
// replay (it succeeds without being executed again), with other parameters it
// fails with IdempotentParameterMismatchException. Only committed
// transactions are remembered: a request whose transaction was cancelled or
// failed leaves nothing, so a retry with its token runs anew (as DynamoDB
// does: "if it failed the first time, DynamoDB will apply the writes", Alex
// DeBrie, "DynamoDB Transactions: Use Cases and Examples").
//
// A token is stored with its transaction: its record (format/client_tokens.h)
// is in the transaction's own write batch, so a transaction is acknowledged
// only with its token durable, and a restart -- clean or kill -9 -- forgets no
// token the client saw succeed. The ten minutes are wall-clock time (the
// engine's clock, ddb/common/clock.h), so they run on across restarts.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ddb/common/error.h"
#include "ddb/storage/store.h"

namespace ddb {

class TransactionRegistry;

// One request's hold on its ClientRequestToken (TransactionRegistry::ClaimToken).
// Move-only. Unless Committed() is called, destroying a claim that is not a
// replay forgets the token again.
class TokenClaim {
 public:
  TokenClaim(TokenClaim&& other) noexcept;
  TokenClaim& operator=(TokenClaim&&) = delete;
  ~TokenClaim();

  // True if the token was used by a committed transaction with the same
  // parameters within ten minutes: the request must not run again.
  bool replay() const { return replay_; }
  // Adds the token's record, stamped with the current time, to the
  // transaction's `batch`. Call once, just before the batch is written; not
  // for a replay.
  void AddTo(WriteBatch& batch);
  // The batch with the record is written: the token is remembered from now on.
  void Committed();

 private:
  friend class TransactionRegistry;
  TokenClaim(TransactionRegistry* registry, std::string token, bool replay)
      : registry_(registry), token_(std::move(token)), replay_(replay) {}
  TransactionRegistry* registry_;  // null once moved from
  std::string token_;
  bool replay_ = false;
  bool committed_ = false;
  uint64_t stamped_ms_ = 0;  // the record's time (AddTo)
};

class TransactionRegistry {
 public:
  // Marks `keys` as held until Release(keys).
  void Hold(const std::vector<std::string>& keys);
  void Release(const std::vector<std::string>& keys);
  // TransactionConflictException if `key` is held by a transaction.
  Status CheckNotHeld(const std::string& key) const;

  // Loads the tokens stored within the last ten minutes from `store` and
  // deletes the older records. Called once by Engine::Open before any
  // request; `store` must outlive the registry. Errors: the store's.
  Status OpenTokens(Store* store);

  // Claims `token` for a request whose parameters have `fingerprint`
  // (RequestFingerprint). Returns a replay claim for a remembered token with
  // the same fingerprint, otherwise a claim the request holds while it runs.
  // Errors: IdempotentParameterMismatchException if the token is remembered
  // or in flight with another fingerprint; TransactionInProgressException if
  // a request with the same token and parameters is still running.
  Result<TokenClaim> ClaimToken(const std::string& token, const std::string& fingerprint);

 private:
  friend class TokenClaim;
  struct TokenEntry {
    std::string fingerprint;
    uint64_t committed_ms = 0;
    bool in_flight = true;
  };
  // Forgets the tokens that expired by `now_ms` (caller holds mu_) and, at
  // most once a minute, deletes their records from the store.
  void ExpireLocked(uint64_t now_ms);
  void Forget(const std::string& token);
  void Remember(const std::string& token, uint64_t committed_ms);
  std::string FingerprintOf(const std::string& token);

  std::atomic<int> active_{0};
  mutable std::mutex mu_;
  std::unordered_multiset<std::string> held_;

  // Token state, under token_mu_ (held while expired records are deleted,
  // so that no claim of the same token can interleave with the deletion).
  std::mutex token_mu_;
  Store* store_ = nullptr;
  std::unordered_map<std::string, TokenEntry> tokens_;
  // Committed tokens in the order they were remembered, with their times.
  std::deque<std::pair<uint64_t, std::string>> expiry_;
  // Expired tokens whose records are still in the store.
  std::vector<std::string> stale_records_;
  uint64_t last_purge_ms_ = 0;
};

}  // namespace ddb
