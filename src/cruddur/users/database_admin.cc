#include "cruddur/users/database_admin.h"

#include <libpq-fe.h>

#include <filesystem>
#include <system_error>

#include "cruddur/users/errors.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {
namespace {

// A PostgreSQL URL split into the server part and the database name.
struct PgUrl {
  std::string maintenance;  // the same URL naming database "postgres"
  std::string database;
};

PgUrl SplitPgUrl(std::string_view connection_url) {
  const std::string url(connection_url);
  const size_t colon = url.find("://");
  const size_t scheme = colon == std::string::npos ? 0 : colon + 3;
  const size_t slash = url.find('/', scheme);
  if (slash == std::string::npos) return PgUrl{url + "/postgres", "postgres"};
  const size_t q = url.find('?', slash);
  std::string db =
      url.substr(slash + 1, q == std::string::npos ? std::string::npos : q - slash - 1);
  std::string rest = q == std::string::npos ? "" : url.substr(q);
  return PgUrl{url.substr(0, slash) + "/postgres" + rest, db.empty() ? "postgres" : db};
}

std::string QuoteIdent(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Runs `sql` (a command returning no rows) on the maintenance database.
base::Status PgAdmin(const PgUrl& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.maintenance.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string m = PQerrorMessage(conn);
    PQfinish(conn);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    for (char& c : m) {
      if (c == '\n') c = ' ';
    }
    return UnavailableError("cannot connect to PostgreSQL: " + m);
  }
  // CREATE / DROP notices (e.g. "database ... does not exist, skipping") are
  // not for the user.
  PQsetNoticeReceiver(
      conn, [](void*, const PGresult*) {}, nullptr);
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string m = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  while (!m.empty() && m.back() == '\n') m.pop_back();
  if (!ok) return DatabaseError("PostgreSQL: " + m);
  return base::Status::Ok();
}

base::Result<std::string> RunOnDatabase(std::string_view connection_url, const char* command) {
  if (!IsPostgresUrl(connection_url)) {
    return InvalidInputError("not a PostgreSQL connection URL (postgresql:// or postgres://)");
  }
  const PgUrl pg = SplitPgUrl(connection_url);
  RETURN_IF_ERROR(PgAdmin(pg, command + QuoteIdent(pg.database)));
  return pg.database;
}

}  // namespace

bool IsPostgresUrl(std::string_view connection_url) {
  return connection_url.starts_with("postgresql://") || connection_url.starts_with("postgres://");
}

std::string PostgresDatabaseName(std::string_view connection_url) {
  return SplitPgUrl(connection_url).database;
}

base::Result<std::string> CreatePostgresDatabase(std::string_view connection_url) {
  return RunOnDatabase(connection_url, "CREATE DATABASE ");
}

base::Result<std::string> DropPostgresDatabase(std::string_view connection_url) {
  return RunOnDatabase(connection_url, "DROP DATABASE IF EXISTS ");
}

std::string SqlitePath(std::string_view connection_url) {
  if (connection_url.empty()) return std::string(kDefaultSqlitePath);
  if (connection_url.starts_with("sqlite://")) return std::string(connection_url.substr(9));
  if (connection_url.starts_with("sqlite:")) return std::string(connection_url.substr(7));
  return std::string(connection_url);
}

base::Status RemoveSqliteDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
    if (ec) return DatabaseError("cannot remove " + path + suffix + ": " + ec.message());
  }
  return base::Status::Ok();
}

}  // namespace cruddur::users
