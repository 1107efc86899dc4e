#include "ddb/format/pitr_log.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ddb/common/clock.h"
#include "ddb/format/keys.h"
#include "ddb/format/pitr_records.h"

namespace ddb {
namespace {

// Records are kept this long past the start of the window, so a restore to
// the window's first instant, validated just before a trim, still finds
// them.
constexpr double kTrimMarginSeconds = 3600;
// How long a restore waits for commits older than its time to be written.
constexpr auto kCommitWait = std::chrono::seconds(5);

int64_t NowMicros() { return std::llround(NowEpochSeconds() * 1e6); }
int64_t ToMicros(double seconds) { return std::llround(seconds * 1e6); }

}  // namespace

struct PitrTicket {
  PitrLog* log;
  int64_t time_us;
  ~PitrTicket() {
    std::lock_guard lock(log->mu_);
    log->inflight_.erase(log->inflight_.find(time_us));
    log->committed_.notify_all();
  }
};

double PitrEarliestRestorable(const TableInfo& t, double now) {
  return std::max(t.pitr_enabled_time, now - static_cast<double>(t.pitr_recovery_days) * 86400);
}

int64_t PitrLog::NextTimeLocked() {
  last_us_ = std::max(last_us_ + 1, NowMicros());
  return last_us_;
}

void PitrLog::SetEnabledLocked(uint64_t table_id, bool on) {
  if (on) {
    enabled_.insert(table_id);
  } else {
    enabled_.erase(table_id);
  }
  enabled_count_ = enabled_.size();
}

std::shared_ptr<PitrTicket> PitrLog::AddUndoRecord(const ItemChange& c, WriteBatch& batch,
                                                   PitrCommit& commit) {
  if (enabled_count_.load() == 0) return nullptr;
  const bool had = c.old_item != nullptr, has = c.new_item != nullptr;
  if (!had && !has) return nullptr;
  if (had && has && *c.old_item == *c.new_item) return nullptr;  // nothing changes
  const TableInfo& t = *c.table;
  {
    std::lock_guard lock(mu_);
    // The registry, not `t` (which may be older than the last
    // UpdateContinuousBackups), decides: a commit timed after PITR was
    // enabled is always logged.
    if (!enabled_.count(t.id)) return nullptr;
    if (!commit.ticket) {
      int64_t time = NextTimeLocked();
      inflight_.insert(time);
      commit.ticket.reset(new PitrTicket{this, time});
    }
  }
  const std::string prefix = keys::TablePrefix(t.id);
  std::string_view item_key = c.key.substr(prefix.size());
  batch.Put(
      keys::UndoRecordKey(t.id, static_cast<uint64_t>(commit.ticket->time_us), commit.records++),
      pitr::EncodeUndoRecord(had, item_key, c.old_stored));
  return commit.ticket;
}

Result<TablePtr> PitrLog::Enable(TableInfo info) {
  std::lock_guard lock(mu_);
  // Under mu_: every commit timed after this instant sees the table enabled.
  const int64_t start = NextTimeLocked();
  info.pitr_enabled = true;
  info.pitr_enabled_time = static_cast<double>(start) / 1e6;
  ASSIGN_OR_RETURN(TablePtr table, catalog_->Replace(info));
  SetEnabledLocked(info.id, true);
  return table;
}

Result<TablePtr> PitrLog::Disable(TableInfo info) {
  std::lock_guard lock(mu_);
  info.pitr_enabled = false;
  ASSIGN_OR_RETURN(TablePtr table, catalog_->Replace(info));
  SetEnabledLocked(info.id, false);
  // A commit timed before this point may still add its record after the
  // range is deleted: such a record predates any later history and the
  // trim removes it.
  WriteBatch b;
  b.DeleteRange(keys::UndoTablePrefix(info.id), keys::UndoTablePrefixEnd(info.id));
  RETURN_IF_ERROR(store_->Write(b));
  return table;
}

int64_t PitrLog::LatestTime() {
  std::lock_guard lock(mu_);
  return std::max(last_us_, NowMicros());
}

void PitrLog::WaitForCommits(int64_t time_us) {
  std::unique_lock lock(mu_);
  // Later commits are timed after `time_us`: a restore to it never has to
  // guess about a commit timed exactly then.
  RaiseLocked(time_us);
  committed_.wait_for(lock, kCommitWait,
                      [&] { return inflight_.empty() || *inflight_.begin() > time_us; });
}

std::unique_ptr<Cursor> PitrLog::NewUndoCursor(uint64_t table_id, int64_t after_us) {
  return store_->NewCursor(keys::UndoTimeKey(table_id, static_cast<uint64_t>(after_us) + 1),
                           keys::UndoTablePrefixEnd(table_id), /*reverse=*/true);
}

// Trims one table's log: records older than the window (with a margin) of
// a table with PITR enabled; the whole log of a dropped or disabled table
// (left by a crash or by a commit racing the drop), unless PITR has been
// enabled on it meanwhile.
void PitrLog::TrimTable(uint64_t id, const TablePtr& table, double now) {
  WriteBatch b;
  if (table && table->info.pitr_enabled) {
    const double cutoff = PitrEarliestRestorable(table->info, now) - kTrimMarginSeconds;
    if (cutoff <= 0) return;
    b.DeleteRange(keys::UndoTablePrefix(id),
                  keys::UndoTimeKey(id, static_cast<uint64_t>(ToMicros(cutoff))));
    (void)store_->Write(b);
    return;
  }
  std::lock_guard lock(mu_);
  if (enabled_.count(id)) return;
  b.DeleteRange(keys::UndoTablePrefix(id), keys::UndoTablePrefixEnd(id));
  (void)store_->Write(b);
}

void PitrLog::Trim() {
  const double now = NowEpochSeconds();
  std::map<uint64_t, TablePtr> by_id;
  for (const std::string& name : catalog_->Names()) {
    if (TablePtr t = catalog_->Find(name)) by_id[t->info.id] = t;
  }
  // One step per table that has a log.
  const std::string all = keys::UndoLogPrefix();
  auto cur = store_->NewCursor(all, keys::PrefixEnd(all));
  cur->SeekToStart();
  while (cur->Valid()) {
    const uint64_t id = pitr::TableIdOfUndoKey(cur->key());
    auto it = by_id.find(id);
    TrimTable(id, it == by_id.end() ? nullptr : it->second, now);
    cur->Seek(keys::UndoTablePrefixEnd(id));
  }
  // Forget dropped tables, so that writes skip the log's lock again once
  // no table is logged. Under mu_, no table can be enabled meanwhile.
  std::lock_guard lock(mu_);
  std::set<uint64_t> live;
  for (const std::string& name : catalog_->Names()) {
    if (TablePtr t = catalog_->Find(name)) live.insert(t->info.id);
  }
  std::vector<uint64_t> gone;
  for (uint64_t id : enabled_) {
    if (!live.count(id)) gone.push_back(id);
  }
  for (uint64_t id : gone) SetEnabledLocked(id, false);
}

Status PitrLog::Open() {
  {
    std::lock_guard lock(mu_);
    for (const std::string& name : catalog_->Names()) {
      TablePtr t = catalog_->Find(name);
      if (!t || !t->info.pitr_enabled) continue;
      SetEnabledLocked(t->info.id, true);
      RaiseLocked(ToMicros(t->info.pitr_enabled_time));
      // The counter resumes above the table's newest record, whatever the
      // clock says after the restart.
      auto cur = store_->NewCursor(keys::UndoTablePrefix(t->info.id),
                                   keys::UndoTablePrefixEnd(t->info.id), /*reverse=*/true);
      cur->SeekToStart();
      const size_t time_at = keys::UndoTablePrefix(t->info.id).size();
      if (cur->Valid() && cur->key().size() >= time_at + 8) {
        RaiseLocked(static_cast<int64_t>(ReadBigEndian64(cur->key().substr(time_at, 8))));
      }
      RETURN_IF_ERROR(cur->status());
    }
  }
  // What an interrupted restore left.
  WriteBatch b;
  b.DeleteRange(keys::RestoreScratchPrefix(), keys::PrefixEnd(keys::RestoreScratchPrefix()));
  RETURN_IF_ERROR(store_->Write(b));
  Trim();
  return Status::Ok();
}

}  // namespace ddb
