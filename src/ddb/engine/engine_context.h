// EngineContext: what every operation family shares (options, store,
// catalog, per-item locks, throttling, item-collection sizes, the logs,
// the background tasks). Internal to the engine: the operations (ops.h) take
// it; the background jobs see only the narrow JobContext it hands out.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ddb/common/key_locks.h"
#include "ddb/engine/engine_options.h"
#include "ddb/engine/item_collections.h"
#include "ddb/engine/transactions.h"
#include "ddb/format/catalog.h"
#include "ddb/format/pitr_log.h"
#include "ddb/format/stream_log.h"
#include "ddb/jobs/background.h"
#include "ddb/jobs/job_context.h"
#include "ddb/jobs/job_slots.h"
#include "ddb/jobs/throttle.h"
#include "ddb/storage/store.h"

namespace ddb {

class EngineContext {
 public:
  explicit EngineContext(const EngineOptions& opts, std::unique_ptr<Store> s)
      : options(opts),
        store(std::move(s)),
        catalog(store.get(), opts.max_tables),
        throttle(opts.throttling),
        export_slots(opts.max_running_exports, "exports"),
        import_slots(opts.max_running_imports, "imports") {}
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
  // The stream log (descriptors, sequence numbers); set by Engine::Open.
  std::shared_ptr<StreamLog> streams;
  // The point-in-time log (commit times); set by Engine::Open.
  std::shared_ptr<PitrLog> pitr;
  // The export and import jobs running (EngineOptions::max_running_*):
  // declared before `background`, whose jobs hold them, so destroyed after.
  JobSlots export_slots;
  JobSlots import_slots;
  // Declared last: destroyed (joined) first, while the store still exists.
  BackgroundTasks background;

  // What the background jobs (jobs/) may use.
  JobContext Jobs() { return JobContext{*store, catalog, locks, background}; }
};

}  // namespace ddb
