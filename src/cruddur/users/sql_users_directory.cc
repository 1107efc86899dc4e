#include "cruddur/users/sql_users_directory.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "cruddur/users/errors.h"
#include "cruddur/users/field_checks.h"
#include "cruddur/users/handle_key.h"
#include "cruddur/users/ids.h"
#include "cruddur/users/queries.h"

namespace cruddur::users {
namespace {

// Handles per query in FindByHandles: well under SQLite's and PostgreSQL's
// parameter limits.
constexpr size_t kHandlesPerQuery = 100;

User ToUser(std::vector<std::string>&& row) {
  return User{std::move(row[0]), std::move(row[1]), std::move(row[2]),
              std::move(row[3]), std::move(row[4]), std::move(row[5])};
}

// The placeholder Cognito id is shared by every unlinked user: it names nobody.
bool IsPlaceholder(std::string_view cognito_user_id) {
  return cognito_user_id == kUnlinkedCognitoUserId;
}

// The unique keys of the users table, as a violation names them.
enum class UniqueKey { kUnknown, kUuid, kHandle, kCognitoUserId };

// The key of a constraint or unique index PostgreSQL names (queries.h).
UniqueKey KeyOfConstraint(std::string_view name) {
  if (name == kCognitoUserIdKeyName) return UniqueKey::kCognitoUserId;
  if (name == kHandleKeyName || name == kHandleLowerKeyName) return UniqueKey::kHandle;
  if (name == kUuidKeyName) return UniqueKey::kUuid;
  return UniqueKey::kUnknown;
}

// The key of `user` that `holders` (key_holders' rows: uuid, handle,
// cognito_user_id) already hold; the Cognito id first, then the handle, then
// the uuid.
UniqueKey KeyHeldBy(const SqlRows& holders, const NewUser& user) {
  auto any = [&](auto&& holds) {
    return std::any_of(holders.rows.begin(), holders.rows.end(), holds);
  };
  if (!IsPlaceholder(user.cognito_user_id) &&
      any([&](const auto& row) { return row[2] == user.cognito_user_id; })) {
    return UniqueKey::kCognitoUserId;
  }
  if (!user.handle.empty() &&
      any([&](const auto& row) { return SameHandle(row[1], user.handle); })) {
    return UniqueKey::kHandle;
  }
  if (!user.uuid.empty() && any([&](const auto& row) { return row[0] == user.uuid; })) {
    return UniqueKey::kUuid;
  }
  return UniqueKey::kUnknown;
}

// `e` with a message naming the key of `user` a unique-key violation hit.
base::Error ConflictError(base::Error e, UniqueKey key, const NewUser& user) {
  switch (key) {
    case UniqueKey::kCognitoUserId:
      e.message = "another user already has Cognito id '" + user.cognito_user_id + "'";
      break;
    case UniqueKey::kHandle:
      e.message = "handle '" + user.handle + "' is taken";
      break;
    case UniqueKey::kUuid:
    case UniqueKey::kUnknown:
      e.message = "a user with uuid " + user.uuid + " already exists";
      break;
  }
  return e;
}

// Neither the placeholder nor a retired id is anyone's identity.
bool NamesNobody(std::string_view cognito_user_id) {
  return IsPlaceholder(cognito_user_id) || IsRetiredCognitoUserId(cognito_user_id);
}

// The refusal of CreateSchema when rows collide regardless of case: one line
// naming them and saying how to fix it.
base::Error CollisionError(const SqlRows& twins) {
  // Twins together, in bytes: the backends' collations differ.
  std::vector<std::pair<std::string, std::string>> handles;
  for (const auto& row : twins.rows) handles.emplace_back(HandleKey(row[0]), row[0]);
  std::sort(handles.begin(), handles.end());
  std::string names;
  for (const auto& [key, handle] : handles) {
    if (!names.empty()) names += ", ";
    names += "'" + handle + "'";
  }
  return HandleCollisionError(
      "handles must be unique regardless of case, but these differ only in case: " + names +
      "; rename all but one of each (UPDATE users SET handle = '<new handle>' WHERE handle = "
      "'<old handle>'; bin/db/connect opens the database), then start again");
}

class SqlUsersDirectory final : public UsersDirectory {
 public:
  explicit SqlUsersDirectory(std::unique_ptr<SqlConnection> conn)
      : conn_(std::move(conn)), q_(QueriesFor(conn_->dialect())) {}

