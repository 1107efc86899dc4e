#include "ddb/engine/import_job.h"

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "ddb/common/clock.h"
#include "ddb/engine/item_common.h"
#include "ddb/engine/item_write.h"
#include "ddb/engine/service_write.h"
#include "ddb/format/item_key.h"

namespace ddb::imports {
namespace {

// Progress is saved after every object and every kSaveEvery records.
constexpr int64_t kSaveEvery = 10000;
// Items are written kBatchItems (or kBatchBytes) at a time, in one synced
// batch each: one fsync per batch rather than per item.
constexpr size_t kBatchItems = 500;
constexpr size_t kBatchBytes = 4u << 20;

enum class Outcome { kCompleted, kStopped, kTableGone, kFailed };

class Importer {
 public:
  Importer(EngineContext& ctx, ImportJob& job, const std::atomic<bool>& stopping)
      : ctx_(ctx), job_(job), r_(job.record), stopping_(stopping) {}

  Outcome Run() {
    const ExportRoot root(ctx_.options.export_root);
    for (const SourceObject& o : job_.objects) {
      TablePtr t = Table();
      if (!t) return Outcome::kTableGone;
      auto reader = OpenSource(root, r_.bucket, o, job_.compression, t->info, job_.csv, job_.ion);
      r_.processed_bytes += o.size;
      if (!reader.ok()) {
        CountError(o, 0, reader.error());
        continue;
      }
      int64_t record_no = 0;
      while (true) {
        if (stopping_) return Outcome::kStopped;
        SourceRecord rec;
        auto more = (*reader)->Next(&rec);
        if (!more.ok()) {
          CountError(o, record_no + 1, more.error());
          break;
        }
        if (!*more) break;
        ++record_no;
        ++r_.processed_items;
        if (rec.problem.ok()) {
          Status written = Write(std::move(rec.item));
          if (!written.ok()) {
            if (written.error().code == ErrorCode::kResourceNotFound) return Outcome::kTableGone;
            if (written.error().code != ErrorCode::kValidation) {
              std::fprintf(stderr, "ddb: import %s: write failed: %s\n", r_.arn.c_str(),
                           written.error().message.c_str());
              return Outcome::kFailed;
            }
            CountError(o, record_no, written.error());
          } else {
            ++r_.imported_items;
          }
        } else {
          CountError(o, record_no, rec.problem.error());
        }
        if (r_.processed_items % kSaveEvery == 0) {
          if (Outcome out = FlushOrFail(); out != Outcome::kCompleted) return out;
          Save();
        }
      }
      if (Outcome out = FlushOrFail(); out != Outcome::kCompleted) return out;
      Save();
    }
    return Outcome::kCompleted;
  }

  // The import's table, if it is still the one the import created.
  TablePtr Table() const {
    TablePtr t = ctx_.catalog.Find(r_.table_name);
    return t && t->info.id == r_.table_uid ? t : nullptr;
  }

  void Save() {
    if (Status st = SaveImport(*ctx_.store, r_); !st.ok()) {
      std::fprintf(stderr, "ddb: import %s: record not saved: %s\n", r_.arn.c_str(),
                   st.error().message.c_str());
    }
  }

 private:
  // Accepts an item into the pending batch (written by Flush).
  // ValidationException: the item is refused (an error of the import);
  // ResourceNotFound: the table is gone; anything else fails the import.
  Status Write(Item item) {
    TablePtr t = Table();
    if (!t) return Error{ErrorCode::kResourceNotFound, "table deleted"};
    RETURN_IF_ERROR(ValidateItemKeys(t->info, item));
    const size_t size = ItemSize(item);
    if (size > kMaxItemSize) {
      return Validation("Item size has exceeded the maximum allowed size");  // PutItem's wording
    }
    std::string key = StorageKey(t->info, KeyOfItem(t->info.key, item));
    // A key already pending: the earlier write goes first, so that this one
    // Load()s it (a later line of the source replaces an earlier one).
    if (pending_keys_.count(key)) RETURN_IF_ERROR(Flush());
    pending_keys_.insert(key);
    pending_bytes_ += size;
    pending_.push_back(ItemWrite{t, std::move(key), std::move(item), size});
    if (pending_.size() >= kBatchItems || pending_bytes_ >= kBatchBytes) return Flush();
    return Status::Ok();
  }

