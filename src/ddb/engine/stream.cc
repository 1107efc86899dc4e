#include "ddb/engine/stream.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ddb/engine/clock.h"
#include "ddb/engine/engine_context.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/keys.h"
#include "ddb/engine/mix64.h"
#include "ddb/engine/request_util.h"

namespace ddb {

namespace {

constexpr uint64_t kSeqPerMs = 1000000;  // sequence numbers per millisecond
constexpr int64_t kMaxGetRecordsLimit = 1000;
constexpr int64_t kMaxDescribeLimit = 100;

// One stream: a table's stream between one enable and its disable.
struct StreamDesc {
  std::string arn, table_name, label, view_type, region;
  uint64_t id = 0, table_id = 0;
  std::string hash_key, range_key;
  int64_t created_ms = 0;
  int64_t shard_ms = 0;
  bool disabled = false;
  uint64_t end_seq = 0;      // disabled: the last sequence number it may hold
  uint64_t trimmed_seq = 0;  // the largest sequence number trimmed away
};

std::string FormatSeq(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%021llu", static_cast<unsigned long long>(seq));
  return buf;
}

std::optional<uint64_t> ParseSeq(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

uint64_t HashText(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return Mix64(h);
}

std::string Hex(uint64_t v, int digits) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return std::string(buf + 16 - digits, static_cast<size_t>(digits));
}

int64_t NowMs() { return std::llround(NowEpochSeconds() * 1000.0); }

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

std::string HttpDate(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

std::string StreamArnOf(const TableInfo& t) { return t.Arn() + "/stream/" + t.stream_label; }

Error StreamNotFound(std::string_view arn) {
  return ResourceNotFound("Requested resource not found: Stream: " + std::string(arn) +
                          " not found");
}
Error ShardNotFound(std::string_view shard) {
  return ResourceNotFound("Requested resource not found: Shard: " + std::string(shard) +
                          " not found");
}
Error Trimmed() {
  return Error{"TrimmedDataAccessException",
               "The operation attempted to read past the oldest stream record in a shard."};
}
Error NullParam(std::string_view param) {
  return Validation("1 validation error detected: Value null at '" + std::string(param) +
                    "' failed to satisfy constraint: Member must not be null");
}

std::string SerializeDesc(const StreamDesc& d) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  str("arn", d.arn);
  str("table", d.table_name);
  str("label", d.label);
  str("view", d.view_type);
  str("region", d.region);
  str("hash", d.hash_key);
  str("range", d.range_key);
  w.Key("id");
  w.Uint64(d.id);
  w.Key("table_id");
  w.Uint64(d.table_id);
  w.Key("created_ms");
  w.Int64(d.created_ms);
  w.Key("shard_ms");
  w.Int64(d.shard_ms);
  w.Key("disabled");
  w.Bool(d.disabled);
  w.Key("end_seq");
  w.Uint64(d.end_seq);
  w.Key("trimmed_seq");
  w.Uint64(d.trimmed_seq);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

std::optional<StreamDesc> ParseDesc(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  StreamDesc d;
  auto str = [&](const char* k, std::string* out) {
    auto it = doc.FindMember(k);
    if (it != doc.MemberEnd() && it->value.IsString()) out->assign(it->value.GetString());
  };
  auto u64 = [&](const char* k) -> uint64_t {
    auto it = doc.FindMember(k);
    return it != doc.MemberEnd() && it->value.IsUint64() ? it->value.GetUint64() : 0;
  };
  str("arn", &d.arn);
  str("table", &d.table_name);
  str("label", &d.label);
  str("view", &d.view_type);
  str("region", &d.region);
  str("hash", &d.hash_key);
  str("range", &d.range_key);
  d.id = u64("id");
  d.table_id = u64("table_id");
  d.created_ms = static_cast<int64_t>(u64("created_ms"));
  d.shard_ms = static_cast<int64_t>(u64("shard_ms"));
  auto it = doc.FindMember("disabled");
  d.disabled = it != doc.MemberEnd() && it->value.IsBool() && it->value.GetBool();
  d.end_seq = u64("end_seq");
  d.trimmed_seq = u64("trimmed_seq");
  if (d.arn.empty() || d.id == 0 || d.shard_ms <= 0) return std::nullopt;
  return d;
}

// ---- Shards -------------------------------------------------------------------
uint64_t ShardStart(const StreamDesc& d, int64_t k) {
  return static_cast<uint64_t>(d.created_ms + k * d.shard_ms) * kSeqPerMs;
}
uint64_t ShardEnd(const StreamDesc& d, int64_t k) { return ShardStart(d, k + 1) - 1; }
int64_t ShardOf(const StreamDesc& d, uint64_t seq) {
  int64_t ms = static_cast<int64_t>(seq / kSeqPerMs);
  if (ms < d.created_ms) return 0;
  return (ms - d.created_ms) / d.shard_ms;
}
std::string ShardId(const StreamDesc& d, int64_t k) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(d.created_ms + k * d.shard_ms));
  return "shardId-" + std::string(buf) + "-" + Hex(HashText(d.arn + "#" + std::to_string(k)), 8);
}
std::optional<int64_t> ParseShardId(const StreamDesc& d, std::string_view id) {
  if (id.size() != 37 || id.substr(0, 8) != "shardId-") return std::nullopt;
  auto ms = ParseSeq(id.substr(8, 20));
  if (!ms || static_cast<int64_t>(*ms) < d.created_ms) return std::nullopt;
  int64_t off = static_cast<int64_t>(*ms) - d.created_ms;
  if (off % d.shard_ms != 0) return std::nullopt;
  int64_t k = off / d.shard_ms;
  if (ShardId(d, k) != id) return std::nullopt;
  return k;
}

}  // namespace

