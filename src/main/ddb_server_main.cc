// ddb-server: a DynamoDB-compatible database server.
//
// Starts the engine and serves the DynamoDB JSON API over HTTP until SIGINT
// or SIGTERM, then stops accepting, finishes the requests in flight and
// closes the database cleanly.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/malloc_arenas.h"
#include "base/owner_only.h"
#include "ddb/common/clock.h"
#include "server/audit_log_flags.h"
#include "server/credentials_file.h"
#include "server/http_limit_flags.h"
#include "server/server.h"
#include "server/tls_flags.h"

namespace {

constexpr const char* kDescription =
    "ddb-server: a DynamoDB-compatible database server.\n"
    "\n"
    "Serves the DynamoDB API (JSON protocol, X-Amz-Target: DynamoDB_20120810.*) over\n"
    "HTTP/1.1, for boto3, the AWS CLI and the AWS SDKs. Point them at it with\n"
    "  --endpoint-url http://127.0.0.1:8000   (AWS CLI)\n"
    "  boto3.client('dynamodb', endpoint_url='http://127.0.0.1:8000')\n"
    "or AWS_ENDPOINT_URL=http://127.0.0.1:8000. GET / answers a health check.\n"
    "\n"
    "Access: requests must be signed. Without --credentials any access key and secret are\n"
    "accepted (as DynamoDB Local does), so the server then listens on loopback only, and\n"
    "answers only requests for Host localhost, 127.0.0.1 or [::1] (or --allowed-host\n"
    "names), so that a web page cannot reach it by DNS rebinding. With --credentials FILE\n"
    "(JSON: access keys, secrets, names, permissions per table pattern) every request's\n"
    "SigV4 signature (header or presigned URL) is verified and the key's permissions\n"
    "apply. Browsers (requests with Origin) are served only from the -cors origins\n"
    "(default: http://localhost:3000, http://127.0.0.1:3000, http://localhost:5173; '*':\n"
    "any) and, for DynamoDB, only with --credentials.\n"
    "\n"
    "TLS: with --tls-cert FILE --tls-key FILE (PEM) it serves HTTPS (TLS 1.2 or later)\n"
    "instead of HTTP; clients then trust that certificate (boto3: verify='cert.pem'; AWS\n"
    "CLI: --ca-bundle cert.pem). TLS does not replace --credentials.\n"
    "\n"
    "Data lives in the --db-path directory (default ./data/ddb, created if missing) in\n"
    "an embedded RocksDB database; every acknowledged write is synced to disk and\n"
    "survives a crash. With --in-memory nothing is written to disk and all data is\n"
    "lost when the server stops.\n"
    "\n"
    "DynamoDB Local's spellings are accepted too: -port N, -dbPath DIR, -inMemory,\n"
    "-sharedDb (there is always one database shared by all credentials and regions),\n"
    "-cors LIST, -delayTransientStatuses, -optimizeDbBeforeStartup (no effect), -help.\n"
    "\n"
    "PROVISIONED tables are throttled as in DynamoDB: each table and global secondary\n"
    "index has read and write token buckets refilled at its provisioned rate, holding\n"
    "up to 300 seconds of unused capacity (a new table starts full, so short bursts\n"
    "pass); over the limit requests fail with ProvisionedThroughputExceededException\n"
    "and batches return UnprocessedItems/UnprocessedKeys. PAY_PER_REQUEST tables are\n"
    "never throttled. --no-throttling never throttles anything (DynamoDB Local).\n"
    "\n"
    "Connections have deadlines (waiting for a request, its header, its body, the\n"
    "response's write), their number is capped, and request bodies held in memory share\n"
    "one budget: see the connection-limit flags below. At start the open-file soft limit\n"
    "is raised to the hard limit.\n"
    "\n"
    "ExportTableToPointInTime writes to a folder standing in for S3: bucket B and prefix\n"
    "P are the folder --export-root/B/P (default <db-path>/exports; with --in-memory there\n"
    "is none unless --export-root is given). Nothing outside that folder is read or\n"
    "written: absolute paths, '..' and symbolic links below it are refused.\n"
    "\n"
    "The audit log (JSON lines in CloudTrail's shape, default <db-path>/audit.log, rotated\n"
    "by size) records every control-plane operation and every denied request: time, key\n"
    "id, source, operation, resource, outcome; never an item, secret or token. Repeated\n"
    "denials from one source are counted, not each written.\n"
    "\n"
    "SIGINT or SIGTERM stops the server cleanly: it stops accepting connections,\n"
    "finishes requests in flight and closes the database.\n";

// DynamoDB Local's single-dash long options, rewritten for CLI11.
std::vector<std::string> TranslateArgs(int argc, char** argv) {
  struct Alias {
    std::string_view from, to;
  };
  static constexpr Alias kAliases[] = {
      {"-port", "--port"},
      {"-dbPath", "--db-path"},
      {"-inMemory", "--in-memory"},
      {"-sharedDb", "--shared-db"},
      {"-help", "--help"},
      {"-cors", "--cors"},
      {"-delayTransientStatuses", "--delay-transient-statuses"},
      {"-optimizeDbBeforeStartup", "--optimize-db-before-startup"},
  };
  std::vector<std::string> out;
  out.reserve(argc);
  for (int i = 0; i < argc; ++i) {
    std::string_view a = argv[i];
    std::string translated(a);
    if (i > 0) {
      for (const Alias& alias : kAliases) {
        if (a == alias.from) {
          translated = alias.to;
          break;
        }
      }
    }
    out.push_back(std::move(translated));
  }
  return out;
}

// --test-clock-offset-file (hidden, for tests): the engine's clock runs
// the number of seconds the file holds ahead of the real clock, so that a
// test can let 15 minutes pass (incremental exports' shortest window) or a
// day. The file is read again every 20 ms; only moving it forward is
// meaningful (the point-in-time log's times never go back anyway). The
// HTTP server, SigV4 and the audit log keep the real clock.
std::atomic<int64_t> g_clock_offset_ms{0};

double OffsetClock() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return static_cast<double>(ms + g_clock_offset_ms.load(std::memory_order_relaxed)) / 1000.0;
}

