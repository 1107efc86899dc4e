#include "net/denial_aggregator.h"

#include <algorithm>

namespace net {

DenialAggregator::DenialAggregator(std::chrono::seconds window, size_t max_keys)
    : window_(window), max_keys_(max_keys) {}

DenialSummary DenialAggregator::SummaryOf(const Window& w) {
  return DenialSummary{w.event_source, w.source_ip, w.error_code, w.error_message,
                       w.counted,      w.first,     w.last};
}

bool DenialAggregator::Note(const AuditEvent& denial, Clock::time_point now,
                            std::vector<DenialSummary>* closed) {
  // The key's parts are cut as the log writes them, so a long address or
  // code cannot make one entry large.
  const std::string source = SanitizeAuditText(denial.source_ip, kAuditFieldMax);
  const std::string event_source = SanitizeAuditText(denial.event_source, kAuditFieldMax);
  const std::string code = SanitizeAuditText(denial.error_code, kAuditFieldMax);
  const std::string reason = SanitizeAuditText(denial.error_message, kAuditFieldMaxResource);
  std::string key = source;
  for (const std::string* part : {&event_source, &code, &reason}) {
    key.push_back('\n');  // never part of a sanitized text
    key += *part;
  }

  auto it = windows_.find(key);
  if (it != windows_.end()) {
    Window& w = it->second;
    if (!Closed(w, now)) {
      if (w.counted++ == 0) w.first = now;
      w.last = now;
      return false;
    }
    if (w.counted > 0) closed->push_back(SummaryOf(w));
    w.start = now;
    w.counted = 0;
    earliest_close_ = std::min(earliest_close_, now + window_);
    return true;
  }
  if (windows_.size() >= max_keys_) {
    if (others_ && Closed(*others_, now)) {
      closed->push_back(SummaryOf(*others_));
      others_.reset();
    }
    if (!others_) {
      others_ = Window{now, 0, now, now, event_source, std::string(kOtherSources), code, reason};
      earliest_close_ = std::min(earliest_close_, now + window_);
    }
    if (others_->counted++ == 0) others_->first = now;
    others_->last = now;
    return false;
  }
  Window w;
  w.start = now;
  w.event_source = event_source;
  w.source_ip = source;
  w.error_code = code;
  w.error_message = reason;
  windows_.emplace(std::move(key), std::move(w));
  earliest_close_ = std::min(earliest_close_, now + window_);
  return true;
}

void DenialAggregator::Sweep(Clock::time_point now, std::vector<DenialSummary>* closed) {
  if (now < earliest_close_) return;
  earliest_close_ = Clock::time_point::max();
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (Closed(it->second, now)) {
      if (it->second.counted > 0) closed->push_back(SummaryOf(it->second));
      it = windows_.erase(it);
    } else {
      earliest_close_ = std::min(earliest_close_, it->second.start + window_);
      ++it;
    }
  }
  if (others_) {
    if (Closed(*others_, now)) {
      closed->push_back(SummaryOf(*others_));  // it always counted one at least
      others_.reset();
    } else {
      earliest_close_ = std::min(earliest_close_, others_->start + window_);
    }
  }
}

void DenialAggregator::Drain(std::vector<DenialSummary>* out) {
  for (const auto& [key, w] : windows_) {
    if (w.counted > 0) out->push_back(SummaryOf(w));
  }
  windows_.clear();
  if (others_) out->push_back(SummaryOf(*others_));
  others_.reset();
  earliest_close_ = Clock::time_point::max();
}

}  // namespace net
