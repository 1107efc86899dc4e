// DenialAggregator: keeps a hostile client from filling the audit log with
// refusals. Denials are grouped by key = (source address, event source,
// error code, the server's fixed reason text). The first denial of a key opens a window (`window`,
// 60 s by default) and is written in full; the further ones inside the window are only counted.
// When the window has closed - noticed by the next denial of that key or by Sweep - a key with
// counted denials yields one DenialSummary (count, first and last time), and the key is forgotten.
//
// Memory is bounded: at most `max_keys` keys are tracked. A denial of a new
// key while the map is full is counted in a single "other sources" window
// (DenialSummary::source_ip == kOtherSources) and never written in full, so
// a client cycling through addresses costs one counter, not one entry or one
// line per address.
//
// Not thread-safe (AuditLog serializes the calls). Times are the caller's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/audit_event.h"

namespace net {

class DenialAggregator {
 public:
  using Clock = std::chrono::system_clock;

  DenialAggregator(std::chrono::seconds window, size_t max_keys);

  // Notes one denial at `now`. True when it opens a window and is to be
  // written in full; false when it is only counted. A closed window of the
  // same key with counted denials is appended to `*closed` first.
  bool Note(const AuditEvent& denial, Clock::time_point now, std::vector<DenialSummary>* closed);

  // Appends the summaries of the windows closed at `now` that counted
  // denials, and forgets every closed window. Cheap when none can have
  // closed yet.
  void Sweep(Clock::time_point now, std::vector<DenialSummary>* closed);

  // Appends the summaries of every window with counted denials, closed or
  // not, and forgets all (at shutdown).
  void Drain(std::vector<DenialSummary>* out);

  // Keys tracked (the "other sources" window not included).
  size_t size() const { return windows_.size(); }

 private:
  struct Window {
    Clock::time_point start;
    uint64_t counted = 0;  // denials after the first
    Clock::time_point first, last;
    std::string event_source, source_ip, error_code, error_message;
  };
  static DenialSummary SummaryOf(const Window& w);
  bool Closed(const Window& w, Clock::time_point now) const { return now >= w.start + window_; }

  std::chrono::seconds window_;
  size_t max_keys_;
  std::unordered_map<std::string, Window> windows_;
  std::optional<Window> others_;
  // No window closes before this (a lower bound), so Sweep can skip the scan.
  Clock::time_point earliest_close_ = Clock::time_point::max();
};

}  // namespace net