struct StreamTicket {
  StreamRegistry* registry;
  uint64_t seq;
  ~StreamTicket();
};

class StreamRegistry {
 public:
  explicit StreamRegistry(StreamOptions o) : options(o) {}
  StreamOptions options;

  // Descriptors, by ARN.
  std::mutex mu;
  std::map<std::string, StreamDesc> streams;

  // Allocates a sequence number and holds it in flight.
  uint64_t Allocate(int64_t now_ms) {
    std::lock_guard lock(seq_mu_);
    uint64_t seq = std::max(last_ + 1, static_cast<uint64_t>(now_ms) * kSeqPerMs);
    last_ = seq;
    inflight_.insert(seq);
    return seq;
  }
  void Done(uint64_t seq) {
    std::lock_guard lock(seq_mu_);
    inflight_.erase(seq);
  }
  // Every sequence number <= the watermark is written or abandoned; every
  // later allocation is above it.
  uint64_t Watermark(int64_t now_ms) {
    std::lock_guard lock(seq_mu_);
    if (!inflight_.empty()) return *inflight_.begin() - 1;
    last_ = std::max(last_, static_cast<uint64_t>(now_ms) * kSeqPerMs - 1);
    return last_;
  }
  // Every later allocation is above the frontier.
  uint64_t Frontier(int64_t now_ms) {
    std::lock_guard lock(seq_mu_);
    last_ = std::max(last_, static_cast<uint64_t>(now_ms) * kSeqPerMs - 1);
    return last_;
  }
  void Recover(uint64_t seq) {
    std::lock_guard lock(seq_mu_);
    last_ = std::max(last_, seq);
  }

 private:
  std::mutex seq_mu_;
  uint64_t last_ = 0;
  std::set<uint64_t> inflight_;
};

StreamTicket::~StreamTicket() { registry->Done(seq); }

