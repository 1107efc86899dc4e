#include "cruddur/users/ids.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <utility>

#include "base/uuid.h"
#include "cruddur/users/errors.h"

namespace cruddur::users {

base::Result<std::string> NewUuidV4() {
  std::optional<std::string> uuid = base::NewUuidV4();
  if (!uuid) return DatabaseError("cannot generate a uuid: no randomness");
  return std::move(*uuid);
}

std::string NowUtcTimestamp() {
  using namespace std::chrono;
  const auto now = time_point_cast<microseconds>(system_clock::now());
  const auto secs = time_point_cast<seconds>(now);
  const auto micros = (now - secs).count();
  const std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];  // room for any int the compiler imagines
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buf;
}

}  // namespace cruddur::users
