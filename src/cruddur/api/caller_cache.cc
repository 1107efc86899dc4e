#include "cruddur/api/caller_cache.h"

namespace cruddur::api {

CallerCache::CallerCache(std::chrono::milliseconds ttl, size_t max_entries, Clock clock)
    : ttl_(ttl), max_entries_(max_entries), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point CallerCache::Now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::optional<std::string> CallerCache::Find(std::string_view cognito_user_id) const {
  if (max_entries_ == 0) return std::nullopt;
  const auto now = Now();
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(cognito_user_id));
  if (it == entries_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.uuid;
}

void CallerCache::Remember(std::string_view cognito_user_id, std::string_view user_uuid) {
  if (max_entries_ == 0) return;
  const auto expires = Now() + ttl_;
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_.insert_or_assign(std::string(cognito_user_id), Entry{std::string(user_uuid), expires});
}

}  // namespace cruddur::api
