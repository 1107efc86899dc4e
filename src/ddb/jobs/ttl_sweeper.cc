#include "ddb/jobs/ttl_sweeper.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "ddb/common/clock.h"
#include "ddb/format/keys.h"
#include "ddb/format/stored_item.h"

namespace ddb {
namespace {

// DynamoDB ignores expiry times more than five years in the past.
constexpr double kMaxPastSeconds = 5.0 * 365 * 86400;

// A cheap test before decoding a stored item: can its JSON hold `attribute`
// as a top-level name? (Names needing JSON escapes are always decoded.)
bool MayHaveAttribute(std::string_view stored, const std::string& quoted_name) {
  return quoted_name.empty() || StoredItemJson(stored).find(quoted_name) != std::string_view::npos;
}

std::string QuotedName(const std::string& name) {
  for (char c : name) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return "";
  }
  return "\"" + name + "\"";
}

}  // namespace

bool TtlExpired(const Item& item, const std::string& attribute, double now) {
  auto it = item.find(attribute);
  if (it == item.end() || it->second.type != AttrType::kN) return false;
  char* end = nullptr;
  const std::string& text = it->second.scalar;
  double expiry = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return false;
  return expiry <= now && expiry >= now - kMaxPastSeconds;
}

size_t SweepExpiredItems(const JobContext& jobs, const DeleteExpiredFn& delete_expired,
                         const std::atomic<bool>* stopping) {
  const double now = NowEpochSeconds();
  size_t deleted = 0;
  for (const std::string& name : jobs.catalog.Names()) {
    if (stopping && *stopping) break;
    TablePtr table = jobs.catalog.Find(name);
    if (!table || !table->info.ttl_enabled) continue;
    const uint64_t id = table->info.id;
    const std::string attribute = table->info.ttl_attribute;
    const std::string quoted = QuotedName(attribute);
    auto cur = jobs.store.NewCursor(keys::TablePrefix(id), keys::TablePrefixEnd(id));
    for (cur->SeekToStart(); cur->Valid(); cur->Next()) {
      if (stopping && *stopping) break;
      if (!MayHaveAttribute(cur->value(), quoted)) continue;
      auto item = DecodeStoredItem(cur->value());
      if (!item.ok() || !TtlExpired(*item, attribute, now)) continue;
      if (delete_expired(name, id, std::string(cur->key()), now)) ++deleted;
    }
  }
  return deleted;
}

void StartTtlSweeper(const JobContext& jobs, double period, DeleteExpiredFn delete_expired) {
  if (!(period > 0)) return;
  jobs.background.Run([jobs, period, delete_expired = std::move(delete_expired)](
                          const std::atomic<bool>& stopping) {
    using Clock = std::chrono::steady_clock;
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period));
    const auto tick = std::min<Clock::duration>(interval, std::chrono::milliseconds(100));
    auto next = Clock::now() + interval;
    while (!stopping) {
      std::this_thread::sleep_for(tick);
      if (Clock::now() < next) continue;
      SweepExpiredItems(jobs, delete_expired, &stopping);
      next = Clock::now() + interval;
    }
  });
}

}  // namespace ddb
