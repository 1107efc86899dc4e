#include "cruddur/userpool/pool_store.h"

#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <charconv>
#include <cmath>

#include "base/ascii.h"
#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/users/sqlite_connection.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::userpool {
namespace {

constexpr int kBusyTimeoutMs = 5000;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL UNIQUE,
  email_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  created_us INTEGER NOT NULL,
  modified_us INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  code_expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  origin_jti TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  refresh_hash TEXT NOT NULL UNIQUE,
  auth_time INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  revoked INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_username ON sessions(username);
CREATE TABLE IF NOT EXISTS challenges (
  session_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  expires INTEGER NOT NULL
);
)sql";

// Columns added after the first schema: added to older databases on Open.
struct AddedColumn {
  std::string_view name;
  std::string_view definition;
};
constexpr AddedColumn kAddedColumns[] = {
    {"srp_salt", "srp_salt TEXT NOT NULL DEFAULT ''"},
    {"srp_verifier", "srp_verifier TEXT NOT NULL DEFAULT ''"},
    {"code_failures", "code_failures INTEGER NOT NULL DEFAULT 0"},
    {"reset_code_hash", "reset_code_hash TEXT NOT NULL DEFAULT ''"},
    {"reset_code_expires", "reset_code_expires INTEGER NOT NULL DEFAULT 0"},
    {"reset_code_failures", "reset_code_failures INTEGER NOT NULL DEFAULT 0"},
    {"signin_failures", "signin_failures INTEGER NOT NULL DEFAULT 0"},
    {"locked_until_ms", "locked_until_ms INTEGER NOT NULL DEFAULT 0"},
    {"last_failure_ms", "last_failure_ms INTEGER NOT NULL DEFAULT 0"},
    {"email_code_hash", "email_code_hash TEXT NOT NULL DEFAULT ''"},
    {"email_code_expires", "email_code_expires INTEGER NOT NULL DEFAULT 0"},
    {"email_code_failures", "email_code_failures INTEGER NOT NULL DEFAULT 0"},
};

constexpr std::string_view kUserColumns =
    "seq, username, status, enabled, created_us, modified_us, attributes, password_hash, "
    "code_hash, code_expires, srp_salt, srp_verifier, code_failures, reset_code_hash, "
    "reset_code_expires, reset_code_failures, signin_failures, locked_until_ms, last_failure_ms, "
    "email_code_hash, email_code_expires, email_code_failures";

int64_t ToInt(const std::string& text) {
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

std::string Micros(double epoch_seconds) {
  return std::to_string(static_cast<int64_t>(std::llround(epoch_seconds * 1e6)));
}

// Attributes as a JSON array of [name, value] pairs (keeps their order).
std::string AttributesJson(const std::vector<std::pair<std::string, std::string>>& attrs) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& [name, value] : attrs) {
    w.StartArray();
    w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    w.EndArray();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

base::Result<std::vector<std::pair<std::string, std::string>>> ParseAttributes(
    const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsArray()) return InternalError("corrupt stored attributes");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& pair : doc.GetArray()) {
    if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString()) {
      return InternalError("corrupt stored attributes");
    }
    out.emplace_back(std::string(pair[0].GetString(), pair[0].GetStringLength()),
                     std::string(pair[1].GetString(), pair[1].GetStringLength()));
  }
  return out;
}

// One row selected with kUserColumns.
base::Result<std::pair<int64_t, StoredUser>> UserFromRow(const std::vector<std::string>& row) {
  StoredUser u;
  u.user.username = row[1];
  u.user.status = row[2];
  u.user.enabled = row[3] == "1";
  u.user.created = static_cast<double>(ToInt(row[4])) / 1e6;
  u.user.modified = static_cast<double>(ToInt(row[5])) / 1e6;
  ASSIGN_OR_RETURN(u.user.attributes, ParseAttributes(row[6]));
  u.user.sub = u.user.Attribute("sub");
  u.password_hash = row[7];
  u.signup_code.hash = row[8];
  u.signup_code.expires = ToInt(row[9]);
  u.srp.salt_hex = row[10];
  u.srp.verifier_hex = row[11];
  u.signup_code.failures = static_cast<int>(ToInt(row[12]));
  u.reset_code.hash = row[13];
  u.reset_code.expires = ToInt(row[14]);
  u.reset_code.failures = static_cast<int>(ToInt(row[15]));
  u.guard.failures = static_cast<int>(ToInt(row[16]));
  u.guard.locked_until_ms = ToInt(row[17]);
  u.guard.last_failure_ms = ToInt(row[18]);
  u.email_code.hash = row[19];
  u.email_code.expires = ToInt(row[20]);
  u.email_code.failures = static_cast<int>(ToInt(row[21]));
  return std::make_pair(ToInt(row[0]), std::move(u));
}

