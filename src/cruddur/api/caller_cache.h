// CallerCache: the users directory's uuid of recently seen Cognito users, so
// that a client's requests do not each query the directory for who they are.
//
// An entry lives `ttl` (default 30 s): a user linked or unlinked in the
// directory (sign-up confirmed, user deleted from the pool) is seen as such
// within that time. Only found users are remembered; at most `max_entries`
// (when full, the cache starts over). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cruddur::api {

class CallerCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit CallerCache(std::chrono::milliseconds ttl = std::chrono::seconds(30),
                       size_t max_entries = 10000, Clock clock = {});

  // The remembered uuid of this sub, if it is younger than the TTL.
  std::optional<std::string> Find(std::string_view cognito_user_id) const;
  void Remember(std::string_view cognito_user_id, std::string_view user_uuid);

 private:
  std::chrono::steady_clock::time_point Now() const;

  struct Entry {
    std::string uuid;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  size_t max_entries_;
  Clock clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cruddur::api
