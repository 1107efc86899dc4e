#include "ddb/engine/export_job.h"

#include <cstdio>

#include "ddb/common/clock.h"
#include "ddb/engine/export_lines.h"
#include "ddb/engine/pitr_restore.h"
#include "ddb/format/stored_item.h"

namespace ddb::exports {
namespace {

Status Stopped() { return Error{ErrorCode::kServiceUnavailable, ""}; }

// FULL_EXPORT: every item as of the export time.
Status RunFullExport(EngineContext& ctx, ExportJob& job, ExportWriter& writer,
                     const std::atomic<bool>& stopping) {
  const DataFormat format = DataFormatFromName(job.record.format);
  return ReadAsOf(ctx, *job.items, job.items_prefix_len, *job.undo,
                  [&](const backups::RestoreSource& next) -> Status {
                    std::string key, stored;
                    while (true) {
                      if (stopping) return Stopped();
                      ASSIGN_OR_RETURN(bool more, next(&key, &stored));
                      if (!more) return Status::Ok();
                      ASSIGN_OR_RETURN(std::string line, FullExportLine(format, stored));
                      RETURN_IF_ERROR(writer.Add(line, StoredItemSize(stored)));
                    }
                  });
}

// The key attributes of a stored item.
Result<Item> KeysOf(const KeySchema& schema, std::string_view stored) {
  Result<Item> item = DecodeStoredItem(stored);
  if (!item.ok()) return Internal("Internal server error");
  Item keys;
  for (const KeyAttr* a : schema.AllAttrs()) {
    auto it = item->find(a->name);
    if (it != item->end()) keys.emplace(it->first, it->second);
  }
  return keys;
}

// INCREMENTAL_EXPORT: a line per item changed in the window. An item that
// did not exist at either end (put and deleted within the window) has no
// line: there is no change to report (what DynamoDB's guide says of an
// insert then delete).
Status RunIncrementalExport(EngineContext& ctx, ExportJob& job, ExportWriter& writer,
                            const std::atomic<bool>& stopping) {
  const DataFormat format = DataFormatFromName(job.record.format);
  const bool old_images = job.record.view_type == "NEW_AND_OLD_IMAGES";
  return ReadWindowChanges(ctx, job.incremental, [&](const WindowChange& w) -> Status {
    if (stopping) return Stopped();
    if (!w.before && !w.after) return Status::Ok();
    ASSIGN_OR_RETURN(Item keys, KeysOf(job.key, w.after ? *w.after : *w.before));
    ChangeLine c;
    c.write_time_us = w.last_write_us;
    c.keys = &keys;
    c.new_image = w.after;
    if (old_images) c.old_image = w.before;
    size_t billed = 0;
    if (c.new_image) billed += StoredItemSize(*c.new_image);
    if (c.old_image) billed += StoredItemSize(*c.old_image);
    ASSIGN_OR_RETURN(std::string line, IncrementalExportLine(format, c));
    return writer.Add(line, billed);
  });
}

// Reads and writes every item or change; Error kServiceUnavailable when
// stopped.
Status RunExport(EngineContext& ctx, ExportJob& job, const std::atomic<bool>& stopping) {
  ExportWriter writer(std::move(*job.layout),
                      DataFileExtension(DataFormatFromName(job.record.format)));
  if (job.record.type == "INCREMENTAL_EXPORT") {
    RETURN_IF_ERROR(RunIncrementalExport(ctx, job, writer, stopping));
  } else {
    RETURN_IF_ERROR(RunFullExport(ctx, job, writer, stopping));
  }
  return writer.Finish(job.record, NowEpochSeconds());
}

}  // namespace

void StartExportJob(EngineContext& ctx, ExportJob job) {
  auto shared = std::make_shared<ExportJob>(std::move(job));
  EngineContext* c = &ctx;
  ctx.background.Run([c, shared](const std::atomic<bool>& stopping) {
    ExportRecord& r = shared->record;
    Status st = RunExport(*c, *shared, stopping);
    if (st.ok()) {
      r.status = "COMPLETED";
    } else {
      r.status = "FAILED";
      r.end_time = NowEpochSeconds();
      r.manifest.clear();
      if (st.error().code == ErrorCode::kServiceUnavailable) {
        r.failure_code = kInterruptedCode;  // as FailInterruptedExports
        r.failure_message = kInterruptedMessage;
      } else {
        // The detail went to stderr where it named server paths; the
        // client sees the code. FailureCode values are not documented: a
        // guess.
        std::fprintf(stderr, "ddb: export %s: %s\n", r.arn.c_str(), st.error().message.c_str());
        r.failure_code = "InternalServerError";
        r.failure_message = "The export could not be written to the export folder";
      }
    }
    // The cursors hold a snapshot: release it before the record says done.
    shared->items.reset();
    shared->undo.reset();
    shared->incremental = IncrementalCursors();
    if (Status saved = SaveExport(*c->store, r); !saved.ok()) {
      std::fprintf(stderr, "ddb: export %s: record not saved: %s\n", r.arn.c_str(),
                   saved.error().message.c_str());
    }
  });
}

}  // namespace ddb::exports
