#include "ddb/engine/export_job.h"

#include <cstdio>

#include "ddb/common/clock.h"
#include "ddb/engine/export_writer.h"
#include "ddb/engine/pitr_restore.h"
#include "ddb/format/stored_item.h"

namespace ddb::exports {
namespace {

// Reads and writes every item; Error kServiceUnavailable when stopped.
Status RunExport(EngineContext& ctx, ExportJob& job, const std::atomic<bool>& stopping) {
  ExportWriter writer(std::move(*job.dir), ExportFolderKey(job.record));
  RETURN_IF_ERROR(ReadAsOf(ctx, *job.items, job.items_prefix_len, *job.undo,
                           [&](const backups::RestoreSource& next) -> Status {
                             std::string key, stored;
                             while (true) {
                               if (stopping) return Error{ErrorCode::kServiceUnavailable, ""};
                               ASSIGN_OR_RETURN(bool more, next(&key, &stored));
                               if (!more) return Status::Ok();
                               RETURN_IF_ERROR(
                                   writer.Add(StoredItemJson(stored), StoredItemSize(stored)));
                             }
                           }));
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
        r.failure_code = "InternalServerError";
        r.failure_message = "The export could not be written to the export folder";
      }
    }
    // The cursors hold a snapshot: release it before the record says done.
    shared->items.reset();
    shared->undo.reset();
    if (Status saved = SaveExport(*c->store, r); !saved.ok()) {
      std::fprintf(stderr, "ddb: export %s: record not saved: %s\n", r.arn.c_str(),
                   saved.error().message.c_str());
    }
  });
}

}  // namespace ddb::exports
