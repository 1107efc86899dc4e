// Handle keys: how the users directory compares handles.
//
// Handles are unique regardless of case: `Bayko` and `bayko` are one handle.
// The key of a handle is the handle with ASCII letters lowercased and every
// other byte kept, which is what SQL's lower(handle) gives on both backends
// (SQLite's built-in lower() folds only ASCII; on PostgreSQL the directory
// applies lower() under the "C" collation, which also folds only ASCII), so
// C++ and both databases agree on which handles are the same.
#pragma once

#include <string>
#include <string_view>

namespace cruddur::users {

// `handle` with A-Z lowercased, other bytes unchanged.
std::string HandleKey(std::string_view handle);

// True if `a` and `b` are the same handle (equal keys).
bool SameHandle(std::string_view a, std::string_view b);

}  // namespace cruddur::users
