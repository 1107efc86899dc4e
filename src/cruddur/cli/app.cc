// `cruddur`: command-line wiring (CLI11) and the ddb / db commands.
#include <libpq-fe.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "cruddur/cli/cognito_list_users.h"
#include "cruddur/cli/cruddur_cli.h"
#include "cruddur/cli/seed_conversation.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/messaging/timestamp.h"
#include "cruddur/messaging/user_conversations.h"
#include "cruddur/serve/serve.h"
#include "cruddur/users/users_directory.h"
#include "server/audit_log_flags.h"
#include "server/http_limit_flags.h"
#include "server/tls_flags.h"

namespace cruddur::cli {
namespace {

using messaging::MessageStore;

// A failure to report: one line, exit status 1.
struct Failure {
  std::string message;
};

constexpr const char* kLocalEndpoint = "http://localhost:8000";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Where the ddb commands go, for messages.
std::string Where(bool prod) {
  if (prod) return "the AWS endpoint";
  std::string e = Env("AWS_ENDPOINT_URL");
  return e.empty() ? kLocalEndpoint : e;
}

// A one-line reason for a service or client error.
std::string Reason(const ddb::Error& e, bool prod, const std::string& table = "") {
  if (e.type == "ConnectionError" || e.type == "TimeoutError") {
    return "cannot reach DynamoDB at " + Where(prod) +
           (prod ? "" : " (is the local server running? make run, or set AWS_ENDPOINT_URL)") +
           ": " + e.message;
  }
  if (e.type == "ResourceNotFoundException" && !table.empty()) {
    return "table " + table + " does not exist at " + Where(prod) + " (run bin/ddb/schema-load" +
           (prod ? " prod" : "") + ")";
  }
  if (e.type == "UnknownOperationException") {
    return "the server at " + Where(prod) +
           " does not implement this operation (Cognito calls need a user pool: make run "
           "starts one on :8000)";
  }
  std::string m = e.message;
  for (char& c : m) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return e.type.empty() ? m : e.type + ": " + m;
}

template <typename T>
T Check(ddb::Result<T> r, bool prod, const std::string& table = "") {
  if (!r.ok()) throw Failure{Reason(r.error(), prod, table)};
  return std::move(r).value();
}

std::unique_ptr<aws::AwsJsonClient> Client(const aws::AwsService& service, bool prod) {
  aws::ClientConfig config;
  if (prod) {
    config.public_endpoint = true;
  } else {
    std::string e = Env("AWS_ENDPOINT_URL");
    config.endpoint_url = e.empty() ? kLocalEndpoint : e;
    // A local server accepts any keys in any region.
    config.default_region = "us-east-1";
    config.default_credentials = aws::Credentials{"cruddur-local", "cruddur-local", ""};
  }
  aws::ClientOptions options;
  options.attempt_timeout = std::chrono::seconds(10);
  options.total_timeout = std::chrono::seconds(30);
  return Check(
      aws::AwsJsonClient::FromEnvironment(service, config, aws::ProcessEnvironment(), options),
      prod);
}

std::unique_ptr<users::UsersDirectory> Users() {
  auto dir = users::OpenUsersDirectory(users::ConnectionUrlFromEnv());
  if (!dir.ok()) throw Failure{"users database: " + dir.error().message};
  return std::move(dir).value();
}

template <typename T>
T CheckUsers(ddb::Result<T> r) {
  if (!r.ok()) {
    if (r.error().type == users::kSchemaMissing) {
      throw Failure{"users database has no users table (run bin/db/schema-load)"};
    }
    throw Failure{"users database: " + r.error().message};
  }
  return std::move(r).value();
}
// True for the users directory's own error types (users_directory.h).
bool IsUsersError(const ddb::Error& e) {
  for (std::string_view t :
       {users::kUserNotFound, users::kUserAlreadyExists, users::kInvalidUserInput,
        users::kSelfMessage, users::kDatabaseUnavailable, users::kSchemaMissing,
        users::kDatabaseError}) {
    if (e.type == t) return true;
  }
  return false;
}

void CheckUsers(ddb::Status s) {
  if (!s.ok()) throw Failure{"users database: " + s.error().message};
}

// "2023-03-20 10:30 PM" (UTC), as the seed's get-conversation prints.
std::string SeedDateTime(const std::string& sk) {
  auto t = messaging::ParseTimestamp(sk);
  if (!t.ok()) return sk;
  std::string f = messaging::FormatTimestamp(*t);
  int hour = std::stoi(f.substr(11, 2));
  const char* ampm = hour < 12 ? "AM" : "PM";
  hour = hour % 12 == 0 ? 12 : hour % 12;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s %02d:%s %s", f.substr(0, 10).c_str(), hour,
                f.substr(14, 2).c_str(), ampm);
  return buf;
}

// The first `n` characters (code points) of `s`.
std::string Prefix(const std::string& s, size_t n) {
  size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++count;
  }
  return s.substr(0, i);
}

