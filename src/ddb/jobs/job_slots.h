// JobSlots: a count of jobs of one kind that may run at once (exports,
// imports). DynamoDB limits both; so does the engine, so that a client
// cannot start a thread per request without bound.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "ddb/common/error.h"

namespace ddb {

class JobSlots {
 public:
  // `kind`: the jobs' plural name in the refusal ("exports").
  JobSlots(int limit, std::string kind) : limit_(limit), kind_(std::move(kind)) {}
  JobSlots(const JobSlots&) = delete;
  JobSlots& operator=(const JobSlots&) = delete;

  // A slot, held until the last copy of the handle is destroyed (the job
  // keeps it while it runs); null when `limit` are held. The handles must
  // not outlive this object.
  std::shared_ptr<void> TryTake() {
    if (held_.fetch_add(1, std::memory_order_acq_rel) >= limit_) {
      held_.fetch_sub(1, std::memory_order_acq_rel);
      return nullptr;
    }
    return std::shared_ptr<void>(
        this, [](JobSlots* s) { s->held_.fetch_sub(1, std::memory_order_acq_rel); });
  }
  // TryTake, or LimitExceededException "Subscriber limit exceeded: Only
  // <limit> <kind> can be in progress at the same time" (the quotas are
  // DynamoDB's; the wording a guess in the style of its other "Subscriber
  // limit exceeded" answers).
  Result<std::shared_ptr<void>> Take() {
    if (auto slot = TryTake()) return slot;
    return LimitExceeded("Subscriber limit exceeded: Only " + std::to_string(limit_) + " " + kind_ +
                         " can be in progress at the same time");
  }
  int held() const { return held_.load(std::memory_order_acquire); }

 private:
  const int limit_;
  const std::string kind_;
  std::atomic<int> held_{0};
};

}  // namespace ddb
