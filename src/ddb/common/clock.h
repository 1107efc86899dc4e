// The engine's clock: wall-clock time as DynamoDB reports it (seconds since
// the Unix epoch with a millisecond fraction), replaceable in tests.
#pragma once

#include <atomic>
#include <chrono>
#include <cmath>

namespace ddb {

using ClockFn = double (*)();

namespace clock_internal {
inline std::atomic<ClockFn>& Override() {
  static std::atomic<ClockFn> fn{nullptr};
  return fn;
}
}  // namespace clock_internal

// Seconds since the Unix epoch, rounded to milliseconds (so that the value
// prints compactly in JSON and round-trips exactly through the catalog).
inline double NowEpochSeconds() {
  if (ClockFn fn = clock_internal::Override().load(std::memory_order_relaxed)) return fn();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return static_cast<double>(ms) / 1000.0;
}

// Replaces the clock (nullptr restores the real one). For tests only.
inline void SetClockForTesting(ClockFn fn) { clock_internal::Override().store(fn); }

}  // namespace ddb