  DatabaseInfo Describe() const override {
    std::lock_guard lock(mu_);
    return conn_->Describe();
  }

  base::Status CreateSchema() override {
    std::lock_guard lock(mu_);
    return InTransaction([&]() -> base::Status {
      RETURN_IF_ERROR(conn_->ExecuteScript(q_.create_schema));
      // The migration of a table made before handles were unique regardless
      // of case: the index cannot exist while rows collide.
      ASSIGN_OR_RETURN(SqlRows twins, conn_->Execute(q_.handle_collisions));
      if (!twins.rows.empty()) return CollisionError(twins);
      return conn_->ExecuteScript(q_.create_handle_index);
    });
  }

  base::Status DropSchema() override {
    std::lock_guard lock(mu_);
    return conn_->ExecuteScript(q_.drop_schema);
  }

  base::Result<User> InsertUser(const NewUser& user) override {
    ASSIGN_OR_RETURN(NewUser u, Checked(user));
    std::lock_guard lock(mu_);
    SqlFailure failure;
    auto rows = conn_->Execute(q_.insert_user, Params(u), &failure);
    if (!rows.ok()) return DescribeConflict(std::move(rows).error(), failure, u);
    if (rows->rows.size() != 1) return DatabaseError("insert returned no row");
    return ToUser(std::move(rows->rows[0]));
  }

  base::Result<int> SeedUsers() override {
    std::vector<NewUser> seed;
    for (const NewUser& u : cruddur::users::SeedUsers()) {
      ASSIGN_OR_RETURN(NewUser checked, Checked(u));
      seed.push_back(std::move(checked));
    }
    std::lock_guard lock(mu_);
    int inserted = 0;
    RETURN_IF_ERROR(InTransaction([&]() -> base::Status {
      for (const NewUser& u : seed) {
        ASSIGN_OR_RETURN(SqlRows rows, conn_->Execute(q_.seed_user, Params(u)));
        inserted += static_cast<int>(rows.changes);
      }
      return base::Status::Ok();
    }));
    return inserted;
  }

  base::Result<std::string> FindUuidByCognitoUserId(std::string_view cognito_user_id) override {
    RETURN_IF_ERROR(CheckField("cognito_user_id", cognito_user_id));
    if (NamesNobody(cognito_user_id)) return NoUserWithCognitoId(cognito_user_id);
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(SqlRows rows,
                     conn_->Execute(q_.uuid_by_cognito_user_id, Strings({cognito_user_id})));
    if (rows.rows.empty()) return NoUserWithCognitoId(cognito_user_id);
    if (rows.rows.size() > 1) return Duplicate("cognito_user_id");
    return std::move(rows.rows[0][0]);
  }

  base::Result<User> FindByHandle(std::string_view handle) override {
    RETURN_IF_ERROR(CheckField("handle", handle));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(SqlRows rows, conn_->Execute(q_.user_by_handle, Strings({handle})));
    if (rows.rows.empty()) return NoUserWithHandle(handle);
    if (rows.rows.size() > 1) return Duplicate("handle");
    return ToUser(std::move(rows.rows[0]));
  }

  base::Result<std::vector<User>> FindByHandles(std::span<const std::string> handles) override {
    std::vector<std::string> unique;
    unique.reserve(handles.size());
    for (const auto& h : handles) {
      RETURN_IF_ERROR(CheckField("handle", h));
      unique.push_back(HandleKey(h));
    }
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());

    // Ordered by handle here, in bytes: the backends' collations differ.
    std::map<std::string, User> found;
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < unique.size(); i += kHandlesPerQuery) {
      const size_t n = std::min(kHandlesPerQuery, unique.size() - i);
      std::span<const std::string> chunk(unique.data() + i, n);
      ASSIGN_OR_RETURN(SqlRows rows, conn_->Execute(q_.UsersByHandles(n), chunk));
      for (auto& row : rows.rows) {
        User u = ToUser(std::move(row));
        std::string handle = u.handle;
        if (!found.emplace(std::move(handle), std::move(u)).second) return Duplicate("handle");
      }
    }
    std::vector<User> out;
    out.reserve(found.size());
    for (auto& [handle, user] : found) out.push_back(std::move(user));
    return out;
  }