namespace {

int64_t RetentionMs(const StreamRegistry& r) {
  return static_cast<int64_t>(r.options.retention_seconds * 1000);
}
int64_t IteratorLifetimeMs(const StreamRegistry& r) {
  return std::max<int64_t>(1, std::llround(r.options.iterator_seconds * 1000));
}
// The background trim's period: trim_interval_seconds, or a quarter of a
// (test's) short retention so records go soon after they expire.
std::chrono::milliseconds TrimPeriod(const StreamOptions& o) {
  double s = std::min(o.trim_interval_seconds, o.retention_seconds / 4);
  return std::chrono::milliseconds(std::max<int64_t>(100, std::llround(s * 1000)));
}
uint64_t CutoffSeq(const StreamRegistry& r, int64_t now_ms) {
  int64_t ms = now_ms - RetentionMs(r);
  return ms <= 0 ? 0 : static_cast<uint64_t>(ms) * kSeqPerMs;
}

void PersistDesc(EngineContext& ctx, const StreamDesc& d) {
  WriteBatch b;
  b.Put(keys::StreamMetaKey(d.arn), SerializeDesc(d));
  (void)ctx.store->Write(b);
}

// A descriptor for the table's enabled stream. Caller holds r.mu.
StreamDesc NewDesc(EngineContext& ctx, const TableInfo& t) {
  StreamDesc d;
  d.arn = StreamArnOf(t);
  d.table_name = t.name;
  d.label = t.stream_label;
  d.view_type = t.stream_view_type;
  d.region = t.region;
  d.id = ctx.catalog.NextId();
  d.table_id = t.id;
  d.hash_key = t.key.hash.name;
  if (t.key.range) d.range_key = t.key.range->name;
  d.created_ms = LabelMs(t.stream_label);
  if (d.created_ms == 0) d.created_ms = NowMs();
  d.shard_ms =
      std::max<int64_t>(1, static_cast<int64_t>(ctx.streams->options.shard_seconds * 1000));
  return d;
}

// Marks streams whose table no longer has them enabled as DISABLED. Caller
// holds r.mu.
void RefreshLocked(EngineContext& ctx, StreamRegistry& r) {
  for (auto& [arn, d] : r.streams) {
    if (d.disabled) continue;
    TablePtr t = ctx.catalog.Find(d.table_name);
    bool current =
        t && t->info.id == d.table_id && t->info.stream_enabled && t->info.stream_label == d.label;
    if (current) continue;
    d.disabled = true;
    d.end_seq = r.Frontier(NowMs());
    PersistDesc(ctx, d);
  }
}

// The descriptor (a copy) after a refresh, or ResourceNotFoundException.
Result<StreamDesc> FindStream(EngineContext& ctx, std::string_view arn) {
  StreamRegistry& r = *ctx.streams;
  std::lock_guard lock(r.mu);
  RefreshLocked(ctx, r);
  auto it = r.streams.find(std::string(arn));
  if (it == r.streams.end()) return StreamNotFound(arn);
  return it->second;
}

// The shard range a stream shows now: [first, last], and whether `last` is
// still open.
struct ShardSpan {
  int64_t first = 0, last = 0;
  bool last_open = true;
  uint64_t watermark = 0;
};
ShardSpan SpanOf(StreamRegistry& r, const StreamDesc& d, int64_t now_ms) {
  ShardSpan s;
  s.watermark = r.Watermark(now_ms);
  if (d.disabled) {
    s.last = ShardOf(d, d.end_seq);
    s.last_open = false;
  } else {
    s.last = ShardOf(d, std::max(s.watermark, static_cast<uint64_t>(now_ms) * kSeqPerMs));
  }
  uint64_t horizon = std::max(CutoffSeq(r, now_ms), d.trimmed_seq + 1);
  s.first = std::min(s.last, ShardOf(d, horizon));
  if (ShardEnd(d, s.first) < horizon && s.first < s.last) ++s.first;
  return s;
}

// The last sequence number of shard k, or UINT64_MAX while it is open.
uint64_t ShardLast(const StreamDesc& d, const ShardSpan& s, int64_t k) {
  if (k < s.last) return ShardEnd(d, k);
  return s.last_open ? UINT64_MAX : d.end_seq;
}

// ---- Iterators --------------------------------------------------------------------
// <arn>|<shard>|<position>|<issued ms>|<check>: reads from `position` on.
struct Iterator {
  std::string arn;
  int64_t shard = 0;
  uint64_t position = 0;
  int64_t issued_ms = 0;
};

std::string EncodeIterator(const Iterator& it) {
  std::string body = it.arn + "|" + std::to_string(it.shard) + "|" + std::to_string(it.position) +
                     "|" + std::to_string(it.issued_ms);
  return body + "|" + Hex(HashText("ddb-iterator:" + body), 16);
}

std::optional<Iterator> DecodeIterator(std::string_view text) {
  size_t check = text.rfind('|');
  if (check == std::string_view::npos) return std::nullopt;
  std::string_view body = text.substr(0, check);
  if (Hex(HashText("ddb-iterator:" + std::string(body)), 16) != text.substr(check + 1)) {
    return std::nullopt;
  }
  // body = <arn>|<shard>|<position>|<issued>; the ARN has no '|'.
  std::vector<std::string_view> parts;  // issued, position, shard
  for (int i = 0; i < 3; ++i) {
    size_t bar = body.rfind('|');
    if (bar == std::string_view::npos) return std::nullopt;
    parts.push_back(body.substr(bar + 1));
    body = body.substr(0, bar);
  }
  Iterator it;
  it.arn.assign(body);
  auto issued = ParseSeq(parts[0]);
  auto pos = ParseSeq(parts[1]);
  auto shard = ParseSeq(parts[2]);
  if (!issued || !pos || !shard) return std::nullopt;
  it.issued_ms = static_cast<int64_t>(*issued);
  it.position = *pos;
  it.shard = static_cast<int64_t>(*shard);
  return it;
}

Result<std::optional<int64_t>> ReadLimit(const rapidjson::Value& req, int64_t max) {
  DDB_ASSIGN_OR_RETURN(auto limit, OptInt32(req, "Limit"));
  if (!limit) return std::optional<int64_t>{};
  if (*limit < 1) {
    return Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value greater "
                      "than or equal to 1");
  }
  if (*limit > max) {
    return Validation("1 validation error detected: Value '" + std::to_string(*limit) +
                      "' at 'limit' failed to satisfy constraint: Member must have value less "
                      "than or equal to " +
                      std::to_string(max));
  }
  return limit;
}

