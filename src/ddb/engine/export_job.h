// The background half of ExportTableToPointInTime (export_ops.cc): reads a
// table as it was at the export time (FULL_EXPORT) or the changes of a
// window (INCREMENTAL_EXPORT, export_incremental.h) and writes them to the
// export's folder (export_writer.h) as DynamoDB JSON or Ion lines
// (export_lines.h), then records the export COMPLETED or FAILED
// (export_records.h). Runs on its own thread of the engine's
// BackgroundTasks, so the request returns IN_PROGRESS at once and writes go
// on meanwhile.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/export_incremental.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/export_writer.h"
#include "ddb/format/table_info.h"
#include "ddb/storage/store.h"

namespace ddb::exports {

// What the request hands the job: the record (saved IN_PROGRESS), the
// export's folders (with `_started`), and the cursors of its read, opened
// by the request under the schema mutex so that the snapshot is the
// request's.
struct ExportJob {
  ExportRecord record;
  std::unique_ptr<ExportLayout> layout;
  // FULL_EXPORT: the two cursors of the point-in-time read (pitr_restore.h's
  // ReadAsOf).
  std::unique_ptr<Cursor> items;
  size_t items_prefix_len = 0;
  std::unique_ptr<Cursor> undo;
  // INCREMENTAL_EXPORT: the log's cursors and the table's key schema (the
  // Keys of each change).
  IncrementalCursors incremental;
  KeySchema key;
  // The job's slot of EngineContext::export_slots, released as it ends.
  std::shared_ptr<void> slot;
};

// Starts `job` on a background thread. If the engine is stopping (the task
// is refused, or it stops mid-way) the record is left or made FAILED with
// FailureCode "ExportInterrupted" (FailInterruptedExports at the next start
// covers a crash).
void StartExportJob(EngineContext& ctx, ExportJob job);

}  // namespace ddb::exports
