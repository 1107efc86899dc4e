#include "cruddur/users/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <system_error>
#include <unordered_map>

#include "base/owner_only.h"
#include "cruddur/users/errors.h"

namespace cruddur::users {
namespace {

// True when `db` has no `users` table. SQLite reports a missing table only
// in its message text (a plain SQLITE_ERROR), so the schema is asked.
bool UsersTableMissing(sqlite3* db) {
  return db != nullptr &&
         sqlite3_table_column_metadata(db, "main", "users", nullptr, nullptr, nullptr, nullptr,
                                       nullptr, nullptr) != SQLITE_OK;
}

// Maps a SQLite result code (extended codes are on) and message to our errors.
base::Error MapError(sqlite3* db, int code, std::string_view what, const char* message) {
  std::string msg = std::string(what) + ": " + (message ? message : sqlite3_errstr(code));
  switch (code & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExistsError(std::move(msg));
      }
      return DatabaseError(std::move(msg));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return UnavailableError(std::move(msg));
    case SQLITE_ERROR:
      if (UsersTableMissing(db)) {
        return SchemaMissingError(std::move(msg) +
                                  " (create the schema first: bin/db/schema-load)");
      }
      return DatabaseError(std::move(msg));
    default:
      return DatabaseError(std::move(msg));
  }
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  DatabaseInfo Describe() override { return DatabaseInfo{"sqlite", path_, sqlite3_libversion()}; }

  // SQLite names the violated key only in its message: `failure` is left
  // empty (the directory asks the table instead, sql_users_directory.cc).
  base::Result<SqlRows> Execute(std::string_view sql, std::span<const std::string> params,
                                SqlFailure* /*failure*/) override {
    ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    // Reset on every exit so that the cached statement releases its locks.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};

    const int n = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= n; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt, i);
      size_t k = 0;
      if (name == nullptr || name[0] != '$' ||
          std::from_chars(name + 1, name + std::char_traits<char>::length(name), k).ec !=
              std::errc() ||
          k == 0 || k > params.size()) {
        return DatabaseError("statement parameter " + std::string(name ? name : "?") +
                             " has no value");
      }
      const std::string& v = params[k - 1];
      int rc = sqlite3_bind_text(stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
      if (rc != SQLITE_OK) return MapError(db_, rc, "bind", sqlite3_errmsg(db_));
    }

    SqlRows out;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return MapError(db_, rc, "sqlite", sqlite3_errmsg(db_));
      auto& row = out.rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        row.emplace_back(text ? std::string(text, sqlite3_column_bytes(stmt, c)) : std::string());
      }
    }
    out.changes = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db_);
    return out;
  }

  base::Status ExecuteScript(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      base::Error e = MapError(db_, rc, "sqlite", err);
      sqlite3_free(err);
      return e;
    }
    return base::Status::Ok();
  }

  base::Status Begin() override { return ExecuteScript("BEGIN IMMEDIATE"); }
  base::Status Commit() override { return ExecuteScript("COMMIT"); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)ExecuteScript("ROLLBACK");
  }

  base::Result<std::vector<Session>> ListSessions() override {
    Session self;
    self.pid = static_cast<int64_t>(getpid());
    self.database = path_;
    self.application_name = "cruddur";
    self.state = "open";
    self.is_self = true;
    return std::vector<Session>{self};
  }

 private:
  base::Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return MapError(db_, rc, "sqlite", sqlite3_errmsg(db_));
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// The users are nobody else's business: the database file is created 0600
// (an empty file is an empty SQLite database), an existing one and its WAL
// and shared-memory files lose group and other permissions (SQLite creates
// those two with the database file's mode), and so does a folder made for
// it. Returns "" or what failed.
std::string MakeDatabaseOwnerOnly(const std::string& path, const std::filesystem::path& new_dir) {
  if (!new_dir.empty()) {
    if (auto e = base::MakeOwnerOnly(new_dir, false); !e.empty()) return e;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0) ::close(fd);  // else sqlite3_open_v2 reports why
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (auto e = base::MakeOwnerOnly(path + suffix, false); !e.empty()) return e;
  }
  return "";
}

}  // namespace

base::Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path,
                                                                  int busy_timeout_ms) {
  if (path.empty()) return InvalidInputError("empty SQLite database path");
  if (path != ":memory:") {
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    const bool new_parent = !parent.empty() && !std::filesystem::exists(parent, ec);
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return UnavailableError("cannot create directory " + parent.string() + ": " + ec.message());
    }
    if (auto e = MakeDatabaseOwnerOnly(path, new_parent ? parent : std::filesystem::path());
        !e.empty()) {
      return UnavailableError(e);
    }
  }
  sqlite3* db = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    base::Error e = MapError(nullptr, rc, "cannot open " + path, db ? sqlite3_errmsg(db) : nullptr);
    sqlite3_close_v2(db);
    return UnavailableError(std::move(e.message));
  }
  auto conn = std::make_unique<SqliteConnection>(db, path);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // WAL: readers never block the writer and the writer never blocks readers.
  // This is also the first read of the file, so a file that is not a SQLite
  // database fails here.
  if (path != ":memory:") {
    auto mode = conn->Execute("PRAGMA journal_mode=WAL", {}, nullptr);
    if (!mode.ok()) {
      base::Error e = std::move(mode).error();
      return UnavailableError("cannot open " + path + ": " + e.message);
    }
  }
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace cruddur::users