void WriteString(JsonWriter& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

void Trim(EngineContext& ctx) {
  StreamRegistry& r = *ctx.streams;
  int64_t now = NowMs();
  uint64_t cutoff = CutoffSeq(r, now);
  if (cutoff == 0) return;
  std::vector<StreamDesc> descs;
  {
    std::lock_guard lock(r.mu);
    RefreshLocked(ctx, r);
    for (const auto& [arn, d] : r.streams) descs.push_back(d);
  }
  for (const StreamDesc& d : descs) {
    std::string prefix = keys::StreamRecordPrefix(d.id);
    if (d.disabled && d.end_seq < cutoff) {
      // The whole stream has expired.
      WriteBatch b;
      b.DeleteRange(prefix, keys::PrefixEnd(prefix));
      b.Delete(keys::StreamMetaKey(d.arn));
      if (ctx.store->Write(b).ok()) {
        std::lock_guard lock(r.mu);
        r.streams.erase(d.arn);
      }
      continue;
    }
    std::string end = keys::StreamRecordKey(d.id, cutoff);
    auto cur = ctx.store->NewCursor(prefix, end, /*reverse=*/true);
    cur->SeekToStart();
    if (!cur->Valid()) continue;
    uint64_t newest = ReadBigEndian64(cur->key().substr(prefix.size()));
    WriteBatch b;
    b.DeleteRange(prefix, end);
    StreamDesc updated;
    {
      std::lock_guard lock(r.mu);
      auto it = r.streams.find(d.arn);
      if (it == r.streams.end()) continue;
      it->second.trimmed_seq = std::max(it->second.trimmed_seq, newest);
      updated = it->second;
    }
    b.Put(keys::StreamMetaKey(d.arn), SerializeDesc(updated));
    (void)ctx.store->Write(b);
  }
}

}  // namespace