  base::Result<User> FindByUuid(std::string_view uuid) override {
    ASSIGN_OR_RETURN(std::string normalized, NormalizeUuid(uuid));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(SqlRows rows, conn_->Execute(q_.user_by_uuid, Strings({normalized})));
    if (rows.rows.empty()) return NotFoundError("no user with uuid " + normalized);
    return ToUser(std::move(rows.rows[0]));
  }

  base::Result<MessageUsers> FindMessageUsers(std::string_view sender_cognito_user_id,
                                              std::string_view receiver_handle) override {
    RETURN_IF_ERROR(CheckField("sender cognito_user_id", sender_cognito_user_id));
    RETURN_IF_ERROR(CheckField("receiver handle", receiver_handle));
    if (NamesNobody(sender_cognito_user_id)) return NoUserWithCognitoId(sender_cognito_user_id);

    SqlRows rows;
    {
      std::lock_guard lock(mu_);
      ASSIGN_OR_RETURN(rows, conn_->Execute(q_.message_users,
                                            Strings({sender_cognito_user_id, receiver_handle})));
    }
    // Roles are decided here rather than by a CASE in SQL: one row can be both
    // (a user writing to themself), which a single 'kind' column cannot say.
    std::vector<User> senders, receivers;
    for (auto& row : rows.rows) {
      User u = ToUser(std::move(row));
      if (u.cognito_user_id == sender_cognito_user_id) senders.push_back(u);
      if (SameHandle(u.handle, receiver_handle)) receivers.push_back(u);
    }
    if (senders.size() > 1) return Duplicate("cognito_user_id");
    if (receivers.size() > 1) return Duplicate("handle");
    if (senders.empty()) return NoUserWithCognitoId(sender_cognito_user_id);
    if (receivers.empty()) return NoUserWithHandle(receiver_handle);
    if (senders[0].uuid == receivers[0].uuid) {
      return SelfMessageError("cannot send a message to yourself (@" + receivers[0].handle + ")");
    }
    return MessageUsers{std::move(senders[0]), std::move(receivers[0])};
  }

  base::Result<int64_t> UpdateCognitoUserIdByHandle(std::string_view handle,
                                                    std::string_view cognito_user_id) override {
    RETURN_IF_ERROR(CheckField("handle", handle));
    return UpdateCognitoUserId(q_.link_rows_by_handle, q_.update_cognito_user_id_by_handle,
                               "handle", handle, cognito_user_id);
  }

  base::Result<int64_t> UpdateCognitoUserIdByEmail(std::string_view email,
                                                   std::string_view cognito_user_id) override {
    RETURN_IF_ERROR(CheckField("email", email));
    return UpdateCognitoUserId(q_.link_rows_by_email, q_.update_cognito_user_id_by_email, "email",
                               email, cognito_user_id);
  }

  base::Result<std::vector<Session>> ListSessions() override {
    std::lock_guard lock(mu_);
    return conn_->ListSessions();
  }

  base::Result<int64_t> RetireCognitoUser(std::string_view sub) override {
    RETURN_IF_ERROR(CheckField("cognito_user_id", sub));
    if (NamesNobody(sub)) {
      return InvalidInputError("'" + std::string(sub) + "' is not a Cognito user's id");
    }
    const std::string retired = RetiredCognitoUserId(sub);
    RETURN_IF_ERROR(CheckField("cognito_user_id", retired));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(SqlRows rows,
                     conn_->Execute(q_.retire_cognito_user_id, Strings({retired, sub})));
    return rows.changes;
  }

 private:
  // Rewrites a unique-key violation of `user`'s statement into a message
  // naming the key: the constraint PostgreSQL named (SqlFailure), or on
  // SQLite, which names it only in its message text, the key a row already
  // holds (key_holders, run in the same transaction if there is one). Other
  // errors are returned as they are. Call with mu_ held.
  base::Error DescribeConflict(base::Error e, const SqlFailure& failure, const NewUser& user) {
    if (e.code != kUserAlreadyExists) return e;
    UniqueKey key = KeyOfConstraint(failure.constraint);
    if (key == UniqueKey::kUnknown && conn_->dialect() == Dialect::kSqlite) {
      auto holders =
          conn_->Execute(q_.key_holders, Strings({user.uuid, user.handle, user.cognito_user_id}));
      if (holders.ok()) key = KeyHeldBy(*holders, user);
    }
    return ConflictError(std::move(e), key, user);
  }

  static std::vector<std::string> Strings(std::initializer_list<std::string_view> values) {
    return std::vector<std::string>(values.begin(), values.end());
  }

