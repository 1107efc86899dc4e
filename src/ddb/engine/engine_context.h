// EngineContext: what every operation family shares (options, store,
// catalog, per-item locks, throttling, item-collection sizes). Internal to the engine.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ddb/engine/background.h"
#include "ddb/engine/catalog.h"
#include "ddb/engine/engine.h"
#include "ddb/engine/item_collections.h"
#include "ddb/engine/throttle.h"
#include "ddb/engine/transactions.h"
#include "ddb/storage/store.h"

namespace ddb {

// Striped locks serializing writes to one item: a condition check and the
// write it guards never interleave with another writer of the same key.
class KeyLocks {
 public:
  std::mutex& For(std::string_view storage_key);

  // Holds the stripes of several keys at once. Stripes are taken in
  // ascending order (and each once), so two multi-key writers never
  // deadlock.
  class MultiLock {
   public:
    MultiLock(KeyLocks& locks, const std::vector<std::string>& storage_keys);
    ~MultiLock();
    MultiLock(const MultiLock&) = delete;
    MultiLock& operator=(const MultiLock&) = delete;

   private:
    std::vector<std::mutex*> held_;
  };

 private:
  size_t StripeOf(std::string_view storage_key) const;
  std::array<std::mutex, 1024> stripes_;
};

class StreamRegistry;  // stream.cc
class PitrLog;         // pitr_log.cc

class EngineContext {
 public:
  explicit EngineContext(const EngineOptions& opts, std::unique_ptr<Store> s)
      : options(opts), store(std::move(s)), catalog(store.get()), throttle(opts.throttling) {}
  EngineOptions options;
  std::unique_ptr<Store> store;
  Catalog catalog;
  KeyLocks locks;
  // Partition locks of tables with local secondary indexes (item-collection
  // sizes). Always taken after the item locks, never before.
  KeyLocks partition_locks;
  ItemCollections collections;
  Throttler throttle;
  TransactionRegistry transactions;
  // Stream descriptors and the sequence counter (stream.h); set by
  // OpenStreams. shared_ptr: the type is complete only in stream.cc.
  std::shared_ptr<StreamRegistry> streams;
  // Point-in-time log state (pitr_log.h); set by OpenPitrLog.
  std::shared_ptr<PitrLog> pitr;
  // Declared last: destroyed (joined) first, while the store still exists.
  BackgroundTasks background;
};

}  // namespace ddb
