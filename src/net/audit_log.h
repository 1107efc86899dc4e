// AuditLog: the servers' security record, JSON lines in CloudTrail's shape
// (audit_event.h), in a size-rotated, count-bounded, owner-only file
// (rotating_file.h). ddb-server and `cruddur serve` write to it every
// control-plane operation, every user-pool admin operation and every denied
// request; what is never written is audit_event.h's business.
//
// Denials go through a DenialAggregator (denial_aggregator.h): per source,
// event source and error code, the first one of a window is written in
// full and the rest are summed up in one "AggregatedDenials" event when the
// window closes - noticed by the next denial of that key, or by a
// background sweep every `sweep_interval` - or when the log is destroyed.
// Together with rotation this bounds both the disk and the memory a hostile
// client can make the log use.
//
// Thread-safe: Record may be called from any thread (event loops and
// workers); lines are written whole, one at a time, under a mutex, with
// write(2) and no fsync. Write errors (a full disk) do not fail requests:
// they are counted (write_errors) and the first one is reported on stderr.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/audit_event.h"
#include "net/denial_aggregator.h"
#include "net/rotating_file.h"

namespace net {

inline constexpr uint64_t kDefaultAuditLogMaxBytes = uint64_t{10} << 20;
inline constexpr unsigned kDefaultAuditLogFiles = 5;

struct AuditLogOptions {
  // The log file; "" = no audit log.
  std::string path;
  // Rotate when the file would pass this size.
  uint64_t max_bytes = kDefaultAuditLogMaxBytes;
  // At most this many files: PATH and PATH.1 .. PATH.(max_files-1).
  unsigned max_files = kDefaultAuditLogFiles;
  // Denials of one key after the first within this period are counted.
  std::chrono::seconds denial_window{60};
  // Keys tracked by the aggregator at most; beyond, "other sources".
  size_t max_denial_keys = 10000;
  // How often closed windows are written out by a background thread;
  // zero = no thread (tests call Sweep).
  std::chrono::milliseconds sweep_interval{1000};
  // The time source (tests); empty = the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;
};

class AuditLog {
 public:
  // Opens options.path (which must not be ""). Null and `*error` (one
  // line) when the file cannot be opened.
  static std::unique_ptr<AuditLog> Open(AuditLogOptions options, std::string* error);
  // Writes the summaries of every window still counting, then closes.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writes `event` (denials: unless aggregated). Thread-safe.
  void Record(const AuditEvent& event);

  // Writes the summaries of the denial windows closed by now.
  void Sweep();

  // Lines that could not be written.
  uint64_t write_errors() const;
  const AuditLogOptions& options() const { return options_; }

 private:
  explicit AuditLog(AuditLogOptions options);
  std::chrono::system_clock::time_point Now() const;
  // With mu_ held.
  void WriteLocked(const std::string& line);
  void WriteSummariesLocked(std::vector<DenialSummary>& summaries,
                            std::chrono::system_clock::time_point now);
  void SweepLoop();

  const AuditLogOptions options_;
  mutable std::mutex mu_;
  std::unique_ptr<RotatingFile> file_;
  DenialAggregator denials_;
  uint64_t write_errors_ = 0;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread sweeper_;
};

}  // namespace net
