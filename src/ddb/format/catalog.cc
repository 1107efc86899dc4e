#include "ddb/format/catalog.h"

#include <algorithm>
#include <mutex>

#include "ddb/format/keys.h"
#include "ddb/format/saved_stats.h"
#include "ddb/format/stored_item.h"

namespace ddb {

std::mutex& SchemaMutex() {
  static std::mutex mu;
  return mu;
}

Catalog::Catalog(Store* store, size_t max_tables) : store_(store), max_tables_(max_tables) {}

namespace {

constexpr std::string_view kSavedStatsKey = "clean_stats";

// The counters a clean shutdown saved, if any; the record is deleted (a
// synced write) so that a crash from here on leads to a recount.
Result<std::optional<SavedStats>> TakeSavedStats(Store& store) {
  std::string record;
  auto got = store.Get(keys::Meta(kSavedStatsKey), &record);
  if (!got.ok()) return std::move(got).error();
  if (!*got) return std::optional<SavedStats>();
  WriteBatch batch;
  batch.Delete(keys::Meta(kSavedStatsKey));
  RETURN_IF_ERROR(store.Write(batch));
  return DecodeSavedStats(record);
}

}  // namespace

Status Catalog::Load() {
  ASSIGN_OR_RETURN(std::optional<SavedStats> saved, TakeSavedStats(*store_));
  bool recounted = false;
  std::string lo(1, keys::kCatalog), hi(1, keys::kCatalog + 1);
  auto cur = store_->NewCursor(lo, hi);
  std::map<std::string, TablePtr, std::less<>> loaded;
  uint64_t max_id = 0;
  for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
    auto info = ParseTableInfo(cur->value());
    if (!info.ok()) return Internal("corrupt catalog entry: " + info.error().message);
    auto t = std::make_shared<Table>();
    t->info = std::move(info).value();
    t->stats = std::make_shared<LiveStats>();
    max_id = std::max(max_id, t->info.id);
    for (auto& i : t->info.gsis) max_id = std::max(max_id, i.id);
    for (auto& i : t->info.lsis) max_id = std::max(max_id, i.id);
    if (saved) {
      auto it = saved->find(t->info.id);
      auto has_index = [&](const IndexInfo& i) { return it->second.indexes.count(i.id) > 0; };
      if (it != saved->end() && std::all_of(t->info.gsis.begin(), t->info.gsis.end(), has_index) &&
          std::all_of(t->info.lsis.begin(), t->info.lsis.end(), has_index)) {
        t->stats->item_count = it->second.item_count;
        t->stats->size_bytes = it->second.size_bytes;
        for (const auto& [index_id, s] : it->second.indexes) {
          t->stats->AddIndex(index_id, s.item_count, s.size_bytes);
        }
        loaded[t->info.name] = std::move(t);
        continue;
      }
    }
    // No saved counters (a crash, or a folder from before they existed):
    // recount items and sizes.
    recounted = true;
    auto items = store_->NewCursor(keys::TablePrefix(t->info.id), keys::TablePrefixEnd(t->info.id));
    int64_t n = 0, bytes = 0;
    for (items->SeekToStart(); items->Valid(); items->Next()) {
      ++n;
      bytes += static_cast<int64_t>(StoredItemSize(items->value()));
    }
    t->stats->item_count = n;
    t->stats->size_bytes = bytes;
    auto count_index = [&](const IndexInfo& i) {
      std::string lo(1, keys::kIndex), hi(1, keys::kIndex);
      AppendBigEndian64(i.id, &lo);
      AppendBigEndian64(i.id + 1, &hi);
      auto c = store_->NewCursor(lo, hi);
      int64_t in = 0, ib = 0;
      for (c->SeekToStart(); c->Valid(); c->Next()) {
        ++in;
        ib += static_cast<int64_t>(StoredItemSize(c->value()));
      }
      t->stats->AddIndex(i.id, in, ib);
    };
    for (auto& i : t->info.gsis) count_index(i);
    for (auto& i : t->info.lsis) count_index(i);
    loaded[t->info.name] = std::move(t);
  }
  RETURN_IF_ERROR(cur->status());
  std::string next;
  auto got = store_->Get(keys::Meta("next_id"), &next);
  if (!got.ok()) return std::move(got).error();
  uint64_t stored_next = *got && next.size() == 8 ? ReadBigEndian64(next) : 1;
  std::unique_lock lock(mu_);
  tables_ = std::move(loaded);
  next_id_ = std::max(stored_next, max_id + 1);
  recounted_ = recounted;
  return Status::Ok();
}

