#include "ddb/jobs/throttle.h"

#include <algorithm>

#include "ddb/common/clock.h"

namespace ddb {

Error ThroughputExceeded(bool index) {
  return Error{ErrorCode::kProvisionedThroughputExceeded,
               index ? kIndexThroughputExceeded : kTableThroughputExceeded};
}

void TokenBucket::SetRate(double per_second, double now, double changed_at) {
  if (!started_) {
    started_ = true;
    rate_ = per_second;
    tokens_ = per_second * kBurstSeconds;
    last_ = now;
    return;
  }
  if (per_second == rate_) return;
  Refill(changed_at > last_ && changed_at < now ? changed_at : now);
  rate_ = per_second;
  tokens_ = std::min(tokens_, rate_ * kBurstSeconds);
}

void TokenBucket::Refill(double now) {
  if (now > last_) {
    tokens_ = std::min(rate_ * kBurstSeconds, tokens_ + (now - last_) * rate_);
    last_ = now;
  }
}

bool Throttler::Applies(const TableInfo& t) const {
  return enabled_ && t.billing_mode == "PROVISIONED";
}

double Throttler::Now() const { return clock_ ? clock_() : NowEpochSeconds(); }

std::shared_ptr<Throttler::TableState> Throttler::StateOf(const TableInfo& t) {
  std::lock_guard lock(mu_);
  auto& s = tables_[t.id];
  if (!s) s = std::make_shared<TableState>();
  return s;
}

TokenBucket* Throttler::Bucket(TableState& st, const TableInfo& t, const std::string* gsi,
                               bool read, double now) {
  const Throughput* tp = &t.throughput;
  Buckets* b = &st.table;
  if (gsi) {
    const IndexInfo* index = nullptr;
    for (const auto& g : t.gsis) {
      if (g.name == *gsi) index = &g;
    }
    if (!index) return nullptr;
    tp = &index->throughput;
    b = &st.gsis[index->id];
  }
  int64_t rate = read ? tp->read : tp->write;
  if (rate <= 0) return nullptr;  // not provisioned: unlimited
  TokenBucket& bucket = read ? b->read : b->write;
  bucket.SetRate(static_cast<double>(rate), now, std::max(tp->last_increase, tp->last_decrease));
  bucket.Refill(now);
  return &bucket;
}

Status Throttler::CheckLocked(TableState& st, const TableInfo& t, const Consumed& c, bool read,
                              double now) {
  if (TokenBucket* b = Bucket(st, t, nullptr, read, now); b && !b->Admits()) {
    return ThroughputExceeded(false);
  }
  for (const auto& [name, units] : c.gsis) {
    if (units <= 0) continue;
    if (TokenBucket* b = Bucket(st, t, &name, read, now); b && !b->Admits()) {
      return ThroughputExceeded(true);
    }
  }
  return Status::Ok();
}

void Throttler::ChargeLocked(TableState& st, const TableInfo& t, const Consumed& c, bool read,
                             double now) {
  if (TokenBucket* b = Bucket(st, t, nullptr, read, now)) {
    double units = c.table;
    for (const auto& [_, u] : c.lsis) units += u;
    b->Take(units);
  }
  for (const auto& [name, units] : c.gsis) {
    if (TokenBucket* b = Bucket(st, t, &name, read, now)) b->Take(units);
  }
}

Status Throttler::CheckRead(const TableInfo& t, const std::string* gsi) {
  if (!Applies(t)) return Status::Ok();
  auto st = StateOf(t);
  std::lock_guard lock(st->mu);
  TokenBucket* b = Bucket(*st, t, gsi, true, Now());
  if (b && !b->Admits()) return ThroughputExceeded(gsi != nullptr);
  return Status::Ok();
}

Status Throttler::Check(const TableInfo& t, const Consumed& c, bool read) {
  if (!Applies(t)) return Status::Ok();
  auto st = StateOf(t);
  std::lock_guard lock(st->mu);
  return CheckLocked(*st, t, c, read, Now());
}

void Throttler::Charge(const TableInfo& t, const Consumed& c, bool read) {
  if (!Applies(t)) return;
  auto st = StateOf(t);
  std::lock_guard lock(st->mu);
  ChargeLocked(*st, t, c, read, Now());
}

Status Throttler::Consume(const TableInfo& t, const Consumed& c, bool read) {
  if (!Applies(t)) return Status::Ok();
  auto st = StateOf(t);
  std::lock_guard lock(st->mu);
  double now = Now();
  RETURN_IF_ERROR(CheckLocked(*st, t, c, read, now));
  ChargeLocked(*st, t, c, read, now);
  return Status::Ok();
}

double Throttler::TokensForTesting(const TableInfo& t, const std::string* gsi, bool read) {
  auto st = StateOf(t);
  std::lock_guard lock(st->mu);
  TokenBucket* b = Bucket(*st, t, gsi, read, Now());
  return b ? b->tokens() : 0;
}

}  // namespace ddb
