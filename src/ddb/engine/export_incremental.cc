#include "ddb/engine/export_incremental.h"

#include "ddb/format/keys.h"
#include "ddb/format/pitr_records.h"
#include "ddb/model/key_codec.h"

namespace ddb::exports {
namespace {

// Scratch writes go in batches of at most this many records or bytes.
constexpr size_t kBatchRecords = 256;
constexpr size_t kBatchBytes = 4u << 20;

// Writes key/value pairs in bounded batches.
class ScratchWriter {
 public:
  explicit ScratchWriter(Store& store) : store_(store) {}
  Status Put(const std::string& key, const std::string& value) {
    bytes_ += key.size() + value.size();
    batch_->Put(key, value);
    if (batch_->Count() >= kBatchRecords || bytes_ >= kBatchBytes) return Flush();
    return Status::Ok();
  }
  Status Flush() {
    if (batch_->Count() == 0) return Status::Ok();
    RETURN_IF_ERROR(store_.Write(*batch_));
    batch_ = std::make_unique<WriteBatch>();
    bytes_ = 0;
    return Status::Ok();
  }

 private:
  Store& store_;
  std::unique_ptr<WriteBatch> batch_ = std::make_unique<WriteBatch>();
  size_t bytes_ = 0;
};

// Each record of `undo` into `scratch` + item key: its previous image, the
// last one written winning.
Status FillImages(Store& store, Cursor& undo, const std::string& scratch) {
  ScratchWriter w(store);
  for (undo.SeekToStart(); undo.Valid(); undo.Next()) {
    ASSIGN_OR_RETURN(pitr::UndoRecord r, pitr::ParseUndoRecord(undo.value()));
    RETURN_IF_ERROR(w.Put(scratch + std::string(r.item_key), pitr::EncodeScratchValue(r)));
  }
  RETURN_IF_ERROR(undo.status());
  return w.Flush();
}

// Each record of `undo` into `scratch` + item key: its commit time, the
// last one written winning.
Status FillTimes(Store& store, Cursor& undo, size_t time_at, const std::string& scratch) {
  ScratchWriter w(store);
  for (undo.SeekToStart(); undo.Valid(); undo.Next()) {
    ASSIGN_OR_RETURN(pitr::UndoRecord r, pitr::ParseUndoRecord(undo.value()));
    if (undo.key().size() < time_at + 8) return Internal("corrupt point-in-time log record");
    RETURN_IF_ERROR(
        w.Put(scratch + std::string(r.item_key), std::string(undo.key().substr(time_at, 8))));
  }
  RETURN_IF_ERROR(undo.status());
  return w.Flush();
}

// The image at `key` of a scratch cursor: nullopt if it has no entry there;
// else an optional holding the stored item, empty when the item was absent.
std::optional<std::optional<std::string_view>> ScratchAt(Cursor& c, const std::string& key) {
  c.Seek(key);
  if (!c.Valid() || c.key() != key) return std::nullopt;
  const pitr::ScratchImage image = pitr::ParseScratchValue(c.value());
  if (!image.present) return std::optional<std::string_view>();
  return std::optional<std::string_view>(image.stored);
}

}  // namespace

IncrementalCursors OpenIncrementalCursors(EngineContext& ctx, uint64_t table_id, int64_t from_us,
                                          int64_t to_us) {
  IncrementalCursors c;
  c.items_prefix = keys::TablePrefix(table_id);
  c.items = ctx.store->NewCursor(c.items_prefix, keys::TablePrefixEnd(table_id));
  const std::string from = keys::UndoTimeKey(table_id, static_cast<uint64_t>(from_us));
  const std::string to = keys::UndoTimeKey(table_id, static_cast<uint64_t>(to_us));
  c.window_newest_first = ctx.store->NewCursor(from, to, /*reverse=*/true);
  c.window_oldest_first = ctx.store->NewCursor(from, to);
  c.after_newest_first =
      ctx.store->NewCursor(to, keys::UndoTablePrefixEnd(table_id), /*reverse=*/true);
  c.undo_time_at = keys::UndoTablePrefix(table_id).size();
  return c;
}

Status ReadWindowChanges(EngineContext& ctx, IncrementalCursors& c,
                         const std::function<Status(const WindowChange&)>& each) {
  const std::string before = keys::RestoreScratchPrefix(ctx.catalog.NextId());
  const std::string times = keys::RestoreScratchPrefix(ctx.catalog.NextId());
  const std::string after = keys::RestoreScratchPrefix(ctx.catalog.NextId());
  struct Cleanup {
    EngineContext& ctx;
    const std::string* prefixes[3];
    ~Cleanup() {
      WriteBatch b;
      for (const std::string* p : prefixes) b.DeleteRange(*p, keys::PrefixEnd(*p));
      (void)ctx.store->Write(b);
    }
  } cleanup{ctx, {&before, &times, &after}};

  Store& store = *ctx.store;
  // Newest first: the oldest record in the window wins, the image at its
  // start. Oldest first: the newest time wins. The records at or after the
  // end, newest first: the image at the end.
  RETURN_IF_ERROR(FillImages(store, *c.window_newest_first, before));
  RETURN_IF_ERROR(FillTimes(store, *c.window_oldest_first, c.undo_time_at, times));
  RETURN_IF_ERROR(FillImages(store, *c.after_newest_first, after));

  auto changed = store.NewCursor(before, keys::PrefixEnd(before));
  auto time_of = store.NewCursor(times, keys::PrefixEnd(times));
  auto end_image = store.NewCursor(after, keys::PrefixEnd(after));
  time_of->SeekToStart();
  std::string key;
  for (changed->SeekToStart(); changed->Valid(); changed->Next()) {
    const std::string_view item_key = changed->key().substr(before.size());
    // The same items, in the same order.
    if (!time_of->Valid() || time_of->key().substr(times.size()) != item_key ||
        time_of->value().size() != 8) {
      RETURN_IF_ERROR(time_of->status());
      return Internal("Internal server error");
    }
    WindowChange w;
    w.item_key = item_key;
    w.last_write_us = static_cast<int64_t>(ReadBigEndian64(time_of->value()));
    const pitr::ScratchImage start = pitr::ParseScratchValue(changed->value());
    if (start.present) w.before = start.stored;
    key.assign(after).append(item_key);
    if (auto later = ScratchAt(*end_image, key)) {
      w.after = *later;
    } else {
      key.assign(c.items_prefix).append(item_key);
      c.items->Seek(key);
      if (c.items->Valid() && c.items->key() == key) w.after = c.items->value();
    }
    RETURN_IF_ERROR(each(w));
    time_of->Next();
  }
  RETURN_IF_ERROR(changed->status());
  RETURN_IF_ERROR(end_image->status());
  return c.items->status();
}

}  // namespace ddb::exports
