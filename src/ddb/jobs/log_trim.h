// The periodic trims of the engine's logs: the stream log's (records past
// the retention period, format/stream_log.h) and the point-in-time log's
// (records past the recovery window, format/pitr_log.h). Each runs its log's
// trim pass on its own background thread until BackgroundTasks::Stop().
#pragma once

#include "ddb/format/pitr_log.h"
#include "ddb/format/stream_log.h"
#include "ddb/jobs/background.h"

namespace ddb {

// Trims at once, then every StreamOptions::trim_interval_seconds (or a
// quarter of a short retention, so records go soon after they expire).
void StartStreamTrim(BackgroundTasks& background, StreamLog& log);

// Trims every minute (PitrLog::Open has just trimmed).
void StartPitrTrim(BackgroundTasks& background, PitrLog& log);

}  // namespace ddb