std::string Pad(const std::string& s, size_t width) {
  size_t cps = 0;
  for (unsigned char c : s) cps += (c & 0xC0) != 0x80;
  return cps >= width ? s + " " : s + std::string(width - cps, ' ');
}

void Progress(int done, int total) {
  constexpr int kWidth = 40;
  const int filled = total ? done * kWidth / total : kWidth;
  std::fprintf(stderr, "\r[%s%s] %d/%d", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total);
  if (done >= total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

// ---- ddb ------------------------------------------------------------------

struct DdbArgs {
  std::string target;  // "" or "prod"
  std::string table;   // for drop
  std::string group = std::string(kSeedGroupUuid);
  std::string handle = "andrewbrown";
  int limit = 20;
  std::string cursor;
  bool json = false;
  bool prod() const { return target == "prod"; }
};

void DdbSchemaLoad(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  auto r = messaging::CreateMessagesTable(*client, table);
  if (!r.ok() && r.error().type == "ResourceInUseException") {
    throw Failure{"table " + table + " already exists at " + Where(a.prod())};
  }
  std::cout << Check(std::move(r), a.prod()) << "\n";
  std::cerr << "created table " << table << "\n";
  if (!a.prod()) {
    // Live updates (GET /api/events) read the table's stream.
    Check(messaging::EnsureMessagesStream(*client, table), a.prod(), table);
    std::cerr << "enabled the stream of " << table << " (NEW_IMAGE)\n";
  } else {
    std::cerr << "for live updates enable its stream: aws dynamodb update-table --table-name "
              << table << " --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE\n";
  }
}

void DdbListTables(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  for (const auto& n : Check(messaging::ListTableNames(*client), a.prod())) std::cout << n << "\n";
}

void DdbDrop(const DdbArgs& a) {
  if (a.table.empty()) {
    throw Failure{"No TABLE_NAME argument supplied eg bin/ddb/drop cruddur-messages prod"};
  }
  auto client = Client(aws::kDynamoDB, a.prod());
  std::cout << "Deleting table: " << a.table << std::endl;
  Check(messaging::DeleteTable(*client, a.table), a.prod(), a.table);
}

void DdbScan(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  auto n = Check(messaging::ScanTable(*client, table,
                                      [](const std::string& item) { std::cout << item << "\n"; }),
                 a.prod(), table);
  std::cerr << n << " items\n";
}

void DdbSeed(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  if (!Check(messaging::TableExists(*client, table), a.prod())) {
    throw Failure{"table " + table + " does not exist at " + Where(a.prod()) +
                  " (run bin/ddb/schema-load" + (a.prod() ? " prod" : "") + ")"};
  }
  auto dir = Users();
  const bool tty = isatty(STDERR_FILENO);
  auto seeded =
      SeedData(*client, table, *dir, tty ? std::function<void(int, int)>(Progress) : nullptr);
  if (!seeded.ok() && IsUsersError(seeded.error())) CheckUsers(ddb::Status(seeded.error()));
  auto report = Check(std::move(seeded), a.prod(), table);
  std::cout << "users: " << report.users_inserted << " inserted\n"
            << "conversation " << kSeedGroupUuid
            << " (andrewbrown, bayko): " << report.conversation.written << " messages written, "
            << report.conversation.already_present << " already present\n"
            << "last message at " << report.conversation.last_message_at << "\n";
}

void PrintCapacity(double units, const std::string& table) {
  std::printf("{\n  \"CapacityUnits\": %.1f,\n  \"TableName\": \"%s\"\n}\n", units, table.c_str());
}

void DdbGetConversation(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  MessageStore store(client.get());
  auto page = Check(store.ListMessages(a.group, a.limit, a.cursor), a.prod(), store.table());
  PrintCapacity(page.consumed_capacity, store.table());
  for (const auto& m : page.messages) {
    std::cout << Pad(m.sender.handle, 16) << Pad(SeedDateTime(m.sk), 22) << Prefix(m.message, 40)
              << "...\n";
  }
  if (!page.older_cursor.empty()) std::cout << "older: --cursor " << page.older_cursor << "\n";
}

void DdbListConversations(const DdbArgs& a) {
  auto dir = Users();
  auto user = CheckUsers(dir->FindByHandle(a.handle));
  auto client = Client(aws::kDynamoDB, a.prod());
  MessageStore store(client.get());
  std::cout << "my-uuid: " << user.uuid << "\n";
  auto page = Check(store.ListConversations(user.uuid, a.limit, a.cursor), a.prod(), store.table());
  PrintCapacity(page.consumed_capacity, store.table());
  for (const auto& c : page.conversations) {
    std::cout << Pad(c.other.handle, 16) << Pad(SeedDateTime(c.sk), 22) << Prefix(c.message, 40)
              << "...  " << c.message_group_uuid << "\n";
  }
  if (!page.next_cursor.empty()) std::cout << "more: --cursor " << page.next_cursor << "\n";
}

// ---- db -------------------------------------------------------------------

// A PostgreSQL URL split into the server part and the database name.
struct PgUrl {
  std::string maintenance;  // the same URL naming database "postgres"
  std::string database;
};

std::optional<PgUrl> SplitPgUrl(const std::string& url) {
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) return std::nullopt;
  const size_t scheme = url.find("://") + 3;
  const size_t slash = url.find('/', scheme);
  if (slash == std::string::npos) return PgUrl{url + "/postgres", "postgres"};
  const size_t q = url.find('?', slash);
  std::string db =
      url.substr(slash + 1, q == std::string::npos ? std::string::npos : q - slash - 1);
  std::string rest = q == std::string::npos ? "" : url.substr(q);
  return PgUrl{url.substr(0, slash) + "/postgres" + rest, db.empty() ? "postgres" : db};
}

void PgAdmin(const PgUrl& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.maintenance.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string m = PQerrorMessage(conn);
    PQfinish(conn);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    for (char& c : m) {
      if (c == '\n') c = ' ';
    }
    throw Failure{"cannot connect to PostgreSQL: " + m};
  }
  PQsetNoticeReceiver(
      conn, [](void*, const PGresult*) {}, nullptr);
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string m = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  while (!m.empty() && m.back() == '\n') m.pop_back();
  if (!ok) throw Failure{"PostgreSQL: " + m};
}

