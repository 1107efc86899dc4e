#include "net/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

namespace net {

namespace {

// fs.nr_open: the ceiling of any RLIMIT_NOFILE; 0 if unreadable.
uint64_t KernelOpenFileCeiling() {
  std::FILE* f = std::fopen("/proc/sys/fs/nr_open", "r");
  if (!f) return 0;
  unsigned long long v = 0;
  if (std::fscanf(f, "%llu", &v) != 1) v = 0;
  std::fclose(f);
  return v;
}

}  // namespace

uint64_t RaiseOpenFileLimit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  rlim_t target = lim.rlim_max;
  if (target == RLIM_INFINITY) {
    uint64_t ceiling = KernelOpenFileCeiling();
    target = ceiling > 0 ? static_cast<rlim_t>(ceiling) : rlim_t{1} << 20;
  }
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < target) {
    rlimit raised = lim;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? uint64_t{1} << 20 : static_cast<uint64_t>(lim.rlim_cur);
}

uint64_t DefaultMaxConnections(uint64_t fd_limit) {
  constexpr uint64_t kMax = 10000;
  constexpr uint64_t kReserve = 1024;
  if (fd_limit == 0) return kMax;
  uint64_t left = fd_limit > kReserve ? fd_limit - kReserve : 0;
  return std::clamp<uint64_t>(std::max(left, fd_limit / 2), 1, kMax);
}

}  // namespace net
