// A process-wide allocator setting for the long-running servers.
//
// glibc gives threads that allocate at the same time arenas of their own (up
// to 8 per core), and an arena keeps the memory it once held. With worker
// pools of 16 threads taking turns, a server's resident size creeps up for
// as long as it runs (`make soak` measures it). Capping the arenas keeps it
// flat under a steady load, for a little more contention on the allocator's
// locks, which the fsync-bound write path does not notice.
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace base {

// Call first thing in main(), before any thread starts.
inline void LimitMallocArenas(int arenas = 2) {
#if defined(__GLIBC__)
  mallopt(M_ARENA_MAX, arenas);
#else
  (void)arenas;
#endif
}

}  // namespace base
