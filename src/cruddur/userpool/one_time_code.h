// OneTimeCode: the 6-digit codes the pool "e-mails" (sign-up confirmation,
// password reset), kept as a hash with an expiry and a count of wrong
// guesses, as Cognito treats them: a code expires after the pool's
// code_validity (24 hours) and is dead after kMaxCodeFailures wrong guesses
// until a new one is issued.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::userpool {

inline constexpr int kCodeDigits = 6;
inline constexpr int kMaxCodeFailures = 5;

struct StoredCode {
  std::string hash;     // Sha256Hex("<username>:<code>"); "" = no code
  int64_t expires = 0;  // epoch seconds
  int failures = 0;     // wrong guesses so far

  bool empty() const { return hash.empty(); }
};

// A fresh random code for user `username`, stored in `code` (failures reset);
// returns the code in clear (to deliver). InternalErrorException if the
// CSPRNG fails.
base::Result<std::string> IssueCode(StoredCode& code, std::string_view username, int64_t now,
                                    std::chrono::seconds validity);

// Checks `guess` against `code` at `now`; the caller persists `code` whatever
// the answer (a wrong guess is counted) and clears it after a success.
// Errors, in the order checked:
//   - kMaxCodeFailures wrong guesses already made: LimitExceededException
//     "Attempt limit exceeded, please try after some time." (even for the
//     right code);
//   - no code, or a wrong one: CodeMismatchException "Invalid verification
//     code provided, please try again." (counted);
//   - the right code after its expiry: ExpiredCodeException "Invalid code
//     provided, please request a code again.".
base::Status CheckCode(StoredCode& code, std::string_view username, std::string_view guess,
                       int64_t now);

// LimitExceededException "Attempt limit exceeded, please try after some time."
base::Error AttemptLimitExceeded();
// CodeMismatchException "Invalid verification code provided, please try again."
base::Error CodeMismatchError();

}  // namespace cruddur::userpool
