#include "cruddur/userpool/sign_in_guard.h"

#include <algorithm>

namespace cruddur::userpool {

bool LockedOut(const SignInGuard& guard, int64_t now_ms) { return now_ms < guard.locked_until_ms; }

bool Refresh(SignInGuard& guard, int64_t now_ms, std::chrono::milliseconds unit) {
  if (guard.failures < kFreeFailures) return false;
  if (now_ms - guard.last_failure_ms < kQuietUnits * unit.count()) return false;
  guard = SignInGuard{};
  return true;
}

void RecordFailure(SignInGuard& guard, int64_t now_ms, std::chrono::milliseconds unit) {
  Refresh(guard, now_ms, unit);
  guard.failures = std::min(guard.failures + 1, 1000);
  guard.last_failure_ms = now_ms;
  if (guard.failures < kFreeFailures) return;
  const int shift = std::min(guard.failures - kFreeFailures, 20);
  const int64_t units = std::min<int64_t>(int64_t{1} << shift, kMaxLockoutUnits);
  guard.locked_until_ms = now_ms + units * unit.count();
}

bool RecordSuccess(SignInGuard& guard) {
  if (guard.failures == 0 && guard.locked_until_ms == 0) return false;
  guard = SignInGuard{};
  return true;
}

}  // namespace cruddur::userpool
