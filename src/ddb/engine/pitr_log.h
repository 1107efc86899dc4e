// The point-in-time log: what lets RestoreTableToPointInTime (pitr.cc)
// restore a table as it was at any moment of its recovery window.
//
// While a table has point-in-time recovery enabled, every ItemWrite that
// changes one of its items adds an undo record to the same WriteBatch
// (ItemWrite::AddTo calls AddUndoRecord): the item's key and its previous
// image, or "absent". So the record commits, or not, with the write itself
// (puts, updates, deletes, BatchWriteItem, transactions, TTL deletions).
//
// Records are keyed by their commit time, microseconds since the epoch, from
// one engine-wide counter:
//   time = max(previous time + 1, now in microseconds)
// A commit takes its time under the locks of the items it writes, so one
// item's records are in the order its writes committed. All the records of
// one batch (a transaction, a BatchWriteItem) share their commit's time, so
// a restore sees the whole commit or none of it.
//
// Restoring to time T (inclusive: a write at T is in the restored table):
// for each item, the oldest record with time > T holds its image at T; an
// item without such a record has not changed since T. RestoreAsOf reads the
// records newest first into a scratch area keyed by item (so the oldest one
// wins and memory stays bounded), then merges it with the current items into
// the new table.
//
// Key layout (keys.h, prefix "\x06"):
//   "\x06" "\x00" <table id:8> <time:8> <n:4>   undo record n of a commit:
//       <1: 0 absent | 1 present> <item key length:4> <item key> [<stored item>]
//       where <item key> is the item's storage key without its table prefix
//   "\x06" "\x01" <restore id:8> <item key>     a restore's scratch (1 byte
//       absent|present, then the stored item); removed when the restore ends,
//       or at the next start after a crash
//
// A table's log is removed with the table (Catalog::Drop, same batch) and
// when PITR is disabled; enabling it again starts a new, empty history. A
// background trim removes records older than the recovery window.
#pragma once

#include <cstdint>
#include <memory>

#include "ddb/common/error.h"
#include "ddb/engine/catalog.h"
#include "ddb/storage/store.h"

namespace ddb {

class EngineContext;
struct ItemWrite;
struct PitrTicket;  // a commit time in flight: pitr_log.cc
class PitrLog;      // the engine's log state: pitr_log.cc

// The writes of one storage batch. Passed to every ItemWrite::AddTo of the
// batch so that they share one commit time. Destroy it (and CommitStats the
// writes) only after the batch is written or abandoned.
struct PitrCommit {
  std::shared_ptr<PitrTicket> ticket;  // set by the first undo record
  uint32_t records = 0;
};

// Opens the log: registers the tables with PITR enabled, resumes the time
// counter above every stored record, removes what a crash left behind
// (a restore's scratch, the logs of dropped or disabled tables, records
// older than the window) and starts the periodic trim on ctx.background.
// Called by Engine::Open after the catalog is loaded.
Status OpenPitrLog(EngineContext& ctx);

// ItemWrite::AddTo's hook: adds the undo record of `w` (loaded, its new item
// set) to `batch` if its table has PITR enabled and the write changes the
// item. Returns the commit's ticket (null if no record was added); hold it
// until the batch is written.
std::shared_ptr<PitrTicket> AddUndoRecord(EngineContext& ctx, const ItemWrite& w, WriteBatch& batch,
                                          PitrCommit& commit);

// UpdateContinuousBackups. Caller holds the schema mutex.
// Enables PITR on `info`'s table: its history starts now (sets
// pitr_enabled_time), every later commit on it is logged, and the catalog
// entry is replaced with `info`.
Result<TablePtr> EnablePitrLog(EngineContext& ctx, TableInfo info);
// Disables PITR on `info`'s table: nothing more is logged, the catalog entry
// is replaced with `info` and the table's history is deleted.
Result<TablePtr> DisablePitrLog(EngineContext& ctx, TableInfo info);

// The start of `t`'s recovery window at `now` (epoch seconds): when its
// history starts (pitr_enabled_time), or `now` minus the recovery period.
double PitrEarliestRestorable(const TableInfo& t, double now);

// The latest commit time given so far, or now if later (microseconds):
// the time UseLatestRestorableTime restores to.
int64_t PitrLatestTime(EngineContext& ctx);

// Makes every later commit time greater than `time_us`, then waits until
// every commit timed <= `time_us` is written or abandoned (a few seconds at
// most): a cursor opened afterwards sees all of them.
void WaitForPitrCommits(EngineContext& ctx, int64_t time_us);

// A newest-first cursor over table `table_id`'s undo records with time >
// `after_us`. Open it after the cursor over the table's items.
std::unique_ptr<Cursor> NewUndoCursor(EngineContext& ctx, uint64_t table_id, int64_t after_us);

// Creates the restored table `info` (backups::RestoreInto) with the items of
// `items` (a cursor over the source table's items; each key is the table
// prefix, `items_prefix_len` bytes, then the item key) as they were before
// the changes of `undo` (NewUndoCursor). Memory stays bounded: the records
// go through a scratch area in the store.
Result<TablePtr> RestoreAsOf(EngineContext& ctx, TableInfo info, Cursor& items,
                             size_t items_prefix_len, Cursor& undo);

// One trim pass now (the background task runs one every minute).
void TrimPitrLogs(EngineContext& ctx);

}  // namespace ddb