Status OpenStreams(EngineContext& ctx, const StreamOptions& options) {
  ctx.streams = std::make_shared<StreamRegistry>(options);
  StreamRegistry& r = *ctx.streams;
  std::string meta = keys::StreamMetaPrefix();
  {
    auto cur = ctx.store->NewCursor(meta, keys::PrefixEnd(meta));
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
      if (auto d = ParseDesc(cur->value())) r.streams.emplace(d->arn, *d);
    }
    DDB_RETURN_IF_ERROR(cur->status());
  }
  // The sequence counter resumes above every stored record.
  for (const auto& [arn, d] : r.streams) {
    r.Recover(d.end_seq);
    r.Recover(d.trimmed_seq);
    std::string prefix = keys::StreamRecordPrefix(d.id);
    auto cur = ctx.store->NewCursor(prefix, keys::PrefixEnd(prefix), /*reverse=*/true);
    cur->SeekToStart();
    if (cur->Valid()) r.Recover(ReadBigEndian64(cur->key().substr(prefix.size())));
  }
  for (const auto& name : ctx.catalog.Names()) {
    if (TablePtr t = ctx.catalog.Find(name)) SyncTableStreams(ctx, t->info);
  }
  {
    std::lock_guard lock(r.mu);
    RefreshLocked(ctx, r);
  }
  EngineContext* c = &ctx;
  ctx.background.Run([c](const std::atomic<bool>& stopping) {
    auto next = std::chrono::steady_clock::now();
    while (!stopping.load()) {
      if (std::chrono::steady_clock::now() >= next) {
        Trim(*c);
        next = std::chrono::steady_clock::now() + TrimPeriod(c->streams->options);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  return Status::Ok();
}

void SyncTableStreams(EngineContext& ctx, const TableInfo& after) {
  if (!ctx.streams) return;
  StreamRegistry& r = *ctx.streams;
  std::lock_guard lock(r.mu);
  if (after.stream_enabled && !after.stream_label.empty()) {
    std::string arn = StreamArnOf(after);
    if (r.streams.find(arn) == r.streams.end()) {
      StreamDesc d = NewDesc(ctx, after);
      PersistDesc(ctx, d);
      r.streams.emplace(arn, std::move(d));
    }
  }
  RefreshLocked(ctx, r);
}

std::shared_ptr<StreamTicket> AddStreamRecord(EngineContext& ctx, const ItemWrite& w,
                                              WriteBatch& batch) {
  const TableInfo& t = w.table->info;
  if (!t.stream_enabled || t.stream_label.empty() || !ctx.streams) return nullptr;
  const bool had = w.old_item.has_value(), has = w.new_item.has_value();
  if (!had && !has) return nullptr;
  if (had && has && *w.old_item == *w.new_item) return nullptr;  // nothing changed
  StreamRegistry& r = *ctx.streams;
  uint64_t stream_id, seq;
  std::string view;
  int64_t now = NowMs();
  {
    std::lock_guard lock(r.mu);
    std::string arn = StreamArnOf(t);
    auto it = r.streams.find(arn);
    if (it == r.streams.end()) {
      StreamDesc d = NewDesc(ctx, t);
      batch.Put(keys::StreamMetaKey(arn), SerializeDesc(d));
      it = r.streams.emplace(arn, std::move(d)).first;
    }
    if (it->second.disabled) return nullptr;  // written with a stale schema
    stream_id = it->second.id;
    view = it->second.view_type;
    // Under r.mu, so a stream marked DISABLED never receives a later number.
    seq = r.Allocate(now);
  }
  std::shared_ptr<StreamTicket> ticket(new StreamTicket{&r, seq});

  const Item& any = has ? *w.new_item : *w.old_item;
  Item keys_item = KeyItem(t.key, any);
  const bool new_image = has && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  const bool old_image = had && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES");
  size_t size = ItemSize(keys_item);
  if (new_image) size += w.new_size;
  if (old_image) size += w.old_size;

  rapidjson::StringBuffer buf;
  JsonWriter out(buf);
  out.StartObject();
  WriteString(out, "eventID",
              Hex(Mix64(seq ^ (stream_id << 40)), 16) + Hex(Mix64(seq + stream_id * 31), 16));
  WriteString(out, "eventName", !had ? "INSERT" : (!has ? "REMOVE" : "MODIFY"));
  WriteString(out, "eventVersion", "1.1");
  WriteString(out, "eventSource", "aws:dynamodb");
  WriteString(out, "awsRegion", t.region);
  out.Key("dynamodb");
  out.StartObject();
  out.Key("ApproximateCreationDateTime");
  out.Int64(now / 1000);
  out.Key("Keys");
  EncodeItem(keys_item, out);
  if (new_image) {
    out.Key("NewImage");
    EncodeItem(*w.new_item, out);
  }
  if (old_image) {
    out.Key("OldImage");
    EncodeItem(*w.old_item, out);
  }
  WriteString(out, "SequenceNumber", FormatSeq(seq));
  out.Key("SizeBytes");
  out.Uint64(size);
  WriteString(out, "StreamViewType", view);
  out.EndObject();
  if (w.identity) {
    out.Key("userIdentity");
    out.StartObject();
    WriteString(out, "PrincipalId", w.identity->principal_id);
    WriteString(out, "Type", w.identity->type);
    out.EndObject();
  }
  out.EndObject();
  batch.Put(keys::StreamRecordKey(stream_id, seq),
            std::string_view(buf.GetString(), buf.GetSize()));
  return ticket;
}

void TrimStreamsNow(EngineContext& ctx) {
  if (ctx.streams) Trim(ctx);
}

std::string StreamVisibleWatermark(EngineContext& ctx) {
  return FormatSeq(ctx.streams->Watermark(NowMs()));
}

namespace ops {

Status ListStreams(EngineContext& ctx, const StreamRequest& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(auto table, OptString(req, "TableName"));
  if (table) DDB_RETURN_IF_ERROR(ValidateTableName(*table, "tableName"));
  DDB_ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxDescribeLimit));
  DDB_ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartStreamArn"));
  std::vector<StreamDesc> found;
  {
    StreamRegistry& r = *ctx.streams;
    std::lock_guard lock(r.mu);
    RefreshLocked(ctx, r);
    for (const auto& [arn, d] : r.streams) {
      if (table && d.table_name != *table) continue;
      found.push_back(d);
    }
  }
  if (table && found.empty() && !ctx.catalog.Find(*table)) {
    return ResourceNotFound("Requested resource not found: Table: " + *table + " not found");
  }
  out.StartObject();
  out.Key("Streams");
  out.StartArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const auto& d : found) {
    if (start && d.arn <= *start) continue;
    if (limit && n == static_cast<size_t>(*limit)) {
      more = true;
      break;
    }
    out.StartObject();
    WriteString(out, "StreamArn", d.arn);
    WriteString(out, "TableName", d.table_name);
    WriteString(out, "StreamLabel", d.label);
    out.EndObject();
    last = d.arn;
    ++n;
  }
  out.EndArray();
  if (more) WriteString(out, "LastEvaluatedStreamArn", last);
  out.EndObject();
  return Status::Ok();
}

Status DescribeStream(EngineContext& ctx, const StreamRequest& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(auto arn, OptString(req, "StreamArn"));
  if (!arn) return NullParam("streamArn");
  DDB_ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxDescribeLimit));
  DDB_ASSIGN_OR_RETURN(auto start, OptString(req, "ExclusiveStartShardId"));
  DDB_ASSIGN_OR_RETURN(StreamDesc d, FindStream(ctx, *arn));
  int64_t now = NowMs();
  ShardSpan span = SpanOf(*ctx.streams, d, now);
  int64_t first = span.first;
  if (start) {
    auto k = ParseShardId(d, *start);
    if (!k) return ShardNotFound(*start);
    first = std::max(first, *k + 1);
  }
  out.StartObject();
  out.Key("StreamDescription");
  out.StartObject();
  WriteString(out, "StreamArn", d.arn);
  WriteString(out, "StreamLabel", d.label);
  WriteString(out, "StreamStatus", d.disabled ? "DISABLED" : "ENABLED");
  WriteString(out, "StreamViewType", d.view_type);
  out.Key("CreationRequestDateTime");
  out.Double(static_cast<double>(d.created_ms) / 1000.0);
  WriteString(out, "TableName", d.table_name);
  out.Key("KeySchema");
  out.StartArray();
  out.StartObject();
  WriteString(out, "AttributeName", d.hash_key);
  WriteString(out, "KeyType", "HASH");
  out.EndObject();
  if (!d.range_key.empty()) {
    out.StartObject();
    WriteString(out, "AttributeName", d.range_key);
    WriteString(out, "KeyType", "RANGE");
    out.EndObject();
  }
  out.EndArray();
  out.Key("Shards");
  out.StartArray();
  int64_t max = limit.value_or(kMaxDescribeLimit);
  int64_t n = 0;
  std::string last_id;
  for (int64_t k = first; k <= span.last; ++k) {
    if (n == max) break;
    out.StartObject();
    std::string id = ShardId(d, k);
    WriteString(out, "ShardId", id);
    out.Key("SequenceNumberRange");
    out.StartObject();
    WriteString(out, "StartingSequenceNumber", FormatSeq(ShardStart(d, k)));
    uint64_t end = ShardLast(d, span, k);
    if (end != UINT64_MAX) WriteString(out, "EndingSequenceNumber", FormatSeq(end));
    out.EndObject();
    if (k > 0) WriteString(out, "ParentShardId", ShardId(d, k - 1));
    out.EndObject();
    last_id = id;
    ++n;
  }
  out.EndArray();
  if (n == max && first + n <= span.last) WriteString(out, "LastEvaluatedShardId", last_id);
  out.EndObject();
  out.EndObject();
  return Status::Ok();
}

