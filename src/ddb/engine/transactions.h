// What the transaction operations share with ordinary writes: the set of
// items held by in-flight transactions (an ordinary write to one of them
// fails with TransactionConflictException, as in DynamoDB), and the
// ClientRequestToken cache that makes TransactWriteItems idempotent for ten
// minutes.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "ddb/common/error.h"

namespace ddb {

class TransactionRegistry {
 public:
  // Marks `keys` as held until Release(keys).
  void Hold(const std::vector<std::string>& keys);
  void Release(const std::vector<std::string>& keys);
  // TransactionConflictException if `key` is held by a transaction.
  Status CheckNotHeld(const std::string& key) const;

  // Idempotency. Lookup returns the cached response of a token used within
  // ten minutes with the same request fingerprint, an
  // IdempotentParameterMismatchException if used with another, or nullopt.
  Result<std::optional<std::string>> LookupToken(const std::string& token,
                                                 const std::string& fingerprint);
  void RememberToken(const std::string& token, const std::string& fingerprint,
                     const std::string& response);

 private:
  std::atomic<int> active_{0};
  mutable std::mutex mu_;
  std::unordered_multiset<std::string> held_;
  struct TokenEntry {
    std::string fingerprint;
    std::string response;
    std::chrono::steady_clock::time_point at;
  };
  std::map<std::string, TokenEntry> tokens_;
};

}  // namespace ddb
