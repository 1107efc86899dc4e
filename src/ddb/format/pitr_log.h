// The point-in-time log: what lets RestoreTableToPointInTime
// (engine/pitr.cc, engine/pitr_restore.h) restore a table as it was at any
// moment of its recovery window.
//
// While a table has point-in-time recovery enabled, every item write that
// changes one of its items adds an undo record (pitr_records.h) to the same
// WriteBatch (engine/item_write.cc calls AddUndoRecord): the item's key and
// its previous image, or "absent". So the record commits, or not, with the
// write itself (puts, updates, deletes, BatchWriteItem, transactions, TTL
// deletions).
//
// Records are keyed by their commit time, microseconds since the epoch, from
// one engine-wide counter:
//   time = max(previous time + 1, now in microseconds)
// A commit takes its time under the locks of the items it writes, so one
// item's records are in the order its writes committed. All the records of
// one batch (a transaction, a BatchWriteItem) share their commit's time, so
// a restore sees the whole commit or none of it.
//
// A table's log is removed with the table (Catalog::Drop, same batch) and
// when PITR is disabled; enabling it again starts a new, empty history.
// Trim() removes records older than the recovery window (run periodically by
// jobs/log_trim.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

#include "ddb/common/error.h"
#include "ddb/format/catalog.h"
#include "ddb/format/item_change.h"
#include "ddb/storage/store.h"

namespace ddb {

struct PitrTicket;  // a commit time in flight: pitr_log.cc

// The writes of one storage batch. Passed to every AddUndoRecord of the
// batch (through ItemWrite::AddTo) so that they share one commit time.
// Destroy it (and drop the writes' tickets) only after the batch is written
// or abandoned.
struct PitrCommit {
  std::shared_ptr<PitrTicket> ticket;  // set by the first undo record
  uint32_t records = 0;
};

// The start of `t`'s recovery window at `now` (epoch seconds): when its
// history starts (pitr_enabled_time), or `now` minus the recovery period.
double PitrEarliestRestorable(const TableInfo& t, double now);

class PitrLog {
 public:
  PitrLog(Store* store, Catalog* catalog) : store_(store), catalog_(catalog) {}
  PitrLog(const PitrLog&) = delete;
  PitrLog& operator=(const PitrLog&) = delete;

  // Opens the log: registers the tables with PITR enabled, resumes the time
  // counter above every stored record and removes what a crash left behind
  // (a restore's scratch, the logs of dropped or disabled tables, records
  // older than the window). Called by Engine::Open after the catalog is
  // loaded.
  Status Open();

  // The write path's hook: adds the undo record of `change` to `batch` if
  // its table has PITR enabled and the write changes the item. Returns the
  // commit's ticket (null if no record was added); hold it until the batch
  // is written.
  std::shared_ptr<PitrTicket> AddUndoRecord(const ItemChange& change, WriteBatch& batch,
                                            PitrCommit& commit);

  // UpdateContinuousBackups. Caller holds the schema mutex.
  // Enables PITR on `info`'s table: its history starts now (sets
  // pitr_enabled_time), every later commit on it is logged, and the catalog
  // entry is replaced with `info`.
  Result<TablePtr> Enable(TableInfo info);
  // Disables PITR on `info`'s table: nothing more is logged, the catalog
  // entry is replaced with `info` and the table's history is deleted.
  Result<TablePtr> Disable(TableInfo info);

  // The latest commit time given so far, or now if later (microseconds):
  // the time UseLatestRestorableTime restores to.
  int64_t LatestTime();

  // Makes every later commit time greater than `time_us`, then waits until
  // every commit timed <= `time_us` is written or abandoned (a few seconds
  // at most): a cursor opened afterwards sees all of them.
  void WaitForCommits(int64_t time_us);

  // A newest-first cursor over table `table_id`'s undo records with time >
  // `after_us`. Open it after the cursor over the table's items.
  std::unique_ptr<Cursor> NewUndoCursor(uint64_t table_id, int64_t after_us);

  // One trim pass now (the background task runs one every minute).
  void Trim();

 private:
  friend struct PitrTicket;

  // The next commit time. Caller holds mu_.
  int64_t NextTimeLocked();
  // Every later commit time is above `t`. Caller holds mu_.
  void RaiseLocked(int64_t t) { last_us_ = std::max(last_us_, t); }
  void SetEnabledLocked(uint64_t table_id, bool on);
  // Trims one table's log (`table`: null if dropped).
  void TrimTable(uint64_t id, const TablePtr& table, double now);

  Store* store_;
  Catalog* catalog_;
  std::mutex mu_;
  // Ids of the tables whose commits are logged. Guarded by mu_.
  std::set<uint64_t> enabled_;
  // enabled_.size(): writes skip the lock while no table is logged.
  std::atomic<size_t> enabled_count_{0};
  std::condition_variable committed_;
  // Times of the commits not yet written or abandoned. Guarded by mu_.
  std::multiset<int64_t> inflight_;
  int64_t last_us_ = 0;
};

}  // namespace ddb
