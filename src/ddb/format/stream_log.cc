#include "ddb/format/stream_log.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "ddb/common/clock.h"
#include "ddb/format/keys.h"

namespace ddb {

using streams::kSeqPerMs;
using streams::StreamDesc;

namespace streams {
int64_t NowMs() { return std::llround(NowEpochSeconds() * 1000.0); }
}  // namespace streams

namespace {

using streams::NowMs;

// "YYYY-MM-DDTHH:MM:SS.mmm" (UTC) -> epoch milliseconds; 0 if malformed.
int64_t LabelMs(std::string_view label) {
  int y, mo, d, h, mi, s, ms = 0;
  std::string l(label);
  if (std::sscanf(l.c_str(), "%d-%d-%dT%d:%d:%d.%d", &y, &mo, &d, &h, &mi, &s, &ms) < 6) return 0;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

Error StreamNotFound(std::string_view arn) {
  return ResourceNotFound("Requested resource not found: Stream: " + std::string(arn) +
                          " not found");
}

}  // namespace

struct StreamTicket {
  StreamLog* log;
  uint64_t seq;
  ~StreamTicket() { log->Done(seq); }
};

StreamLog::StreamLog(Store* store, Catalog* catalog, const StreamOptions& options)
    : store_(store), catalog_(catalog), options_(options) {}

// ---- Sequence numbers ---------------------------------------------------------------

uint64_t StreamLog::Allocate(int64_t now_ms) {
  std::lock_guard lock(seq_mu_);
  uint64_t seq = std::max(last_ + 1, static_cast<uint64_t>(now_ms) * kSeqPerMs);
  last_ = seq;
  inflight_.insert(seq);
  return seq;
}

void StreamLog::Done(uint64_t seq) {
  std::lock_guard lock(seq_mu_);
  inflight_.erase(seq);
}

uint64_t StreamLog::Watermark(int64_t now_ms) {
  std::lock_guard lock(seq_mu_);
  if (!inflight_.empty()) return *inflight_.begin() - 1;
  last_ = std::max(last_, static_cast<uint64_t>(now_ms) * kSeqPerMs - 1);
  return last_;
}

uint64_t StreamLog::Frontier(int64_t now_ms) {
  std::lock_guard lock(seq_mu_);
  last_ = std::max(last_, static_cast<uint64_t>(now_ms) * kSeqPerMs - 1);
  return last_;
}

void StreamLog::Recover(uint64_t seq) {
  std::lock_guard lock(seq_mu_);
  last_ = std::max(last_, seq);
}

uint64_t StreamLog::CutoffSeq(int64_t now_ms) const {
  int64_t ms = now_ms - static_cast<int64_t>(options_.retention_seconds * 1000);
  return ms <= 0 ? 0 : static_cast<uint64_t>(ms) * kSeqPerMs;
}

int64_t StreamLog::IteratorLifetimeMs() const {
  return std::max<int64_t>(1, std::llround(options_.iterator_seconds * 1000));
}

std::string StreamLog::VisibleWatermark() { return streams::FormatSeq(Watermark(NowMs())); }

// ---- Descriptors ----------------------------------------------------------------------

void StreamLog::PersistDesc(const StreamDesc& d) {
  WriteBatch b;
  b.Put(keys::StreamMetaKey(d.arn), streams::SerializeDesc(d));
  (void)store_->Write(b);
}

StreamDesc StreamLog::NewDesc(const TableInfo& t) {
  StreamDesc d;
  d.arn = streams::StreamArnOf(t);
  d.table_name = t.name;
  d.label = t.stream_label;
  d.view_type = t.stream_view_type;
  d.region = t.region;
  d.id = catalog_->NextId();
  d.table_id = t.id;
  d.hash_key = t.key.hash.name;
  if (t.key.range) d.range_key = t.key.range->name;
  d.created_ms = LabelMs(t.stream_label);
  if (d.created_ms == 0) d.created_ms = NowMs();
  d.shard_ms = std::max<int64_t>(1, static_cast<int64_t>(options_.shard_seconds * 1000));
  return d;
}

void StreamLog::RefreshLocked() {
  for (auto& [arn, d] : streams_) {
    if (d.disabled) continue;
    TablePtr t = catalog_->Find(d.table_name);
    bool current =
        t && t->info.id == d.table_id && t->info.stream_enabled && t->info.stream_label == d.label;
    if (current) continue;
    d.disabled = true;
    d.end_seq = Frontier(NowMs());
    PersistDesc(d);
  }
}

Status StreamLog::Open() {
  std::string meta = keys::StreamMetaPrefix();
  {
    auto cur = store_->NewCursor(meta, keys::PrefixEnd(meta));
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
      if (auto d = streams::ParseDesc(cur->value())) streams_.emplace(d->arn, *d);
    }
    RETURN_IF_ERROR(cur->status());
  }
  // The sequence counter resumes above every stored record.
  for (const auto& [arn, d] : streams_) {
    Recover(d.end_seq);
    Recover(d.trimmed_seq);
    std::string prefix = keys::StreamRecordPrefix(d.id);
    auto cur = store_->NewCursor(prefix, keys::PrefixEnd(prefix), /*reverse=*/true);
    cur->SeekToStart();
    if (cur->Valid()) Recover(ReadBigEndian64(cur->key().substr(prefix.size())));
  }
  for (const auto& name : catalog_->Names()) {
    if (TablePtr t = catalog_->Find(name)) Sync(t->info);
  }
  {
    std::lock_guard lock(mu_);
    RefreshLocked();
  }
  return Status::Ok();
}

void StreamLog::Sync(const TableInfo& after) {
  std::lock_guard lock(mu_);
  if (after.stream_enabled && !after.stream_label.empty()) {
    std::string arn = streams::StreamArnOf(after);
    if (streams_.find(arn) == streams_.end()) {
      StreamDesc d = NewDesc(after);
      PersistDesc(d);
      streams_.emplace(arn, std::move(d));
    }
  }
  RefreshLocked();
}

// ---- Writing ---------------------------------------------------------------------------

std::shared_ptr<StreamTicket> StreamLog::Append(const ItemChange& c, WriteBatch& batch) {
  const TableInfo& t = *c.table;
  if (!t.stream_enabled || t.stream_label.empty()) return nullptr;
  const bool had = c.old_item != nullptr, has = c.new_item != nullptr;
  if (!had && !has) return nullptr;
  if (had && has && *c.old_item == *c.new_item) return nullptr;  // nothing changed
  uint64_t stream_id, seq;
  std::string view;
  int64_t now = NowMs();
  {
    std::lock_guard lock(mu_);
    std::string arn = streams::StreamArnOf(t);
    auto it = streams_.find(arn);
    if (it == streams_.end()) {
      StreamDesc d = NewDesc(t);
      batch.Put(keys::StreamMetaKey(arn), streams::SerializeDesc(d));
      it = streams_.emplace(arn, std::move(d)).first;
    }
    if (it->second.disabled) return nullptr;  // written with a stale schema
    stream_id = it->second.id;
    view = it->second.view_type;
    // Under mu_, so a stream marked DISABLED never receives a later number.
    seq = Allocate(now);
  }
  std::shared_ptr<StreamTicket> ticket(new StreamTicket{this, seq});
  batch.Put(keys::StreamRecordKey(stream_id, seq),
            streams::EncodeRecord(c, stream_id, seq, view, now));
  return ticket;
}

// ---- Trimming -------------------------------------------------------------------------

void StreamLog::Trim() {
  SyncAtExit synced(*store_);  // no fsync under mu_, which writers need
  int64_t now = NowMs();
  uint64_t cutoff = CutoffSeq(now);
  if (cutoff == 0) return;
  std::vector<StreamDesc> descs;
  {
    std::lock_guard lock(mu_);
    RefreshLocked();
    for (const auto& [arn, d] : streams_) descs.push_back(d);
  }
  for (const StreamDesc& d : descs) {
    std::string prefix = keys::StreamRecordPrefix(d.id);
    if (d.disabled && d.end_seq < cutoff) {
      // The whole stream has expired.
      WriteBatch b;
      b.DeleteRange(prefix, keys::PrefixEnd(prefix));
      b.Delete(keys::StreamMetaKey(d.arn));
      if (store_->Write(b).ok()) {
        std::lock_guard lock(mu_);
        streams_.erase(d.arn);
      }
      continue;
    }
    std::string end = keys::StreamRecordKey(d.id, cutoff);
    auto cur = store_->NewCursor(prefix, end, /*reverse=*/true);
    cur->SeekToStart();
    if (!cur->Valid()) continue;
    uint64_t newest = ReadBigEndian64(cur->key().substr(prefix.size()));
    WriteBatch b;
    b.DeleteRange(prefix, end);
    StreamDesc updated;
    {
      std::lock_guard lock(mu_);
      auto it = streams_.find(d.arn);
      if (it == streams_.end()) continue;
      it->second.trimmed_seq = std::max(it->second.trimmed_seq, newest);
      updated = it->second;
    }
    b.Put(keys::StreamMetaKey(d.arn), streams::SerializeDesc(updated));
    (void)store_->Write(b);
  }
}

// ---- Reading ---------------------------------------------------------------------------

std::vector<StreamDesc> StreamLog::List() {
  SyncAtExit synced(*store_);  // RefreshLocked may write: not under mu_
  std::lock_guard lock(mu_);
  RefreshLocked();
  std::vector<StreamDesc> out;
  for (const auto& [arn, d] : streams_) out.push_back(d);
  return out;
}

Result<StreamDesc> StreamLog::Find(std::string_view arn) {
  SyncAtExit synced(*store_);  // RefreshLocked may write: not under mu_
  std::lock_guard lock(mu_);
  RefreshLocked();
  auto it = streams_.find(std::string(arn));
  if (it == streams_.end()) return StreamNotFound(arn);
  return it->second;
}

streams::ShardSpan StreamLog::SpanOf(const StreamDesc& d, int64_t now_ms) {
  streams::ShardSpan s;
  s.watermark = Watermark(now_ms);
  if (d.disabled) {
    s.last = streams::ShardOf(d, d.end_seq);
    s.last_open = false;
  } else {
    s.last = streams::ShardOf(d, std::max(s.watermark, static_cast<uint64_t>(now_ms) * kSeqPerMs));
  }
  uint64_t horizon = std::max(CutoffSeq(now_ms), d.trimmed_seq + 1);
  s.first = std::min(s.last, streams::ShardOf(d, horizon));
  if (streams::ShardEnd(d, s.first) < horizon && s.first < s.last) ++s.first;
  return s;
}

}  // namespace ddb
