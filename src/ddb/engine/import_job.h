// The background half of ImportTable (import_ops.cc): reads every object of
// the import's source (import_reader.h) and writes each item to the new
// table through the service's write path (service_write.h: ItemWrite, so
// indexes, statistics and the logs stay exact, no capacity charged), then
// makes the table ACTIVE and records the import COMPLETED (import_records.h).
//
// A record that cannot be an item (bad JSON or Ion, a missing key attribute, a key
// of the wrong type, an item over 400 KB) is skipped and counted in
// ErrorCount, as DynamoDB does; DynamoDB logs each to CloudWatch, this server
// writes one line to stderr for each of the first kMaxLoggedErrors. An
// object that cannot be read on (not gzip data, a corrupt stream) counts one
// error and the rest of it is skipped (a guess). The import FAILS (and the
// table is dropped) when the table is deleted meanwhile or the engine stops.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "ddb/engine/engine_context.h"
#include "ddb/engine/import_reader.h"
#include "ddb/engine/import_records.h"

namespace ddb::imports {

inline constexpr size_t kMaxLoggedErrors = 100;

struct ImportJob {
  ImportRecord record;  // saved IN_PROGRESS
  std::vector<SourceObject> objects;
  Compression compression = Compression::kNone;
  std::optional<CsvFormat> csv;  // set for CSV
  bool ion = false;              // set for ION
  // The job's slot of EngineContext::import_slots, released as it ends.
  std::shared_ptr<void> slot;
};

// Starts `job` on a background thread of the engine.
void StartImportJob(EngineContext& ctx, ImportJob job);

// Runs `job` on the calling thread (StartImportJob's body); `stopping` is
// polled between items. Leaves the record COMPLETED or FAILED and saved.
void RunImportJob(EngineContext& ctx, ImportJob& job, const std::atomic<bool>& stopping);

}  // namespace ddb::imports
