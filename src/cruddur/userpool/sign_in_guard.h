// SignInGuard: Cognito's lockout after failed sign-ins, as its developer
// guide documents it ("Lockout behavior for failed sign-in attempts"):
//
//   - after 5 failed sign-ins (USER_PASSWORD_AUTH or SRP's PASSWORD_VERIFIER,
//     and ChangePassword's previous password) the user is locked out for 1
//     unit; each further failure doubles it: n failures -> 2^(n-5) units, at
//     most kMaxLockoutUnits (about 15 minutes at Cognito's 1-second unit);
//   - attempts during a lockout fail ("Password attempts exceeded") even with
//     the right password, and do not count;
//   - a successful sign-in after the lockout resets the count, and so do 15
//     minutes (kQuietUnits) without a failure after a lockout.
//
// The unit is UserPoolOptions::lockout_unit (1 s; tests shorten it). Plain
// value type, stored with the user (pool_store.h); the functions take the
// time in epoch milliseconds.
#pragma once

#include <chrono>
#include <cstdint>

namespace cruddur::userpool {

inline constexpr int kFreeFailures = 5;
inline constexpr int64_t kMaxLockoutUnits = 900;
inline constexpr int64_t kQuietUnits = 900;

struct SignInGuard {
  int failures = 0;             // counted failures (not those during a lockout)
  int64_t locked_until_ms = 0;  // epoch ms; 0 = never locked
  int64_t last_failure_ms = 0;  // epoch ms of the last counted failure
};

// True while a lockout runs at `now_ms`.
bool LockedOut(const SignInGuard& guard, int64_t now_ms);

// Counts a failed attempt made outside a lockout: the n-th failure (n >= 5)
// locks the user out for 2^(n-5) units, at most kMaxLockoutUnits. Forgets an
// old count first (Refresh).
void RecordFailure(SignInGuard& guard, int64_t now_ms, std::chrono::milliseconds unit);

// Forgets the count after kQuietUnits without a failure, once locked out.
// Returns true if it changed the guard.
bool Refresh(SignInGuard& guard, int64_t now_ms, std::chrono::milliseconds unit);

// After a successful sign-in: back to the initial state. Returns true if it
// changed the guard.
bool RecordSuccess(SignInGuard& guard);

}  // namespace cruddur::userpool
