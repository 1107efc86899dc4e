#include "cruddur/users/postgres_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <string_view>

#include "cruddur/users/errors.h"

namespace cruddur::users {
namespace {

// libpq's messages end with a newline and may hold more lines (a hint after
// "\n\t", e.g. "Is the server running on that host ..."); ours are one line.
std::string Trim(const char* s) {
  std::string out;
  for (const char* p = s ? s : ""; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\r' || *p == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += *p;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Maps a failed result to our errors by its SQLSTATE; fills `failure` (if not
// null) from the result's diagnostic fields.
base::Error MapError(PGconn* conn, const PGresult* res, SqlFailure* failure = nullptr) {
  const char* state_c = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view state = state_c ? state_c : "";
  // The primary message only: one line, without DETAIL's copy of the values.
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string msg = "postgresql: " + Trim(primary ? primary : PQerrorMessage(conn));
  if (const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr) {
    msg += std::string(" (constraint ") + constraint + ")";
    // unique_violation: which key, for the caller's wording (SqlFailure).
    if (state == "23505" && failure != nullptr) failure->constraint = constraint;
  }
  if (state == "23505") return AlreadyExistsError(std::move(msg));  // unique_violation
  if (state == "42P01") {                                           // undefined_table
    return SchemaMissingError(std::move(msg) + " (create the schema first: bin/db/schema-load)");
  }
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300" || PQstatus(conn) != CONNECTION_OK) {
    return UnavailableError(std::move(msg));
  }
  if (state.starts_with("22")) return InvalidInputError(std::move(msg));  // data exception
  return DatabaseError(std::move(msg));
}

// A decimal count from libpq ("" or malformed reads as 0); never throws.
int64_t ParseCount(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Status notices ("relation already exists, skipping") are not errors and
// must not reach stderr.
void IgnoreNotice(void*, const PGresult*) {}

class PostgresConnection final : public SqlConnection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
  ~PostgresConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  DatabaseInfo Describe() override {
    DatabaseInfo info;
    info.backend = "postgresql";
    std::string host = PQhost(conn_) ? PQhost(conn_) : "";
    std::string user = PQuser(conn_) ? PQuser(conn_) : "";
    std::string port = PQport(conn_) ? PQport(conn_) : "";
    std::string db = PQdb(conn_) ? PQdb(conn_) : "";
    if (!host.empty() && host[0] == '/') {  // unix socket directory
      info.location = "postgresql://" + user + "@/" + db + "?host=" + host + "&port=" + port;
    } else {
      if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6
      info.location = "postgresql://" + user + "@" + host + ":" + port + "/" + db;
    }
    int v = PQserverVersion(conn_);
    if (v > 0) info.server_version = std::to_string(v / 10000) + "." + std::to_string(v % 10000);
    return info;
  }

  base::Result<SqlRows> Execute(std::string_view sql, std::span<const std::string> params,
                                SqlFailure* failure) override {
    RETURN_IF_ERROR(EnsureConnected());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    Res res(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()), nullptr,
                         values.data(), nullptr, nullptr, 0));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return MapError(conn_, res.get(), failure);
    SqlRows out;
    const int rows = PQntuples(res.get());
    const int cols = PQnfields(res.get());
    out.rows.reserve(rows);
    for (int r = 0; r < rows; ++r) {
      auto& row = out.rows.emplace_back();
      row.reserve(cols);
      for (int c = 0; c < cols; ++c) {
        row.emplace_back(PQgetvalue(res.get(), r, c), PQgetlength(res.get(), r, c));
      }
    }
    // PQcmdTuples counts the rows a SELECT returned too; only writes count here.
    if (!std::string_view(PQcmdStatus(res.get())).starts_with("SELECT")) {
      out.changes = ParseCount(PQcmdTuples(res.get()));
    }
    return out;
  }

  base::Status ExecuteScript(std::string_view sql) override {
    RETURN_IF_ERROR(EnsureConnected());
    Res res(PQexec(conn_, std::string(sql).c_str()));
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) return MapError(conn_, res.get());
    return base::Status::Ok();
  }

  base::Status Begin() override { return ExecuteScript("BEGIN"); }
  base::Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      Res res(PQexec(conn_, "ROLLBACK"));
    }
  }

  base::Result<std::vector<Session>> ListSessions() override {
    ASSIGN_OR_RETURN(SqlRows rows,
                     Execute("SELECT pid, coalesce(usename, ''), coalesce(datname, ''), "
                             "coalesce(application_name, ''), coalesce(host(client_addr), ''), "
                             "coalesce(state, ''), coalesce(backend_start::text, ''), "
                             "CASE WHEN pid = pg_backend_pid() THEN '1' ELSE '0' END "
                             "FROM pg_stat_activity WHERE datname = current_database() "
                             "ORDER BY backend_start, pid",
                             {}, nullptr));
    std::vector<Session> out;
    for (auto& r : rows.rows) {
      Session s;
      s.pid = ParseCount(r[0]);
      s.user = std::move(r[1]);
      s.database = std::move(r[2]);
      s.application_name = std::move(r[3]);
      s.client_address = std::move(r[4]);
      s.state = std::move(r[5]);
      s.backend_start = std::move(r[6]);
      s.is_self = r[7] == "1";
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  struct ResDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using Res = std::unique_ptr<PGresult, ResDeleter>;

  // Reconnects once if the server dropped the connection since the last call.
  base::Status EnsureConnected() {
    if (PQstatus(conn_) == CONNECTION_OK) return base::Status::Ok();
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return UnavailableError("postgresql: connection lost: " + Trim(PQerrorMessage(conn_)));
    }
    return base::Status::Ok();
  }

  PGconn* conn_;
};

}  // namespace

base::Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& url,
                                                                    int connect_timeout_s) {
  // Keywords before dbname are defaults: the URL, expanded in dbname's place,
  // overrides them. UTF-8 on the wire whatever the server's default.
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                        nullptr};
  const char* values[] = {timeout.c_str(), "cruddur", "UTF8", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return UnavailableError("postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = "postgresql: cannot connect: " + Trim(PQerrorMessage(conn));
    PQfinish(conn);
    return UnavailableError(std::move(msg));
  }
  PQsetNoticeReceiver(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<SqlConnection>(std::make_unique<PostgresConnection>(conn));
}

}  // namespace cruddur::users
