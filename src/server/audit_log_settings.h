// The audit-log settings of ddb-server and `cruddur serve` as their flags
// give them (server/audit_log_flags.h), and how they become the log's
// options: --no-audit-log turns it off; --audit-log PATH names the file;
// otherwise the file is audit.log in the data folder, and a server with no
// data folder (in memory only) keeps no audit log.
#pragma once

#include <cstdint>
#include <string>

#include "net/audit_log.h"

namespace server {

struct AuditLogFlags {
  std::string path;                                    // --audit-log; "" = the default
  bool off = false;                                    // --no-audit-log
  uint64_t max_bytes = net::kDefaultAuditLogMaxBytes;  // --audit-log-max-bytes
  unsigned files = net::kDefaultAuditLogFiles;         // --audit-log-files
};

// The log's options; `data_dir` is "" when the server keeps nothing on
// disk. options.path "" = no audit log.
inline net::AuditLogOptions ResolveAuditLog(const AuditLogFlags& flags,
                                            const std::string& data_dir) {
  net::AuditLogOptions o;
  o.max_bytes = flags.max_bytes;
  o.max_files = flags.files;
  if (flags.off) return o;
  if (!flags.path.empty()) {
    o.path = flags.path;
  } else if (!data_dir.empty()) {
    o.path = data_dir + "/audit.log";
  }
  return o;
}

}  // namespace server