// A user's columns as $1..$22: username, email_key, status, enabled,
// created_us, modified_us, attributes, password_hash, code_hash, code_expires,
// then the added columns in kAddedColumns' order.
std::vector<std::string> UserParams(const StoredUser& u) {
  return {u.user.username,
          LookupKey(u.user.Attribute("email")),
          u.user.status,
          u.user.enabled ? "1" : "0",
          Micros(u.user.created),
          Micros(u.user.modified),
          AttributesJson(u.user.attributes),
          u.password_hash,
          u.signup_code.hash,
          std::to_string(u.signup_code.expires),
          u.srp.salt_hex,
          u.srp.verifier_hex,
          std::to_string(u.signup_code.failures),
          u.reset_code.hash,
          std::to_string(u.reset_code.expires),
          std::to_string(u.reset_code.failures),
          std::to_string(u.guard.failures),
          std::to_string(u.guard.locked_until_ms),
          std::to_string(u.guard.last_failure_ms),
          u.email_code.hash,
          std::to_string(u.email_code.expires),
          std::to_string(u.email_code.failures)};
}

StoredSession SessionFromRow(const std::vector<std::string>& row) {
  StoredSession s;
  s.origin_jti = row[0];
  s.username = row[1];
  s.auth_time = ToInt(row[2]);
  s.expires = ToInt(row[3]);
  s.revoked = row[4] == "1";
  return s;
}

}  // namespace

std::string LookupKey(std::string_view name) { return base::AsciiLowercase(name); }

base::Result<std::unique_ptr<PoolStore>> PoolStore::Open(const std::string& path) {
  if (path != ":memory:") {
    // The file holds password hashes: create it private before SQLite does
    // (its -wal and -shm files take the same mode). An empty file is an
    // empty database.
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) close(fd);
  }
  auto conn = users::OpenSqliteConnection(path, kBusyTimeoutMs);
  if (!conn.ok()) return InternalError("user pool database: " + conn.error().message);
  std::unique_ptr<PoolStore> store(new PoolStore(std::move(conn).value()));
  if (auto st = store->db_->ExecuteScript(kSchema); !st.ok()) {
    return InternalError("user pool database schema: " + st.error().message);
  }
  if (auto st = store->AddMissingColumns(); !st.ok()) return std::move(st).error();
  return store;
}

base::Status PoolStore::AddMissingColumns() {
  ASSIGN_OR_RETURN(users::SqlRows info, Run("PRAGMA table_info(users)", {}));
  for (const AddedColumn& column : kAddedColumns) {
    bool present = false;
    for (const auto& row : info.rows) present |= row.size() > 1 && row[1] == column.name;
    if (present) continue;
    RETURN_IF_ERROR(Run("ALTER TABLE users ADD COLUMN " + std::string(column.definition), {}));
  }
  return base::Status::Ok();
}

base::Result<users::SqlRows> PoolStore::Run(std::string_view sql, std::vector<std::string> params) {
  auto rows = db_->Execute(sql, params);
  if (!rows.ok()) {
    if (rows.error().code == users::kUserAlreadyExists) {
      return PoolError(kUsernameExists, "An account with the given email already exists.");
    }
    return InternalError("user pool database: " + rows.error().message);
  }
  return rows;
}

base::Result<std::optional<StoredUser>> PoolStore::FindUser(std::string_view name) {
  const bool by_email = name.find('@') != std::string_view::npos;
  const std::string sql = std::string("SELECT ") + std::string(kUserColumns) +
                          " FROM users WHERE " + (by_email ? "email_key" : "username") + " = $1";
  ASSIGN_OR_RETURN(users::SqlRows rows, Run(sql, {LookupKey(name)}));
  if (rows.rows.empty()) return std::optional<StoredUser>();
  ASSIGN_OR_RETURN(auto found, UserFromRow(rows.rows.front()));
  return std::optional<StoredUser>(std::move(found.second));
}

base::Status PoolStore::InsertUser(const StoredUser& u) {
  RETURN_IF_ERROR(
      Run("INSERT INTO users (username, email_key, status, enabled, created_us, modified_us, "
          "attributes, password_hash, code_hash, code_expires, srp_salt, srp_verifier, "
          "code_failures, reset_code_hash, reset_code_expires, reset_code_failures, "
          "signin_failures, locked_until_ms, last_failure_ms, email_code_hash, "
          "email_code_expires, email_code_failures) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
          "$18, $19, $20, $21, $22)",
          UserParams(u)));
  return base::Status::Ok();
}

base::Status PoolStore::UpdateUser(const StoredUser& u) {
  ASSIGN_OR_RETURN(
      users::SqlRows rows,
      Run("UPDATE users SET email_key = $2, status = $3, enabled = $4, created_us = $5, "
          "modified_us = $6, attributes = $7, password_hash = $8, code_hash = $9, "
          "code_expires = $10, srp_salt = $11, srp_verifier = $12, code_failures = $13, "
          "reset_code_hash = $14, reset_code_expires = $15, reset_code_failures = $16, "
          "signin_failures = $17, locked_until_ms = $18, last_failure_ms = $19, "
          "email_code_hash = $20, email_code_expires = $21, email_code_failures = $22 "
          "WHERE username = $1",
          UserParams(u)));
  if (rows.changes == 0) return UserNotFound();
  return base::Status::Ok();
}