  static std::vector<std::string> Params(const NewUser& u) {
    return {u.uuid, u.display_name, u.handle, u.email, u.cognito_user_id, NowUtcTimestamp()};
  }

  // `user` with its fields checked and its uuid normalized or generated.
  static base::Result<NewUser> Checked(const NewUser& user) {
    RETURN_IF_ERROR(CheckField("display_name", user.display_name));
    RETURN_IF_ERROR(CheckField("handle", user.handle));
    RETURN_IF_ERROR(CheckField("email", user.email));
    RETURN_IF_ERROR(CheckField("cognito_user_id", user.cognito_user_id));
    NewUser out = user;
    if (out.uuid.empty()) {
      ASSIGN_OR_RETURN(out.uuid, NewUuidV4());
    } else {
      ASSIGN_OR_RETURN(out.uuid, NormalizeUuid(user.uuid));
    }
    return out;
  }

  static base::Error NoUserWithCognitoId(std::string_view id) {
    if (IsPlaceholder(id)) {
      return NotFoundError("'" + std::string(id) + "' is the placeholder of unlinked users");
    }
    return NotFoundError("no user with Cognito id '" + std::string(id) + "'");
  }
  static base::Error NoUserWithHandle(std::string_view handle) {
    return NotFoundError("no user with handle '" + std::string(handle) + "'");
  }
  static base::Error Duplicate(std::string_view column) {
    return DatabaseError("more than one user has the same " + std::string(column) +
                         ": the users table lacks its unique keys (recreate it with "
                         "bin/db/schema-load)");
  }

  // Links (or, with the placeholder, unlinks) the rows `select_sql` finds
  // for `key`, in one transaction: all of them or none (users_directory.h).
  base::Result<int64_t> UpdateCognitoUserId(const std::string& select_sql,
                                            const std::string& update_sql,
                                            std::string_view key_name, std::string_view key,
                                            std::string_view cognito_user_id) {
    RETURN_IF_ERROR(CheckField("cognito_user_id", cognito_user_id));
    if (IsRetiredCognitoUserId(cognito_user_id)) {
      return InvalidInputError("a retired Cognito id cannot be linked (RetireCognitoUser)");
    }
    const bool unlink = IsPlaceholder(cognito_user_id);
    const std::string what = std::string(key_name) + " '" + std::string(key) + "'";
    std::lock_guard lock(mu_);
    int64_t changes = 0;
    RETURN_IF_ERROR(InTransaction([&]() -> base::Status {
      ASSIGN_OR_RETURN(SqlRows rows, conn_->Execute(select_sql, Strings({key})));
      if (rows.rows.empty()) return NotFoundError("no user with " + what);
      for (const auto& row : rows.rows) {
        const std::string& handle = row[1];
        const std::string& linked = row[2];
        if (IsRetiredCognitoUserId(linked)) {
          return AlreadyExistsError("the user with handle '" + handle +
                                    "' was deleted from Cognito: their row is retired and their "
                                    "handle stays reserved");
        }
        if (!unlink && !IsPlaceholder(linked) && linked != cognito_user_id) {
          return AlreadyExistsError("the user with handle '" + handle +
                                    "' is linked to another Cognito user (unlink it first)");
        }
      }
      SqlFailure failure;
      auto updated = conn_->Execute(update_sql, Strings({cognito_user_id, key}), &failure);
      if (!updated.ok()) {
        NewUser u;
        u.cognito_user_id = std::string(cognito_user_id);
        return DescribeConflict(std::move(updated).error(), failure, u);
      }
      changes = updated->changes;
      return base::Status::Ok();
    }));
    return changes;
  }

  // Runs `body` between Begin and Commit; rolls back if either fails.
  template <typename Body>
  base::Status InTransaction(Body&& body) {
    RETURN_IF_ERROR(conn_->Begin());
    base::Status st = body();
    if (st.ok()) st = conn_->Commit();
    if (!st.ok()) conn_->Rollback();
    return st;
  }

  mutable std::mutex mu_;
  std::unique_ptr<SqlConnection> conn_;
  const UsersQueries& q_;
};

}  // namespace

std::unique_ptr<UsersDirectory> NewSqlUsersDirectory(std::unique_ptr<SqlConnection> connection) {
  return std::make_unique<SqlUsersDirectory>(std::move(connection));
}

}  // namespace cruddur::users
