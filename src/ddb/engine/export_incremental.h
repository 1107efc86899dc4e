// The changes of an incremental export (ExportType INCREMENTAL_EXPORT:
// export_ops.cc, export_job.h), read from the table's point-in-time log
// (format/pitr_log.h) without loading the table into memory.
//
// The window is [from, to) in commit microseconds (the API reference:
// ExportFromTime inclusive, ExportToTime exclusive). An item belongs to the
// export when it has an undo record with a time in the window; then
//   - its image at the window's start (before its first change in it) is
//     the previous image of its oldest record in the window;
//   - its image at the window's end is the previous image of its oldest
//     record at or after `to`, or, without one, the item as it is now;
//   - its write time is its newest record's time in the window.
// Three passes over the log fill three scratch areas keyed by item (as
// RestoreAsOf does: newest first so the oldest record wins, or oldest first
// so the newest time wins), then one ordered walk over the window's items
// looks up the end images. Memory stays bounded; the scratch is removed at
// the end, or at the next start after a crash (PitrLog::Open).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/engine/engine_context.h"
#include "ddb/storage/store.h"

namespace ddb::exports {

// The cursors of one incremental read, opened by the request (under the
// schema mutex, after PitrLog::WaitForCommits(to - 1)) in this order: the
// items first, then the log, so that a commit between them is in the log
// (as pitr_restore.h's ReadAsOf needs).
struct IncrementalCursors {
  std::unique_ptr<Cursor> items;  // the table's items
  std::string items_prefix;       // their keys' table prefix
  std::unique_ptr<Cursor> window_newest_first, window_oldest_first;
  std::unique_ptr<Cursor> after_newest_first;  // records at or after `to`
  size_t undo_time_at = 0;                     // where an undo key's 8-byte time starts
};

// Opens the cursors over table `table_id` for the window [from_us, to_us).
IncrementalCursors OpenIncrementalCursors(EngineContext& ctx, uint64_t table_id, int64_t from_us,
                                          int64_t to_us);

// One item changed in the window; views valid during the callback.
struct WindowChange {
  std::string_view item_key;  // its storage key without the table prefix
  int64_t last_write_us = 0;
  std::optional<std::string_view> before;  // stored item at the start (absent: none)
  std::optional<std::string_view> after;   // stored item at the end (absent: none)
};

// Calls `each` with every item changed in the window, in item-key order.
// Returns the first error of `each` or of reading.
Status ReadWindowChanges(EngineContext& ctx, IncrementalCursors& c,
                         const std::function<Status(const WindowChange&)>& each);

}  // namespace ddb::exports