class ClockOffsetFollower {
 public:
  explicit ClockOffsetFollower(std::string path) : path_(std::move(path)) {
    Read();
    ddb::SetClockForTesting(&OffsetClock);
    thread_ = std::thread([this] {
      std::unique_lock lock(mu_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stop_; })) Read();
    });
  }
  ~ClockOffsetFollower() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  // A missing, empty or malformed file leaves the offset as it was.
  void Read() {
    std::ifstream f(path_);
    double seconds = 0;
    if (f >> seconds && std::isfinite(seconds) && std::fabs(seconds) < 1e9) {
      g_clock_offset_ms.store(std::llround(seconds * 1000.0), std::memory_order_relaxed);
    }
  }

  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  base::LimitMallocArenas();
  base::CreateOwnerOnlyFiles();  // the data is nobody else's business
  server::ServerOptions options;
  bool shared_db = false, delay_transient = false, optimize_db = false;
  std::string cors, credentials_path;
  unsigned port = options.port;

  CLI::App app{kDescription, "ddb-server"};
  app.get_formatter()->column_width(34);
  app.add_option("--port", port, "TCP port to listen on; 0 picks a free port (printed)")
      ->default_val(8000)
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", options.host, "Address to listen on")->default_val("127.0.0.1");
  app.add_option("--db-path", options.db_path, "Directory holding the database")
      ->default_val("./data/ddb");
  app.add_flag("--in-memory", options.in_memory,
               "Keep all data in memory only; nothing survives the process");
  app.add_option("--region", options.region, "Region used in ARNs and the health check")
      ->default_val("us-east-1");
  app.add_option("--threads", options.io_threads,
                 "Threads serving connections (default: number of cores)");
  app.add_option("--worker-threads", options.worker_threads,
                 "Threads running operations that may write (they wait for disk syncs)")
      ->default_val(16)
      ->check(CLI::Range(1, 1024));
  bool no_throttling = false;
  app.add_flag("--no-throttling", no_throttling,
               "Never throttle PROVISIONED tables (DynamoDB Local's behaviour); by default\n"
               "they are held to their provisioned throughput with a 300 s burst credit");
  int64_t collection_limit = options.item_collection_limit_bytes;
  // Hidden: lets tests reach the 10 GB item-collection limit of LSI tables.
  app.add_option("--item-collection-limit-bytes", collection_limit)
      ->group("")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  app.add_option("--ttl-sweep-seconds", options.ttl_sweep_seconds,
                 "How often expired TTL items are deleted, in seconds; an item is gone\n"
                 "within about one period of its expiry (0 turns the sweeper off)")
      ->default_val(60)
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--pitr-recovery-days", options.pitr_recovery_days,
                 "Default recovery period of point-in-time recovery, in days")
      ->default_val(35)
      ->check(CLI::Range(int64_t{1}, int64_t{35}));
  std::string clock_offset_file;
  // Hidden: moves the engine's clock in tests (ClockOffsetFollower above).
  app.add_option("--test-clock-offset-file", clock_offset_file)->group("");
  app.add_option("--max-tables", options.max_tables,
                 "Tables that may exist at once; past it CreateTable answers\n"
                 "LimitExceededException (DynamoDB's default quota per region)")
      ->default_val(2500)
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  std::string export_root;
  app.add_option("--export-root", export_root,
                 "Folder standing in for S3 in table exports: S3Bucket B, S3Prefix P is\n"
                 "<dir>/B/P (default <db-path>/exports; none with --in-memory)");
  app.add_flag("--shared-db", shared_db, "Accepted for DynamoDB Local; always one database");
  app.add_option("--cors", cors,
                 "Browser origins allowed, comma-separated ('*': any origin); default\n"
                 "http://localhost:3000,http://127.0.0.1:3000,http://localhost:5173");
  app.add_option("--credentials", credentials_path,
                 "JSON file of access keys and their permissions: every request must then\n"
                 "be signed by one of them (required to listen on a non-loopback address)")
      ->check(CLI::ExistingFile);
  app.add_option("--allowed-host", options.access.allowed_hosts,
                 "Host name served besides localhost, 127.0.0.1 and [::1] when there is no\n"
                 "credentials file (repeatable)");
  std::string tls_cert, tls_key;
  server::AddTlsFlags(&app, &tls_cert, &tls_key);
  app.add_flag("--delay-transient-statuses", delay_transient,
               "Accepted for DynamoDB Local; no effect");
  app.add_flag("--optimize-db-before-startup", optimize_db,
               "Accepted for DynamoDB Local; no effect");
  server::AddHttpLimitFlags(&app, &options.http_limits);
  server::AuditLogFlags audit_log;
  server::AddAuditLogFlags(&app, &audit_log, "<db-path>/audit.log");

  std::vector<std::string> args = TranslateArgs(argc, argv);
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  try {
    app.parse(static_cast<int>(cargs.size()), cargs.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  options.port = static_cast<uint16_t>(port);
  options.throttling = !no_throttling;
  options.item_collection_limit_bytes = collection_limit;
  options.access.allowed_origins = server::SplitOrigins(cors);
  options.export_root =
      !export_root.empty() ? export_root : (options.in_memory ? "" : options.db_path + "/exports");
  options.audit_log = server::ResolveAuditLog(audit_log, options.in_memory ? "" : options.db_path);
  if (!credentials_path.empty()) {
    auto loaded = server::LoadCredentialsFile(credentials_path);
    if (!loaded.ok()) {
      std::fprintf(stderr, "ddb-server: --credentials %s\n", loaded.error().message.c_str());
      return 1;
    }
    options.access.credentials =
        std::make_shared<const server::CredentialsFile>(std::move(loaded).value());
  }
  {
    std::string error;
    options.tls = server::TlsFromFlags(tls_cert, tls_key, &error);
    if (!error.empty()) {
      std::fprintf(stderr, "ddb-server: %s\n", error.c_str());
      return 1;
    }
  }

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client vanishing mid-write must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<ClockOffsetFollower> clock_offset;
  if (!clock_offset_file.empty()) {
    clock_offset = std::make_unique<ClockOffsetFollower>(clock_offset_file);
  }

  auto started = server::Server::Start(options);
  if (!started.ok()) {
    std::fprintf(stderr, "ddb-server: %s\n", started.error().message.c_str());
    return 1;
  }
  std::unique_ptr<server::Server> srv = std::move(started).value();
  std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::printf("ddb-server listening on %s://%s:%u (data: %s)\n", options.tls ? "https" : "http",
              host.c_str(), srv->port(), options.in_memory ? "in memory" : options.db_path.c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::fprintf(stderr, "ddb-server: %s received, shutting down\n",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  srv->Stop();
  srv.reset();
  clock_offset.reset();
  ddb::SetClockForTesting(nullptr);
  return 0;
}
