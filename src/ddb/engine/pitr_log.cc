#include "ddb/engine/pitr_log.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ddb/engine/backup.h"
#include "ddb/engine/clock.h"
#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/keys.h"

namespace ddb {
namespace {

// How often the background trim runs.
constexpr double kTrimIntervalSeconds = 60;
// Records are kept this long past the start of the window, so a restore to
// the window's first instant, validated just before a trim, still finds
// them.
constexpr double kTrimMarginSeconds = 3600;
// A restore's scratch is written in batches of at most this many records
// or bytes.
constexpr size_t kScratchBatchRecords = 256;
constexpr size_t kScratchBatchBytes = 4u << 20;
// How long a restore waits for commits older than its time to be written.
constexpr auto kCommitWait = std::chrono::seconds(5);

constexpr char kAbsent = 0;
constexpr char kPresent = 1;

int64_t NowMicros() { return std::llround(NowEpochSeconds() * 1e6); }
int64_t ToMicros(double seconds) { return std::llround(seconds * 1e6); }

void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}
uint32_t ReadBigEndian32(std::string_view b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

// An undo record's value, decoded (views into the stored bytes).
struct UndoRecord {
  bool present = false;
  std::string_view item_key;
  std::string_view stored;  // the previous item when present
};

Result<UndoRecord> ParseUndoRecord(std::string_view v) {
  auto bad = [] { return Internal("corrupt point-in-time log record"); };
  if (v.size() < 5 || (v[0] != kAbsent && v[0] != kPresent)) return bad();
  uint32_t len = ReadBigEndian32(v.substr(1, 4));
  if (v.size() < 5 + static_cast<size_t>(len)) return bad();
  UndoRecord r;
  r.present = v[0] == kPresent;
  r.item_key = v.substr(5, len);
  r.stored = v.substr(5 + len);
  return r;
}

uint64_t TableIdOfUndoKey(std::string_view key) {
  return ReadBigEndian64(key.substr(keys::UndoLogPrefix().size(), 8));
}

}  // namespace

class PitrLog {
 public:
  std::mutex mu;
  // Ids of the tables whose commits are logged. Guarded by mu.
  std::set<uint64_t> enabled;
  // enabled.size(): writes skip the lock while no table is logged.
  std::atomic<size_t> enabled_count{0};
  std::condition_variable committed;

  // The next commit time. Caller holds mu.
  int64_t NextTimeLocked() {
    last_us_ = std::max(last_us_ + 1, NowMicros());
    return last_us_;
  }
  // Every later commit time is above `t`. Caller holds mu.
  void RaiseLocked(int64_t t) { last_us_ = std::max(last_us_, t); }
  int64_t LastLocked() const { return last_us_; }
  void SetEnabledLocked(uint64_t table_id, bool on) {
    if (on) {
      enabled.insert(table_id);
    } else {
      enabled.erase(table_id);
    }
    enabled_count = enabled.size();
  }
  // Times of the commits not yet written or abandoned. Guarded by mu.
  std::multiset<int64_t> inflight;

 private:
  int64_t last_us_ = 0;
};

struct PitrTicket {
  PitrLog* log;
  int64_t time_us;
  ~PitrTicket() {
    std::lock_guard lock(log->mu);
    log->inflight.erase(log->inflight.find(time_us));
    log->committed.notify_all();
  }
};

double PitrEarliestRestorable(const TableInfo& t, double now) {
  return std::max(t.pitr_enabled_time, now - static_cast<double>(t.pitr_recovery_days) * 86400);
}

std::shared_ptr<PitrTicket> AddUndoRecord(EngineContext& ctx, const ItemWrite& w, WriteBatch& batch,
                                          PitrCommit& commit) {
  PitrLog* log = ctx.pitr.get();
  if (!log || log->enabled_count.load() == 0) return nullptr;
  const bool had = w.old_item.has_value(), has = w.new_item.has_value();
  if (!had && !has) return nullptr;
  if (had && has && *w.old_item == *w.new_item) return nullptr;  // nothing changes
  const TableInfo& t = w.table->info;
  {
    std::lock_guard lock(log->mu);
    // The registry, not `t` (which may be older than the last
    // UpdateContinuousBackups), decides: a commit timed after PITR was
    // enabled is always logged.
    if (!log->enabled.count(t.id)) return nullptr;
    if (!commit.ticket) {
      int64_t time = log->NextTimeLocked();
      log->inflight.insert(time);
      commit.ticket.reset(new PitrTicket{log, time});
    }
  }
  const std::string prefix = keys::TablePrefix(t.id);
  std::string_view item_key = std::string_view(w.key).substr(prefix.size());
  std::string value(1, had ? kPresent : kAbsent);
  AppendBigEndian32(static_cast<uint32_t>(item_key.size()), &value);
  value += item_key;
  if (had) value += w.old_stored;
  batch.Put(
      keys::UndoRecordKey(t.id, static_cast<uint64_t>(commit.ticket->time_us), commit.records++),
      value);
  return commit.ticket;
}

Result<TablePtr> EnablePitrLog(EngineContext& ctx, TableInfo info) {
  PitrLog& log = *ctx.pitr;
  std::lock_guard lock(log.mu);
  // Under mu: every commit timed after this instant sees the table enabled.
  const int64_t start = log.NextTimeLocked();
  info.pitr_enabled = true;
  info.pitr_enabled_time = static_cast<double>(start) / 1e6;
  DDB_ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Replace(info));
  log.SetEnabledLocked(info.id, true);
  return table;
}

