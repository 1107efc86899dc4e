// The command-line flags of net::ConnectionLimits, shared by ddb-server and
// `cruddur serve` so both spell and document them alike. Header-only (CLI11);
// included only by the programs' option parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

#include "net/connection_limits.h"

namespace server {

// Adds --header-timeout-seconds, --body-timeout-seconds,
// --idle-timeout-seconds, --write-timeout-seconds, --max-connections and
// --max-buffered-request-bytes to `app`, writing into `*limits` (whose
// current values are the defaults shown).
inline void AddHttpLimitFlags(CLI::App* app, net::ConnectionLimits* limits) {
  const char* group = "Connection limits";
  app->add_option("--header-timeout-seconds", limits->header_timeout_seconds,
                  "Seconds for a request's header to arrive (from its first byte, or from\n"
                  "connecting); then 408 and close, or a quiet close if nothing arrived (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0))
      ->group(group);
  app->add_option("--body-timeout-seconds", limits->body_timeout_seconds,
                  "Seconds for a request's body to arrive after its header; then 408 and\n"
                  "close (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0))
      ->group(group);
  app->add_option("--idle-timeout-seconds", limits->idle_timeout_seconds,
                  "Seconds a keep-alive connection may wait for its next request before it\n"
                  "is closed (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0))
      ->group(group);
  app->add_option("--write-timeout-seconds", limits->write_timeout_seconds,
                  "Seconds to write a response to a client before it is disconnected (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0))
      ->group(group);
  app->add_option("--max-connections", limits->max_connections,
                  "Open connections at most; more are answered 503 and closed (0: from the\n"
                  "open-file limit: the limit minus 1024, at least half of it, at most 10000)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{0}, uint64_t{1} << 24))
      ->group(group);
  app->add_option("--max-buffered-request-bytes", limits->max_buffered_request_bytes,
                  "Request-body bytes received and not yet handed on, across all connections;\n"
                  "when spent, connections pause reading (at least 16 MiB + 64 KiB is used)")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40))
      ->group(group);
}

}  // namespace server