std::string QuoteIdent(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The SQLite file CONNECTION_URL names (kDefaultSqlitePath when unset).
std::string SqlitePath(const std::string& url) {
  if (url.empty()) return std::string(users::kDefaultSqlitePath);
  if (url.rfind("sqlite://", 0) == 0) return url.substr(9);
  if (url.rfind("sqlite:", 0) == 0) return url.substr(7);
  return url;
}

void DbCreate() {
  const std::string url = users::ConnectionUrlFromEnv();
  if (auto pg = SplitPgUrl(url)) {
    PgAdmin(*pg, "CREATE DATABASE " + QuoteIdent(pg->database));
    std::cout << "created database " << pg->database << "\n";
    return;
  }
  auto dir = Users();  // SQLite creates the file
  std::cout << "created database " << dir->Describe().location << "\n";
}

void DbDrop() {
  const std::string url = users::ConnectionUrlFromEnv();
  if (auto pg = SplitPgUrl(url)) {
    PgAdmin(*pg, "DROP DATABASE IF EXISTS " + QuoteIdent(pg->database));
    std::cout << "dropped database " << pg->database << "\n";
    return;
  }
  const std::string path = SqlitePath(url);
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
    if (ec) throw Failure{"cannot remove " + path + suffix + ": " + ec.message()};
  }
  std::cout << "dropped database " << path << "\n";
}

