// Creating and dropping the users database itself (bin/db/create,
// bin/db/drop, bin/db/setup), which a UsersDirectory cannot do: it is
// connected to the very database in question.
//
// The functions here take the same connection URLs as OpenUsersDirectory
// (users_directory.h). PostgreSQL's CREATE / DROP DATABASE run over a
// connection of their own (libpq) to the server's maintenance database
// "postgres"; a SQLite database is a file and its companions. Errors are
// values with this layer's types; the messages are written to be printed
// as they are, on one line.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cruddur::users {

// True if `connection_url` names PostgreSQL ("postgresql://..." or
// "postgres://..."), as OpenUsersDirectory decides; otherwise it names SQLite
// (or nothing OpenUsersDirectory accepts).
bool IsPostgresUrl(std::string_view connection_url);

// The name of the database a PostgreSQL URL names: its path after the host,
// without the query; "postgres" when the URL has no path or an empty one.
// Meaningful only when IsPostgresUrl(connection_url).
std::string PostgresDatabaseName(std::string_view connection_url);

// CREATE DATABASE for the database `connection_url` names (a PostgreSQL URL),
// sent over a connection to the same server, with the same user and query
// parameters, but database "postgres". Returns the database's name
// (PostgresDatabaseName). Errors: kInvalidUserInput if the URL is not
// PostgreSQL's; kDatabaseUnavailable "cannot connect to PostgreSQL: <libpq's
// message on one line>"; kDatabaseError "PostgreSQL: <the server's message>"
// (e.g. the database exists already).
base::Result<std::string> CreatePostgresDatabase(std::string_view connection_url);

// DROP DATABASE IF EXISTS for the database `connection_url` names, as
// CreatePostgresDatabase does (a missing database is not an error). Returns
// the database's name. Errors as CreatePostgresDatabase's (kDatabaseError
// e.g. while others are connected to it).
base::Result<std::string> DropPostgresDatabase(std::string_view connection_url);

// The SQLite file a non-PostgreSQL connection URL names: kDefaultSqlitePath
// for "", PATH for "sqlite://PATH" and "sqlite:PATH", else the URL itself.
std::string SqlitePath(std::string_view connection_url);

// Removes the SQLite database at `path` with its "-wal", "-shm" and
// "-journal" files; files already missing are not an error. Stops at the
// first file that cannot be removed: kDatabaseError "cannot remove <file>:
// <reason>".
base::Status RemoveSqliteDatabase(const std::string& path);

}  // namespace cruddur::users