Status Catalog::SaveStats() {
  SavedStats stats;
  {
    std::shared_lock lock(mu_);
    for (const auto& [name, t] : tables_) {
      TableStats& s = stats[t->info.id] = t->stats->Snapshot();
      // An index without entries yet has no counters: save its zeros.
      for (const auto& i : t->info.gsis) s.indexes.try_emplace(i.id);
      for (const auto& i : t->info.lsis) s.indexes.try_emplace(i.id);
    }
  }
  WriteBatch batch;
  batch.Put(keys::Meta(kSavedStatsKey), EncodeSavedStats(stats));
  return store_->Write(batch);
}

bool IsServing(std::string_view status) { return status != "CREATING" && status != "DELETING"; }

Status CheckChangeable(const Table& table) {
  if (table.info.status == "CREATING") {
    return ResourceInUse(
        "Attempt to change a resource which is still in use: Table is being created: " +
        table.info.name);
  }
  return Status::Ok();
}

Result<TablePtr> Catalog::Get(std::string_view name) const {
  TablePtr t = Find(name);
  if (!t || !IsServing(t->info.status)) return ResourceNotFound();
  return t;
}

TablePtr Catalog::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

uint64_t Catalog::NextId() {
  uint64_t id = next_id_.fetch_add(1);
  // Persist the high-water mark so ids are never reused after a restart.
  WriteBatch b;
  std::string v;
  AppendBigEndian64(id + 1, &v);
  b.Put(keys::Meta("next_id"), v);
  (void)store_->Write(b);
  return id;
}

Result<TablePtr> Catalog::Create(TableInfo info) {
  SyncAtExit synced(*store_);  // no fsync under mu_, which every call reads
  std::unique_lock lock(mu_);
  if (tables_.count(info.name)) return ResourceInUse("Table already exists: " + info.name);
  if (tables_.size() >= max_tables_) {
    return LimitExceeded("Subscriber limit exceeded: There is a limit of " +
                         std::to_string(max_tables_) + " tables per subscriber");
  }
  info.id = next_id_.fetch_add(1);
  for (auto& i : info.gsis) i.id = next_id_.fetch_add(1);
  for (auto& i : info.lsis) i.id = next_id_.fetch_add(1);
  WriteBatch b;
  b.Put(keys::CatalogKey(info.name), SerializeTableInfo(info));
  std::string v;
  AppendBigEndian64(next_id_.load(), &v);
  b.Put(keys::Meta("next_id"), v);
  RETURN_IF_ERROR(store_->Write(b));
  auto t = std::make_shared<Table>();
  t->info = std::move(info);
  t->stats = std::make_shared<LiveStats>();
  tables_[t->info.name] = t;
  return TablePtr(t);
}

Result<TablePtr> Catalog::Replace(const TableInfo& info) {
  SyncAtExit synced(*store_);  // no fsync under mu_, which every call reads
  std::unique_lock lock(mu_);
  auto it = tables_.find(info.name);
  // A table dropped and re-created meanwhile is another table.
  if (it == tables_.end() || it->second->info.id != info.id) return ResourceNotFound();
  WriteBatch b;
  b.Put(keys::CatalogKey(info.name), SerializeTableInfo(info));
  RETURN_IF_ERROR(store_->Write(b));
  auto t = std::make_shared<Table>();
  t->info = info;
  t->stats = it->second->stats;
  it->second = t;
  return TablePtr(t);
}

Result<TablePtr> Catalog::Drop(std::string_view name) {
  SyncAtExit synced(*store_);  // no fsync under mu_, which every call reads
  std::unique_lock lock(mu_);
  auto it = tables_.find(name);
  if (it == tables_.end()) return ResourceNotFound();
  TablePtr t = it->second;
  WriteBatch b;
  b.Delete(keys::CatalogKey(name));
  b.DeleteRange(keys::TablePrefix(t->info.id), keys::TablePrefixEnd(t->info.id));
  b.DeleteRange(keys::UndoTablePrefix(t->info.id), keys::UndoTablePrefixEnd(t->info.id));
  auto drop_index = [&](const IndexInfo& i) {
    std::string lo(1, keys::kIndex), hi(1, keys::kIndex);
    AppendBigEndian64(i.id, &lo);
    AppendBigEndian64(i.id + 1, &hi);
    b.DeleteRange(lo, hi);
  };
  for (auto& i : t->info.gsis) drop_index(i);
  for (auto& i : t->info.lsis) drop_index(i);
  RETURN_IF_ERROR(store_->Write(b));
  tables_.erase(it);
  return t;
}

std::vector<std::string> Catalog::Names() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  out.reserve(tables_.size());
  for (auto& [name, _] : tables_) out.push_back(name);
  return out;
}

}  // namespace ddb