Result<TablePtr> DisablePitrLog(EngineContext& ctx, TableInfo info) {
  PitrLog& log = *ctx.pitr;
  std::lock_guard lock(log.mu);
  info.pitr_enabled = false;
  DDB_ASSIGN_OR_RETURN(TablePtr table, ctx.catalog.Replace(info));
  log.SetEnabledLocked(info.id, false);
  // A commit timed before this point may still add its record after the
  // range is deleted: such a record predates any later history and the
  // trim removes it.
  WriteBatch b;
  b.DeleteRange(keys::UndoTablePrefix(info.id), keys::UndoTablePrefixEnd(info.id));
  DDB_RETURN_IF_ERROR(ctx.store->Write(b));
  return table;
}

int64_t PitrLatestTime(EngineContext& ctx) {
  PitrLog& log = *ctx.pitr;
  std::lock_guard lock(log.mu);
  return std::max(log.LastLocked(), NowMicros());
}

void WaitForPitrCommits(EngineContext& ctx, int64_t time_us) {
  PitrLog& log = *ctx.pitr;
  std::unique_lock lock(log.mu);
  // Later commits are timed after `time_us`: a restore to it never has to
  // guess about a commit timed exactly then.
  log.RaiseLocked(time_us);
  log.committed.wait_for(lock, kCommitWait,
                         [&] { return log.inflight.empty() || *log.inflight.begin() > time_us; });
}

std::unique_ptr<Cursor> NewUndoCursor(EngineContext& ctx, uint64_t table_id, int64_t after_us) {
  return ctx.store->NewCursor(keys::UndoTimeKey(table_id, static_cast<uint64_t>(after_us) + 1),
                              keys::UndoTablePrefixEnd(table_id), /*reverse=*/true);
}

Result<TablePtr> RestoreAsOf(EngineContext& ctx, TableInfo info, Cursor& items,
                             size_t items_prefix_len, Cursor& undo) {
  const std::string scratch = keys::RestoreScratchPrefix(ctx.catalog.NextId());
  struct ScratchCleanup {
    EngineContext& ctx;
    const std::string& prefix;
    ~ScratchCleanup() {
      WriteBatch b;
      b.DeleteRange(prefix, keys::PrefixEnd(prefix));
      (void)ctx.store->Write(b);
    }
  } cleanup{ctx, scratch};

  // 1. The image of each changed item at the restore time: records newest
  // first, so the oldest one of an item is written last and wins.
  auto batch = std::make_unique<WriteBatch>();
  size_t bytes = 0;
  for (undo.SeekToStart(); undo.Valid(); undo.Next()) {
    DDB_ASSIGN_OR_RETURN(UndoRecord r, ParseUndoRecord(undo.value()));
    std::string value(1, r.present ? kPresent : kAbsent);
    value += r.stored;
    bytes += value.size() + r.item_key.size();
    batch->Put(scratch + std::string(r.item_key), value);
    if (batch->Count() >= kScratchBatchRecords || bytes >= kScratchBatchBytes) {
      DDB_RETURN_IF_ERROR(ctx.store->Write(*batch));
      batch = std::make_unique<WriteBatch>();
      bytes = 0;
    }
  }
  DDB_RETURN_IF_ERROR(undo.status());
  if (batch->Count() > 0) DDB_RETURN_IF_ERROR(ctx.store->Write(*batch));

  // 2. The current items, with the changed ones replaced (or left out): a
  // merge of two cursors ordered by item key.
  auto changed = ctx.store->NewCursor(scratch, keys::PrefixEnd(scratch));
  changed->SeekToStart();
  items.SeekToStart();
  backups::RestoreSource next = [&](std::string* key, std::string* stored) -> Result<bool> {
    while (true) {
      const bool have_item = items.Valid(), have_changed = changed->Valid();
      if (!have_item && !have_changed) {
        DDB_RETURN_IF_ERROR(items.status());
        DDB_RETURN_IF_ERROR(changed->status());
        return false;
      }
      std::string_view ik = have_item ? items.key().substr(items_prefix_len) : std::string_view();
      std::string_view ck =
          have_changed ? changed->key().substr(scratch.size()) : std::string_view();
      if (have_changed && (!have_item || ck <= ik)) {
        if (have_item && ck == ik) items.Next();
        std::string_view v = changed->value();
        const bool present = !v.empty() && v[0] == kPresent;
        if (present) {
          key->assign(ck);
          stored->assign(v.substr(1));
        }
        changed->Next();
        if (present) return true;
        continue;  // absent at the restore time
      }
      key->assign(ik);
      stored->assign(items.value());
      items.Next();
      return true;
    }
  };
  return backups::RestoreInto(ctx, std::move(info), next);
}

