// KeyLocks: striped locks serializing writes to one item (or one item
// collection): a condition check and the write it guards never interleave
// with another writer of the same key. The engine keeps one set for items
// and one for partitions (engine_context.h); the index backfill
// (jobs/index_backfill.h) takes the item locks too.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ddb {

class KeyLocks {
 public:
  std::mutex& For(std::string_view storage_key) { return stripes_[StripeOf(storage_key)]; }

  // Holds the stripes of several keys at once. Stripes are taken in
  // ascending order (and each once), so two multi-key writers never
  // deadlock.
  class MultiLock {
   public:
    MultiLock(KeyLocks& locks, const std::vector<std::string>& storage_keys) {
      std::vector<size_t> stripes;
      stripes.reserve(storage_keys.size());
      for (const auto& k : storage_keys) stripes.push_back(locks.StripeOf(k));
      std::sort(stripes.begin(), stripes.end());
      stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
      for (size_t s : stripes) {
        locks.stripes_[s].lock();
        held_.push_back(&locks.stripes_[s]);
      }
    }
    ~MultiLock() {
      for (auto it = held_.rbegin(); it != held_.rend(); ++it) (*it)->unlock();
    }
    MultiLock(const MultiLock&) = delete;
    MultiLock& operator=(const MultiLock&) = delete;

   private:
    std::vector<std::mutex*> held_;
  };

 private:
  size_t StripeOf(std::string_view storage_key) const {
    return std::hash<std::string_view>{}(storage_key) % stripes_.size();
  }
  std::array<std::mutex, 1024> stripes_;
};

}  // namespace ddb
