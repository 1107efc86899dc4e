// Open-file limits of the process: raising RLIMIT_NOFILE, and how many
// connections a server can hold without starving the rest of the process.
#pragma once

#include <cstdint>

namespace net {

// Raises the soft RLIMIT_NOFILE of the process to its hard limit (capped at
// the kernel's fs.nr_open when the hard limit is unlimited). Returns the soft
// limit in force afterwards (raised or not); 0 if it cannot be read.
// Idempotent; HttpServer::Start calls it.
uint64_t RaiseOpenFileLimit();

// The connection cap derived from an open-file limit: the limit minus a
// reserve of 1,024 descriptors for everything else (database files, logs,
// outgoing sockets), but at least half the limit and at most 10,000.
// `fd_limit` 0 (unknown) gives 10,000. E.g. 1,024 -> 512, 4,096 -> 3,072,
// 20,000 or more -> 10,000.
uint64_t DefaultMaxConnections(uint64_t fd_limit);

}  // namespace net