namespace {

// Trims one table's log: records older than the window (with a margin) of
// a table with PITR enabled; the whole log of a dropped or disabled table
// (left by a crash or by a commit racing the drop), unless PITR has been
// enabled on it meanwhile.
void TrimTableLog(EngineContext& ctx, uint64_t id, const TablePtr& table, double now) {
  WriteBatch b;
  if (table && table->info.pitr_enabled) {
    const double cutoff = PitrEarliestRestorable(table->info, now) - kTrimMarginSeconds;
    if (cutoff <= 0) return;
    b.DeleteRange(keys::UndoTablePrefix(id),
                  keys::UndoTimeKey(id, static_cast<uint64_t>(ToMicros(cutoff))));
    (void)ctx.store->Write(b);
    return;
  }
  std::lock_guard lock(ctx.pitr->mu);
  if (ctx.pitr->enabled.count(id)) return;
  b.DeleteRange(keys::UndoTablePrefix(id), keys::UndoTablePrefixEnd(id));
  (void)ctx.store->Write(b);
}

}  // namespace

void TrimPitrLogs(EngineContext& ctx) {
  PitrLog* log = ctx.pitr.get();
  if (!log) return;
  const double now = NowEpochSeconds();
  std::map<uint64_t, TablePtr> by_id;
  for (const std::string& name : ctx.catalog.Names()) {
    if (TablePtr t = ctx.catalog.Find(name)) by_id[t->info.id] = t;
  }
  // One step per table that has a log.
  const std::string all = keys::UndoLogPrefix();
  auto cur = ctx.store->NewCursor(all, keys::PrefixEnd(all));
  cur->SeekToStart();
  while (cur->Valid()) {
    const uint64_t id = TableIdOfUndoKey(cur->key());
    auto it = by_id.find(id);
    TrimTableLog(ctx, id, it == by_id.end() ? nullptr : it->second, now);
    cur->Seek(keys::UndoTablePrefixEnd(id));
  }
  // Forget dropped tables, so that writes skip the log's lock again once
  // no table is logged. Under mu, no table can be enabled meanwhile.
  std::lock_guard lock(log->mu);
  std::set<uint64_t> live;
  for (const std::string& name : ctx.catalog.Names()) {
    if (TablePtr t = ctx.catalog.Find(name)) live.insert(t->info.id);
  }
  std::vector<uint64_t> gone;
  for (uint64_t id : log->enabled) {
    if (!live.count(id)) gone.push_back(id);
  }
  for (uint64_t id : gone) log->SetEnabledLocked(id, false);
}

Status OpenPitrLog(EngineContext& ctx) {
  ctx.pitr = std::make_shared<PitrLog>();
  PitrLog& log = *ctx.pitr;
  {
    std::lock_guard lock(log.mu);
    for (const std::string& name : ctx.catalog.Names()) {
      TablePtr t = ctx.catalog.Find(name);
      if (!t || !t->info.pitr_enabled) continue;
      log.SetEnabledLocked(t->info.id, true);
      log.RaiseLocked(ToMicros(t->info.pitr_enabled_time));
      // The counter resumes above the table's newest record, whatever the
      // clock says after the restart.
      auto cur = ctx.store->NewCursor(keys::UndoTablePrefix(t->info.id),
                                      keys::UndoTablePrefixEnd(t->info.id), /*reverse=*/true);
      cur->SeekToStart();
      const size_t time_at = keys::UndoTablePrefix(t->info.id).size();
      if (cur->Valid() && cur->key().size() >= time_at + 8) {
        log.RaiseLocked(static_cast<int64_t>(ReadBigEndian64(cur->key().substr(time_at, 8))));
      }
      DDB_RETURN_IF_ERROR(cur->status());
    }
  }
  // What an interrupted restore left.
  WriteBatch b;
  b.DeleteRange(keys::RestoreScratchPrefix(), keys::PrefixEnd(keys::RestoreScratchPrefix()));
  DDB_RETURN_IF_ERROR(ctx.store->Write(b));
  TrimPitrLogs(ctx);
  EngineContext* c = &ctx;
  ctx.background.Run([c](const std::atomic<bool>& stopping) {
    using Clock = std::chrono::steady_clock;
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(kTrimIntervalSeconds));
    auto next = Clock::now() + interval;
    while (!stopping.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (Clock::now() < next) continue;
      TrimPitrLogs(*c);
      next = Clock::now() + interval;
    }
  });
  return Status::Ok();
}

}  // namespace ddb
