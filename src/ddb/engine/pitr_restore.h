// The restore of RestoreTableToPointInTime (pitr.cc): a table as it was at
// time T, from its current items and its point-in-time log
// (format/pitr_log.h).
//
// Restoring to time T (inclusive: a write at T is in the restored table):
// for each item, the oldest undo record with time > T holds its image at T;
// an item without such a record has not changed since T. RestoreAsOf reads
// the records newest first into a scratch area keyed by item
// (format/pitr_records.h; so the oldest one wins and memory stays bounded),
// then merges it with the current items into the new table. The scratch is
// removed when the restore ends, or at the next start after a crash
// (PitrLog::Open).
#pragma once

#include <cstddef>
#include <functional>

#include "ddb/engine/backup.h"
#include "ddb/engine/engine_context.h"
#include "ddb/format/catalog.h"
#include "ddb/storage/store.h"

namespace ddb {

// The items of `items` (a cursor over the source table's items; each key is
// the table prefix, `items_prefix_len` bytes, then the item key) as they
// were before the changes of `undo` (PitrLog::NewUndoCursor), handed to
// `consume` as a source (backups::RestoreSource) valid during the call.
// Returns what `consume` returns, or the error of reading the log. Used by
// RestoreAsOf and by ExportTableToPointInTime (export_job.h).
Status ReadAsOf(EngineContext& ctx, Cursor& items, size_t items_prefix_len, Cursor& undo,
                const std::function<Status(const backups::RestoreSource&)>& consume);

// Creates the restored table `info` (backups::RestoreInto) with the items of
// `items` (a cursor over the source table's items; each key is the table
// prefix, `items_prefix_len` bytes, then the item key) as they were before
// the changes of `undo` (PitrLog::NewUndoCursor).
Result<TablePtr> RestoreAsOf(EngineContext& ctx, TableInfo info, Cursor& items,
                             size_t items_prefix_len, Cursor& undo);

}  // namespace ddb