Status GetShardIterator(EngineContext& ctx, const StreamRequest& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(auto arn, OptString(req, "StreamArn"));
  DDB_ASSIGN_OR_RETURN(auto shard_id, OptString(req, "ShardId"));
  DDB_ASSIGN_OR_RETURN(auto type, OptString(req, "ShardIteratorType"));
  DDB_ASSIGN_OR_RETURN(auto seq_text, OptString(req, "SequenceNumber"));
  if (!arn) return NullParam("streamArn");
  if (!shard_id) return NullParam("shardId");
  if (!type) return NullParam("shardIteratorType");
  const bool at = *type == "AT_SEQUENCE_NUMBER", after = *type == "AFTER_SEQUENCE_NUMBER";
  if (!at && !after && *type != "TRIM_HORIZON" && *type != "LATEST") {
    return Validation("1 validation error detected: Value '" + *type +
                      "' at 'shardIteratorType' failed to satisfy constraint: Member must "
                      "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, "
                      "AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
  }
  std::optional<uint64_t> seq;
  if (at || after) {
    if (!seq_text) {
      return Validation("Must specify a sequence number for iterator type " + *type);
    }
    seq = ParseSeq(*seq_text);
    if (!seq) return Validation("Invalid SequenceNumber: " + *seq_text);
  } else if (seq_text) {
    return Validation("Sequence number must not be specified for iterator type " + *type);
  }
  DDB_ASSIGN_OR_RETURN(StreamDesc d, FindStream(ctx, *arn));
  int64_t now = NowMs();
  StreamRegistry& r = *ctx.streams;
  ShardSpan span = SpanOf(r, d, now);
  auto k = ParseShardId(d, *shard_id);
  if (!k || *k > span.last) return ShardNotFound(*shard_id);
  const uint64_t start = ShardStart(d, *k), last = ShardLast(d, span, *k);
  if (*k < span.first) return Trimmed();
  Iterator it{d.arn, *k, 0, now};
  if (*type == "TRIM_HORIZON") {
    it.position = std::max(start, d.trimmed_seq + 1);
  } else if (*type == "LATEST") {
    it.position = last == UINT64_MAX ? span.watermark + 1 : last + 1;
    it.position = std::max(it.position, start);
  } else {
    if (*seq <= d.trimmed_seq || *seq < CutoffSeq(r, now)) return Trimmed();
    if (*seq < start || *seq > last) {
      return Validation("Invalid SequenceNumber " + *seq_text + " for shard " + *shard_id);
    }
    it.position = after ? *seq + 1 : *seq;
  }
  out.StartObject();
  WriteString(out, "ShardIterator", EncodeIterator(it));
  out.EndObject();
  return Status::Ok();
}

Status GetRecords(EngineContext& ctx, const StreamRequest& req, JsonWriter& out) {
  DDB_ASSIGN_OR_RETURN(auto text, OptString(req, "ShardIterator"));
  if (!text) return NullParam("shardIterator");
  DDB_ASSIGN_OR_RETURN(auto limit, ReadLimit(req, kMaxGetRecordsLimit));
  auto it = DecodeIterator(*text);
  if (!it) return Validation("Invalid ShardIterator");
  int64_t now = NowMs();
  const int64_t lifetime = IteratorLifetimeMs(*ctx.streams);
  if (now - it->issued_ms > lifetime) {
    return Error{"ExpiredIteratorException",
                 "Iterator expired. The iterator was created at time " + HttpDate(it->issued_ms) +
                     " while right now it is " + HttpDate(now) +
                     " which is further in the future than the tolerated delay of " +
                     std::to_string(lifetime) + " milliseconds."};
  }
  DDB_ASSIGN_OR_RETURN(StreamDesc d, FindStream(ctx, it->arn));
  if (it->position <= d.trimmed_seq) return Trimmed();
  StreamRegistry& r = *ctx.streams;
  ShardSpan span = SpanOf(r, d, now);
  if (it->shard > span.last) return ShardNotFound(ShardId(d, it->shard));
  const uint64_t last = ShardLast(d, span, it->shard);
  const uint64_t upper = std::min(last, span.watermark);  // readable up to here
  const int64_t max = limit.value_or(kMaxGetRecordsLimit);

  out.StartObject();
  out.Key("Records");
  out.StartArray();
  uint64_t next = it->position;
  int64_t n = 0;
  if (it->position <= upper) {
    std::string prefix = keys::StreamRecordPrefix(d.id);
    auto cur = ctx.store->NewCursor(keys::StreamRecordKey(d.id, it->position),
                                    keys::StreamRecordKey(d.id, upper + 1));
    for (cur->SeekToStart(); cur->Valid() && n < max; cur->Next()) {
      std::string_view v = cur->value();
      out.RawValue(v.data(), v.size(), rapidjson::kObjectType);
      next = ReadBigEndian64(cur->key().substr(prefix.size())) + 1;
      ++n;
    }
    DDB_RETURN_IF_ERROR(cur->status());
    if (n < max) next = upper + 1;  // everything readable was read
  }
  out.EndArray();
  // A closed shard read to its end has no next iterator.
  if (!(last != UINT64_MAX && next > last)) {
    Iterator nit{d.arn, it->shard, next, now};
    WriteString(out, "NextShardIterator", EncodeIterator(nit));
  }
  out.EndObject();
  return Status::Ok();
}

}  // namespace ops
}  // namespace ddb