void DbSchemaLoad() {
  auto dir = Users();
  CheckUsers(dir->CreateSchema());
  std::cout << "users schema loaded (" << dir->Describe().backend << ")\n";
}

void DbSeed() {
  auto dir = Users();
  const int n = CheckUsers(dir->SeedUsers());
  std::cout << "seed users: " << n << " inserted\n";
}

int DbUpdateCognitoUserIds(bool quiet_if_unconfigured);

void DbSetup() {
  DbDrop();
  DbCreate();
  DbSchemaLoad();
  DbSeed();
  DbUpdateCognitoUserIds(true);
}

void DbConnect() {
  const std::string url = users::ConnectionUrlFromEnv();
  std::vector<std::string> args;
  if (SplitPgUrl(url)) {
    args = {"psql", url};
  } else {
    args = {"sqlite3", SqlitePath(url)};
  }
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execvp(argv[0], argv.data());
  throw Failure{std::string("cannot run ") + args[0] + ": " + std::strerror(errno)};
}

void DbSessions() {
  auto dir = Users();
  auto sessions = CheckUsers(dir->ListSessions());
  std::printf("%-8s %-12s %-14s %-20s %-16s %-8s %s\n", "pid", "user", "database", "application",
              "client", "state", "started");
  for (const auto& s : sessions) {
    std::printf("%-8lld %-12s %-14s %-20s %-16s %-8s %s%s\n", static_cast<long long>(s.pid),
                s.user.c_str(), s.database.c_str(), s.application_name.c_str(),
                s.client_address.c_str(), s.state.c_str(), s.backend_start.c_str(),
                s.is_self ? " (this)" : "");
  }
}

// The user pool the cognito commands use: AWS_COGNITO_USER_POOL_ID (or the
// seed student's AWS_USER_POOLS_ID); locally, without either, the local
// pool of `cruddur serve` (<region>_cruddur).
std::string PoolId(bool prod) {
  std::string pool = Env("AWS_COGNITO_USER_POOL_ID");
  if (pool.empty()) pool = Env("AWS_USER_POOLS_ID");
  if (pool.empty() && !prod) {
    std::string region = Env("AWS_DEFAULT_REGION");
    if (region.empty()) region = Env("AWS_REGION");
    pool = serve::LocalPoolId(region.empty() ? "us-east-1" : region);
  }
  return pool;
}

void CognitoListUsers(const DdbArgs& a) {
  const std::string pool = PoolId(a.prod());
  if (pool.empty()) throw Failure{"AWS_COGNITO_USER_POOL_ID is not set"};
  auto client = Client(aws::kCognitoIdentityProvider, a.prod());
  std::cout << Check(ListPoolUsers(*client, pool), a.prod());
}

// bin/db/update_cognito_user_ids: every user of the pool (ListUsers, paginated)
// gets its `sub` stored as cognito_user_id of the user with its
// preferred_username as handle.
int DbUpdateCognitoUserIds(bool quiet_if_unconfigured) {
  if (quiet_if_unconfigured && Env("AWS_COGNITO_USER_POOL_ID").empty() &&
      Env("AWS_USER_POOLS_ID").empty()) {
    std::cout << "cognito: AWS_COGNITO_USER_POOL_ID not set, cognito_user_id left as is\n";
    return 0;
  }
  const std::string pool = PoolId(false);
  auto client = Client(aws::kCognitoIdentityProvider, false);
  auto dir = Users();
  auto pool_users = Check(FetchPoolUsers(*client, pool), false);
  int updated = 0;
  for (const auto& [handle, sub] : HandleToSub(pool_users)) {
    auto r = dir->UpdateCognitoUserIdByHandle(handle, sub);
    if (r.ok()) {
      std::cout << handle << " -> " << sub << "\n";
      ++updated;
    } else if (r.error().type != users::kUserNotFound) {
      throw Failure{"users database: " + r.error().message};
    }
  }
  std::cout << updated << " users linked to Cognito\n";
  return 0;
}

// ---- wiring ---------------------------------------------------------------

void AddTarget(CLI::App* cmd, DdbArgs& a) {
  cmd->add_option("target", a.target,
                  "\"prod\": the AWS endpoint of the configured region instead of the local "
                  "server (AWS_ENDPOINT_URL, else http://localhost:8000)")
      ->check(CLI::IsMember({"prod"}));
}

}  // namespace

