// What a PartiQL statement touches, for access control before it runs: its
// table and whether it only reads. Used by the server's permissions
// (src/server/permissions.cc), which must know a statement's table without
// the request's parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ddb::partiql {

struct StatementTarget {
  std::string table;
  bool read_only = true;  // SELECT and EXISTS(SELECT ...)
};

// The target of `text`, or nullopt when it is not a statement this engine
// would run (the engine then rejects it with its own error).
std::optional<StatementTarget> TargetOf(std::string_view text);

}  // namespace ddb::partiql
