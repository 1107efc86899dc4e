// Throttling of PROVISIONED tables: a token bucket per table and per global
// secondary index, for reads and for writes, refilled at the provisioned
// rate and holding up to 300 seconds of unused capacity (DynamoDB's burst
// credit). A bucket starts full, so a fresh table absorbs a short burst such
// as a seed load. Local secondary indexes share the table's buckets;
// PAY_PER_REQUEST tables are never throttled.
//
// How a request is admitted. DynamoDB cannot know what a Query will cost
// before running it, and neither can we; what it effectively does -- and
// what we do -- is let the balance go negative: a request is admitted while
// every bucket it will draw from holds more than zero units, and its real
// cost is charged afterwards, possibly leaving a debt that the refill pays
// back before the next request is admitted. This lets a single item larger
// than the whole burst (a 400 KB write on a 1-WCU table) through, as
// DynamoDB does, instead of throttling it forever. Reads call Check() before
// reading and Charge() after; writes know their exact cost once the old item
// is loaded and call Consume() (check and charge in one step) just before
// they are written.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ddb/common/error.h"
#include "ddb/format/table_info.h"
#include "ddb/jobs/capacity_units.h"

namespace ddb {

inline constexpr double kBurstSeconds = 300;

inline constexpr const char* kTableThroughputExceeded =
    "The level of configured provisioned throughput for the table was exceeded. Consider "
    "increasing your provisioning level with the UpdateTable API.";
inline constexpr const char* kIndexThroughputExceeded =
    "The level of configured provisioned throughput for one or more global secondary indexes of "
    "the table was exceeded. Consider increasing your provisioning level for the "
    "under-provisioned global secondary indexes with the UpdateTable API.";

Error ThroughputExceeded(bool index);

// A token bucket in capacity units. Not thread-safe (the Throttler locks).
class TokenBucket {
 public:
  // Sets the refill rate (units per second). The first call fills the bucket
  // with its whole burst; a later change of rate keeps the balance (capped
  // at the new burst). `changed_at` is when the rate changed (UpdateTable's
  // time, or 0 if unknown): time before it refills at the old rate, time
  // after it at the new one.
  void SetRate(double per_second, double now, double changed_at = 0);
  // Adds what accrued since the last refill, up to the burst.
  void Refill(double now);
  bool Admits() const { return tokens_ > 0; }
  void Take(double units) { tokens_ -= units; }
  double tokens() const { return tokens_; }
  double rate() const { return rate_; }

 private:
  bool started_ = false;
  double rate_ = 0;
  double tokens_ = 0;
  double last_ = 0;
};

class Throttler {
 public:
  using ClockFn = double (*)();  // seconds; defaults to NowEpochSeconds()
  explicit Throttler(bool enabled, ClockFn clock = nullptr) : enabled_(enabled), clock_(clock) {}

  // True when requests on `t` may be throttled (throttling on, PROVISIONED).
  bool Applies(const TableInfo& t) const;

  // Read admission: the table's read bucket (`gsi` null: a table or LSI
  // read) or the named GSI's. ProvisionedThroughputExceededException if
  // exhausted.
  Status CheckRead(const TableInfo& t, const std::string* gsi);
  // Checks every bucket `c` draws from (the table always, each GSI with
  // units) without charging.
  Status Check(const TableInfo& t, const Consumed& c, bool read);
  // Charges `c`: the table bucket with the table and LSI units, each GSI's
  // bucket with its units.
  void Charge(const TableInfo& t, const Consumed& c, bool read);
  // Check() and Charge() in one step.
  Status Consume(const TableInfo& t, const Consumed& c, bool read);

  // The current balance of a bucket (tests). `gsi` null: the table's.
  double TokensForTesting(const TableInfo& t, const std::string* gsi, bool read);

 private:
  struct Buckets {
    TokenBucket read, write;
  };
  struct TableState {
    std::mutex mu;
    Buckets table;
    std::map<uint64_t, Buckets> gsis;  // by index id
  };
  double Now() const;
  std::shared_ptr<TableState> StateOf(const TableInfo& t);
  // With st.mu held: the refilled bucket of the table or of GSI `name`
  // (null if the table has no such provisioned GSI).
  TokenBucket* Bucket(TableState& st, const TableInfo& t, const std::string* gsi, bool read,
                      double now);
  Status CheckLocked(TableState& st, const TableInfo& t, const Consumed& c, bool read, double now);
  void ChargeLocked(TableState& st, const TableInfo& t, const Consumed& c, bool read, double now);

  bool enabled_;
  ClockFn clock_;
  std::mutex mu_;
  std::unordered_map<uint64_t, std::shared_ptr<TableState>> tables_;  // by table id
};

}  // namespace ddb
