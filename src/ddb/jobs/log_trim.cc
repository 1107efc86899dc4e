#include "ddb/jobs/log_trim.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

namespace ddb {
namespace {

// How often the point-in-time log's trim runs.
constexpr double kPitrTrimIntervalSeconds = 60;

// The stream trim's period: trim_interval_seconds, or a quarter of a
// (test's) short retention so records go soon after they expire.
std::chrono::milliseconds TrimPeriod(const StreamOptions& o) {
  double s = std::min(o.trim_interval_seconds, o.retention_seconds / 4);
  return std::chrono::milliseconds(std::max<int64_t>(100, std::llround(s * 1000)));
}

}  // namespace

void StartStreamTrim(BackgroundTasks& background, StreamLog& log) {
  StreamLog* l = &log;
  background.Run([l](const std::atomic<bool>& stopping) {
    auto next = std::chrono::steady_clock::now();
    while (!stopping.load()) {
      if (std::chrono::steady_clock::now() >= next) {
        l->Trim();
        next = std::chrono::steady_clock::now() + TrimPeriod(l->options());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

void StartPitrTrim(BackgroundTasks& background, PitrLog& log) {
  PitrLog* l = &log;
  background.Run([l](const std::atomic<bool>& stopping) {
    using Clock = std::chrono::steady_clock;
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(kPitrTrimIntervalSeconds));
    auto next = Clock::now() + interval;
    while (!stopping.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (Clock::now() < next) continue;
      l->Trim();
      next = Clock::now() + interval;
    }
  });
}

}  // namespace ddb
