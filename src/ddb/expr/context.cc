// ExpressionContext bookkeeping and the small path helpers shared by the
// parsers: rendering paths for messages, and DynamoDB's overlap / conflict
// checks between the paths of one update or projection expression.
#include <string>

#include "ddb/expr/ast.h"

namespace ddb::expr {

namespace {

std::string UnusedKeys(const std::set<std::string>& used, auto begin, auto end) {
  std::string keys;
  for (auto it = begin; it != end; ++it) {
    if (used.count(it->first)) continue;
    if (!keys.empty()) keys += ", ";
    keys += it->first;
  }
  return keys;
}

}  // namespace

Status ExpressionContext::CheckAllUsed() const {
  if (names != nullptr) {
    std::string keys = UnusedKeys(used_names, names->begin(), names->end());
    if (!keys.empty()) {
      return Validation(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}");
    }
  }
  if (values != nullptr) {
    std::string keys = UnusedKeys(used_values, values->begin(), values->end());
    if (!keys.empty()) {
      return Validation(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys +
          "}");
    }
  }
  return Status::Ok();
}

std::string PathToString(const Path& p) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].is_index) {
      out += "[" + std::to_string(p[i].index) + "]";
    } else {
      if (i > 0) out += ".";
      out += p[i].name;
    }
  }
  return out;
}

std::string PathToMessageString(const Path& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.size(); ++i) {
    if (i > 0) out += ", ";
    if (p[i].is_index) {
      out += "[" + std::to_string(p[i].index) + "]";
    } else {
      out += p[i].name;
    }
  }
  return out + "]";
}

Error InvalidExpression(std::string_view which, std::string_view message) {
  std::string text = "Invalid ";
  text += which;
  text += ": ";
  text += message;
  return Validation(std::move(text));
}

bool SamePath(const Path& a, const Path& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_index != b[i].is_index) return false;
    if (a[i].is_index ? a[i].index != b[i].index : a[i].name != b[i].name) return false;
  }
  return true;
}

std::string CheckPathsDisjoint(const std::vector<Path>& paths) {
  // Every later path is checked against the earlier ones, as DynamoDB does:
  // a path that is a prefix of (or equal to) another overlaps it; two paths
  // that agree up to a step where one indexes a list and the other names a
  // map member conflict.
  for (size_t j = 1; j < paths.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      const Path& a = paths[i];
      const Path& b = paths[j];
      bool diverged = false;
      size_t n = std::min(a.size(), b.size());
      for (size_t k = 0; k < n; ++k) {
        if (a[k].is_index != b[k].is_index) {
          return "Two document paths conflict with each other; must remove or rewrite one of "
                 "these paths; path one: " +
                 PathToMessageString(a) + ", path two: " + PathToMessageString(b);
        }
        if (a[k].is_index ? a[k].index != b[k].index : a[k].name != b[k].name) {
          diverged = true;
          break;
        }
      }
      if (!diverged) {
        return "Two document paths overlap with each other; must remove or rewrite one of these "
               "paths; path one: " +
               PathToMessageString(a) + ", path two: " + PathToMessageString(b);
      }
    }
  }
  return std::string();
}

}  // namespace ddb::expr
