#include "net/audit_log.h"

#include <cstdio>

namespace net {

AuditLog::AuditLog(AuditLogOptions options)
    : options_(std::move(options)), denials_(options_.denial_window, options_.max_denial_keys) {}

std::unique_ptr<AuditLog> AuditLog::Open(AuditLogOptions options, std::string* error) {
  std::unique_ptr<AuditLog> log(new AuditLog(std::move(options)));
  const AuditLogOptions& o = log->options_;
  log->file_ = RotatingFile::Open(o.path, o.max_bytes, o.max_files, error);
  if (!log->file_) return nullptr;
  if (o.sweep_interval.count() > 0)
    log->sweeper_ = std::thread([raw = log.get()] { raw->SweepLoop(); });
  return log;
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
  std::lock_guard lock(mu_);
  std::vector<DenialSummary> pending;
  denials_.Drain(&pending);
  WriteSummariesLocked(pending, Now());
}

std::chrono::system_clock::time_point AuditLog::Now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

uint64_t AuditLog::write_errors() const {
  std::lock_guard lock(mu_);
  return write_errors_;
}

void AuditLog::WriteLocked(const std::string& line) {
  std::string error = file_->Append(line);
  if (error.empty()) return;
  if (write_errors_++ == 0) {
    std::fprintf(stderr, "audit log: %s (further errors are only counted)\n", error.c_str());
  }
}

void AuditLog::WriteSummariesLocked(std::vector<DenialSummary>& summaries,
                                    std::chrono::system_clock::time_point now) {
  for (const DenialSummary& s : summaries) WriteLocked(FormatDenialSummary(s, now) + "\n");
  summaries.clear();
}

void AuditLog::Record(const AuditEvent& event) {
  const auto now = Now();
  std::vector<DenialSummary> closed;
  if (event.outcome == AuditOutcome::kDenied) {
    std::lock_guard lock(mu_);
    const bool write = denials_.Note(event, now, &closed);
    WriteSummariesLocked(closed, now);
    if (write) WriteLocked(FormatAuditEvent(event, now) + "\n");
    return;
  }
  const std::string line = FormatAuditEvent(event, now) + "\n";
  std::lock_guard lock(mu_);
  WriteLocked(line);
}

void AuditLog::Sweep() {
  const auto now = Now();
  std::lock_guard lock(mu_);
  std::vector<DenialSummary> closed;
  denials_.Sweep(now, &closed);
  WriteSummariesLocked(closed, now);
}

void AuditLog::SweepLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.sweep_interval);
    if (stopping_) break;
    std::vector<DenialSummary> closed;
    const auto now = Now();
    denials_.Sweep(now, &closed);
    WriteSummariesLocked(closed, now);
  }
}

}  // namespace net
