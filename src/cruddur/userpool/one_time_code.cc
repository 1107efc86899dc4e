#include "cruddur/userpool/one_time_code.h"

#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

std::string CodeHash(std::string_view username, std::string_view code) {
  return Sha256Hex(std::string(username) + ":" + std::string(code));
}

}  // namespace

base::Error AttemptLimitExceeded() {
  return PoolError(kLimitExceeded, "Attempt limit exceeded, please try after some time.");
}

base::Result<std::string> IssueCode(StoredCode& code, std::string_view username, int64_t now,
                                    std::chrono::seconds validity) {
  ASSIGN_OR_RETURN(std::string clear, RandomDigits(kCodeDigits));
  code.hash = CodeHash(username, clear);
  code.expires = now + validity.count();
  code.failures = 0;
  return clear;
}

base::Error CodeMismatchError() {
  return PoolError(kCodeMismatch, "Invalid verification code provided, please try again.");
}

base::Status CheckCode(StoredCode& code, std::string_view username, std::string_view guess,
                       int64_t now) {
  if (code.failures >= kMaxCodeFailures) return AttemptLimitExceeded();
  if (code.empty() || !ConstantTimeEquals(code.hash, CodeHash(username, guess))) {
    if (!code.empty()) ++code.failures;
    return CodeMismatchError();
  }
  if (now >= code.expires) {
    return PoolError(kExpiredCode, "Invalid code provided, please request a code again.");
  }
  return base::Status::Ok();
}

}  // namespace cruddur::userpool