base::Status PoolStore::DeleteUser(std::string_view username) {
  if (auto st = db_->Begin(); !st.ok())
    return InternalError("user pool database: " + st.error().message);
  const std::string key(username);
  for (std::string_view sql :
       {"DELETE FROM sessions WHERE username = $1", "DELETE FROM challenges WHERE username = $1",
        "DELETE FROM users WHERE username = $1"}) {
    auto r = Run(sql, {key});
    if (!r.ok()) {
      db_->Rollback();
      return std::move(r).error();
    }
  }
  if (auto st = db_->Commit(); !st.ok()) {
    db_->Rollback();
    return InternalError("user pool database: " + st.error().message);
  }
  return base::Status::Ok();
}

base::Result<std::vector<std::pair<int64_t, StoredUser>>> PoolStore::ListUsers(int64_t after) {
  ASSIGN_OR_RETURN(users::SqlRows rows, Run(std::string("SELECT ") + std::string(kUserColumns) +
                                                " FROM users WHERE seq > $1 ORDER BY seq",
                                            {std::to_string(after)}));
  std::vector<std::pair<int64_t, StoredUser>> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    ASSIGN_OR_RETURN(auto u, UserFromRow(row));
    out.push_back(std::move(u));
  }
  return out;
}

base::Status PoolStore::InsertSession(const StoredSession& s, std::string_view refresh_hash,
                                      int64_t now) {
  RETURN_IF_ERROR(Run("DELETE FROM sessions WHERE expires < $1", {std::to_string(now)}));
  RETURN_IF_ERROR(
      Run("INSERT INTO sessions (origin_jti, username, refresh_hash, auth_time, expires, revoked) "
          "VALUES ($1, $2, $3, $4, $5, $6)",
          {s.origin_jti, s.username, std::string(refresh_hash), std::to_string(s.auth_time),
           std::to_string(s.expires), s.revoked ? "1" : "0"}));
  return base::Status::Ok();
}

base::Result<std::optional<StoredSession>> PoolStore::FindSessionWhere(std::string_view sql,
                                                                       std::string_view value) {
  ASSIGN_OR_RETURN(users::SqlRows rows, Run(sql, {std::string(value)}));
  if (rows.rows.empty()) return std::optional<StoredSession>();
  return std::optional<StoredSession>(SessionFromRow(rows.rows.front()));
}

base::Result<std::optional<StoredSession>> PoolStore::FindSessionByRefreshHash(
    std::string_view refresh_hash) {
  return FindSessionWhere(
      "SELECT origin_jti, username, auth_time, expires, revoked FROM sessions "
      "WHERE refresh_hash = $1",
      refresh_hash);
}

base::Result<std::optional<StoredSession>> PoolStore::FindSession(std::string_view origin_jti) {
  return FindSessionWhere(
      "SELECT origin_jti, username, auth_time, expires, revoked FROM sessions "
      "WHERE origin_jti = $1",
      origin_jti);
}

base::Status PoolStore::RevokeSessions(std::string_view username) {
  RETURN_IF_ERROR(
      Run("UPDATE sessions SET revoked = 1 WHERE username = $1", {std::string(username)}));
  return base::Status::Ok();
}

base::Status PoolStore::RevokeSession(std::string_view origin_jti) {
  RETURN_IF_ERROR(
      Run("UPDATE sessions SET revoked = 1 WHERE origin_jti = $1", {std::string(origin_jti)}));
  return base::Status::Ok();
}

base::Status PoolStore::InsertChallenge(std::string_view session_hash, const StoredChallenge& c,
                                        int64_t now) {
  RETURN_IF_ERROR(Run("DELETE FROM challenges WHERE expires < $1", {std::to_string(now)}));
  RETURN_IF_ERROR(
      Run("INSERT INTO challenges (session_hash, username, expires) VALUES ($1, $2, $3)",
          {std::string(session_hash), c.username, std::to_string(c.expires)}));
  return base::Status::Ok();
}

base::Result<std::optional<StoredChallenge>> PoolStore::FindChallenge(
    std::string_view session_hash) {
  ASSIGN_OR_RETURN(users::SqlRows rows,
                   Run("SELECT username, expires FROM challenges WHERE session_hash = $1",
                       {std::string(session_hash)}));
  if (rows.rows.empty()) return std::optional<StoredChallenge>();
  StoredChallenge c;
  c.username = rows.rows.front()[0];
  c.expires = ToInt(rows.rows.front()[1]);
  return std::optional<StoredChallenge>(std::move(c));
}

base::Status PoolStore::DeleteChallenge(std::string_view session_hash) {
  RETURN_IF_ERROR(
      Run("DELETE FROM challenges WHERE session_hash = $1", {std::string(session_hash)}));
  return base::Status::Ok();
}

}  // namespace cruddur::userpool