  // Writes the pending items in one batch, under their locks.
  Status Flush() {
    if (pending_.empty()) return Status::Ok();
    std::vector<std::string> keys(pending_keys_.begin(), pending_keys_.end());
    SyncAtExit synced(*ctx_.store);  // waits after the locks are released
    Status st = [&]() -> Status {
      KeyLocks::MultiLock lock(ctx_.locks, keys);
      for (ItemWrite& w : pending_) RETURN_IF_ERROR(w.Load(ctx_));
      return ApplyServiceWrites(ctx_, pending_);
    }();
    if (st.ok()) st = synced.Wait();
    pending_.clear();
    pending_keys_.clear();
    pending_bytes_ = 0;
    return st;
  }

  // Flush() as an outcome: kCompleted when written.
  Outcome FlushOrFail() {
    Status st = Flush();
    if (st.ok()) return Outcome::kCompleted;
    if (!Table()) return Outcome::kTableGone;
    std::fprintf(stderr, "ddb: import %s: write failed: %s\n", r_.arn.c_str(),
                 st.error().message.c_str());
    return Outcome::kFailed;
  }

  void CountError(const SourceObject& o, int64_t record_no, const Error& e) {
    ++r_.error_count;
    if (logged_ < kMaxLoggedErrors) {
      std::fprintf(stderr, "ddb: import %s: s3://%s/%s record %lld: %s\n", r_.arn.c_str(),
                   r_.bucket.c_str(), o.key.c_str(), static_cast<long long>(record_no),
                   e.message.c_str());
    } else if (logged_ == kMaxLoggedErrors) {
      std::fprintf(stderr, "ddb: import %s: further errors are counted, not logged\n",
                   r_.arn.c_str());
    }
    ++logged_;
  }

  EngineContext& ctx_;
  ImportJob& job_;
  ImportRecord& r_;
  const std::atomic<bool>& stopping_;
  size_t logged_ = 0;
  std::vector<ItemWrite> pending_;  // accepted, not yet written (distinct keys)
  std::unordered_set<std::string> pending_keys_;
  size_t pending_bytes_ = 0;
};

}  // namespace

void RunImportJob(EngineContext& ctx, ImportJob& job, const std::atomic<bool>& stopping) {
  Importer importer(ctx, job, stopping);
  ImportRecord& r = job.record;
  Outcome outcome = importer.Run();
  if (outcome == Outcome::kStopped) {
    // Left IN_PROGRESS with its CREATING table: FailInterruptedImports at the
    // next start fails it and drops the table, as after a crash.
    importer.Save();
    return;
  }
  if (outcome == Outcome::kCompleted) {
    std::lock_guard lock(SchemaMutex());
    TablePtr t = importer.Table();
    if (!t) {
      outcome = Outcome::kTableGone;
    } else {
      TableInfo active = t->info;
      active.status = "ACTIVE";
      if (auto replaced = ctx.catalog.Replace(active); !replaced.ok()) {
        std::fprintf(stderr, "ddb: import %s: table not made ACTIVE: %s\n", r.arn.c_str(),
                     replaced.error().message.c_str());
        outcome = Outcome::kFailed;
      }
    }
  }
  r.end_time = NowEpochSeconds();
  if (outcome == Outcome::kCompleted) {
    r.status = "COMPLETED";
  } else {
    r.status = "FAILED";
    // FailureCode values are not documented: ours, guesses.
    if (outcome == Outcome::kTableGone) {
      r.failure_code = "TableDeleted";
      r.failure_message = "The table being imported into was deleted before the import completed";
    } else {
      r.failure_code = "InternalServerError";
      r.failure_message = "The import could not write to its table";
      std::lock_guard lock(SchemaMutex());
      if (importer.Table()) (void)ctx.catalog.Drop(r.table_name);
    }
  }
  importer.Save();
}

void StartImportJob(EngineContext& ctx, ImportJob job) {
  auto shared = std::make_shared<ImportJob>(std::move(job));
  EngineContext* c = &ctx;
  ctx.background.Run(
      [c, shared](const std::atomic<bool>& stopping) { RunImportJob(*c, *shared, stopping); });
}

}  // namespace ddb::imports
