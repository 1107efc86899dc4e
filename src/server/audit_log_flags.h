// The audit-log flags, shared by ddb-server and `cruddur serve` so both
// spell and document them alike (server/audit_log_settings.h says what they
// mean). Header-only (CLI11); included only by the programs' option parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

#include "server/audit_log_settings.h"

namespace server {

// Adds --audit-log, --no-audit-log, --audit-log-max-bytes and
// --audit-log-files to `app`, writing into `*flags` (whose current values
// are the defaults shown). `where` names the default file in the help.
inline void AddAuditLogFlags(CLI::App* app, AuditLogFlags* flags, const char* where) {
  const char* group = "Audit log";
  auto* path = app->add_option("--audit-log", flags->path,
                               std::string("Audit log file: JSON lines, one per control-plane or\n"
                                           "user-pool admin operation and per denied request\n"
                                           "(default ") +
                                   where + "; none when in memory)")
                   ->group(group);
  app->add_flag("--no-audit-log", flags->off, "Keep no audit log")->excludes(path)->group(group);
  app->add_option("--audit-log-max-bytes", flags->max_bytes,
                  "Size at which the audit log is rotated (to PATH.1, PATH.2, ...)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 40))
      ->group(group);
  app->add_option("--audit-log-files", flags->files,
                  "Audit log files kept at most, the current one included")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u))
      ->group(group);
}

}  // namespace server