int RunCruddur(int argc, char** argv) {
  CLI::App app{"cruddur: Cruddur's developer tools (the seed's bin/ddb and bin/db scripts)",
               "cruddur"};
  app.require_subcommand(1);
  DdbArgs a;
  std::function<void()> action;

  CLI::App* ddb = app.add_subcommand(
      "ddb", "The messages table (DDB_MESSAGE_TABLE, default cruddur-messages) in DynamoDB");
  ddb->require_subcommand(1);
  auto* c = ddb->add_subcommand("schema-load", "Create the messages table (the seed's schema)");
  AddTarget(c, a);
  c->callback([&] { action = [&] { DdbSchemaLoad(a); }; });
  c = ddb->add_subcommand("list-tables", "List the tables");
  AddTarget(c, a);
  c->callback([&] { action = [&] { DdbListTables(a); }; });
  c = ddb->add_subcommand("drop", "Delete a table");
  // Optional for CLI11 so that a missing name gets the seed's usage line.
  c->add_option("TABLE_NAME", a.table, "Table to delete, e.g. cruddur-messages");
  AddTarget(c, a);
  c->callback([&] { action = [&] { DdbDrop(a); }; });
  c = ddb->add_subcommand("seed",
                          "Create the seed users and the seed's Babylon 5 conversation "
                          "(idempotent)");
  AddTarget(c, a);
  c->callback([&] { action = [&] { DdbSeed(a); }; });
  c = ddb->add_subcommand("scan", "Print every item of the messages table");
  AddTarget(c, a);
  c->callback([&] { action = [&] { DdbScan(a); }; });
  c = ddb->add_subcommand("get-conversation",
                          "Show a conversation (pattern A), oldest first, with its read cost");
  AddTarget(c, a);
  c->add_option("--group", a.group, "Conversation uuid")->capture_default_str();
  c->add_option("--limit", a.limit, "Messages per page (1-100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  c->add_option("--cursor", a.cursor, "Continue with older messages (printed as 'older:')");
  c->callback([&] { action = [&] { DdbGetConversation(a); }; });
  c = ddb->add_subcommand("list-conversations",
                          "Show a user's conversations (pattern B), newest first");
  AddTarget(c, a);
  c->add_option("--handle", a.handle, "Whose conversations")->capture_default_str();
  c->add_option("--limit", a.limit, "Conversations per page (1-100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  c->add_option("--cursor", a.cursor, "Continue (printed as 'more:')");
  c->callback([&] { action = [&] { DdbListConversations(a); }; });

  CLI::App* db =
      app.add_subcommand("db",
                         "The users database (CONNECTION_URL: postgresql://..., else SQLite "
                         "./data/cruddur.sqlite3)");
  db->require_subcommand(1);
  db->add_subcommand("create", "Create the database")->callback([&] { action = DbCreate; });
  db->add_subcommand("drop", "Drop the database (all users)")->callback([&] { action = DbDrop; });
  db->add_subcommand("schema-load", "Create the users table")->callback([&] {
    action = DbSchemaLoad;
  });
  db->add_subcommand("seed", "Insert the seed users (andrewbrown, bayko, londo, altbrown)")
      ->callback([&] { action = DbSeed; });
  db->add_subcommand("setup", "drop, create, schema-load, seed, update-cognito-user-ids")
      ->callback([&] { action = DbSetup; });
  db->add_subcommand("connect", "Open psql or sqlite3 on the database")->callback([&] {
    action = DbConnect;
  });
  db->add_subcommand("sessions", "List connections to the database")->callback([&] {
    action = DbSessions;
  });
  db->add_subcommand("update-cognito-user-ids",
                     "Store each Cognito user's sub as cognito_user_id (by preferred_username)")
      ->callback([&] { action = [] { DbUpdateCognitoUserIds(false); }; });

  CLI::App* cognito = app.add_subcommand("cognito", "The Cognito user pool");
  cognito->require_subcommand(1);
  c = cognito->add_subcommand("list-users",
                              "List the pool's users and their {handle: sub} map (all pages)");
  AddTarget(c, a);
  c->callback([&] { action = [&] { CognitoListUsers(a); }; });

  serve::ServeConfig sc;
  CLI::App* srv = app.add_subcommand(
      "serve",
      "Run the local stack: the DynamoDB endpoint with the local Cognito user pool, the "
      "API and the web app. Settings from AWS_DEFAULT_REGION, AWS_COGNITO_USER_POOL_ID, "
      "AWS_COGNITO_USER_POOL_CLIENT_ID, CONNECTION_URL, DDB_MESSAGE_TABLE, FRONTEND_URL, "
      "BACKEND_URL, AWS_ENDPOINT_URL");
  srv->add_option("--host", sc.host, "Address to listen on")->capture_default_str();
  srv->add_option("--api-port", sc.api_port, "API port (0: any free port)")->capture_default_str();
  srv->add_option("--ddb-port", sc.ddb_port,
                  "DynamoDB endpoint and user pool port (0: any free port)")
      ->capture_default_str();
  srv->add_option("--data", sc.data_dir, "Data directory")->capture_default_str();
  srv->add_flag("--in-memory", sc.in_memory, "Keep nothing on disk");
  srv->add_flag("--prod", sc.prod,
                "Amazon DynamoDB and the Cognito pool of the region (no local engine or pool)");
  srv->add_option("--custom-attribute", sc.custom_attributes,
                  "Declare a custom attribute of the local user pool (repeatable; custom:NAME "
                  "or NAME; Cognito's limit is 50)");
  srv->add_option("--web-port", sc.web_port,
                  "Web app port (default: FRONTEND_URL's port, 3000; 0: any free port, and "
                  "FRONTEND_URL becomes its origin)")
      ->check(CLI::Range(0, 65535));
  srv->add_option("--web-root", sc.web_root,
                  "The built web app's directory (default: web/dist of the repository the "
                  "binary or the working directory is in)");
  bool no_web = false;
  srv->add_flag("--no-web", no_web, "Do not serve the web app");
  bool no_seed = false, no_throttling = false;
  srv->add_flag("--no-seed", no_seed, "Do not seed an empty local stack");
  srv->add_flag("--no-throttling", no_throttling, "Do not throttle provisioned tables");
  srv->add_option("--events-poll-ms", sc.events_poll_ms,
                  "How often GET /api/events reads the messages table's stream, ms (default "
                  "250; 1000 with --prod)")
      ->check(CLI::Range(0, 60000));
  server::AddHttpLimitFlags(srv, &sc.http_limits);
  server::AddAuditLogFlags(srv, &sc.audit_log, "<data>/audit.log");
  srv->add_option("--credentials", sc.credentials_path,
                  "JSON file of access keys and permissions: every DynamoDB and user-pool admin "
                  "request must be signed by one of them (required for a non-loopback --host)")
      ->check(CLI::ExistingFile);
  srv->add_option("--cors", sc.cors,
                  "Browser origins allowed on the DynamoDB/user-pool port, comma-separated ('*': "
                  "any); default FRONTEND_URL, http://localhost:3000, http://127.0.0.1:3000, "
                  "http://localhost:5173");
  srv->add_option("--allowed-host", sc.allowed_hosts,
                  "Host name served besides localhost, 127.0.0.1 and [::1] without a credentials "
                  "file (repeatable)");
  server::AddTlsFlags(srv, &sc.tls_cert_path, &sc.tls_key_path);
  int serve_status = -1;
  srv->callback([&] {
    action = [&] {
      sc.seed = !no_seed;
      sc.web = !no_web;
      sc.throttling = !no_throttling;
      serve::ResolveFromEnvironment(sc, aws::ProcessEnvironment());
      serve_status = serve::RunServe(sc);
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, then a pointer to --help.
    std::string what = e.what();
    for (char& ch : what) {
      if (ch == '\n') ch = ' ';
    }
    std::fprintf(stderr, "cruddur: %s (see --help)\n", what.c_str());
    return 2;
  }
  try {
    if (action) action();
  } catch (const Failure& f) {
    std::cout.flush();
    std::fprintf(stderr, "cruddur: %s\n", f.message.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::fprintf(stderr, "cruddur: unexpected error: %s\n", e.what());
    return 1;
  }
  std::cout.flush();
  return serve_status > 0 ? serve_status : 0;
}

}  // namespace cruddur::cli
