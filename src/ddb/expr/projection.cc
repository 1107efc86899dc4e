// Document paths over items (ResolvePath), projection expressions and
// Project, which keeps the enclosing maps and lists of nested paths.
#include <map>
#include <optional>

#include "ddb/expr/parser.h"

namespace ddb::expr {

namespace {

template <typename ItemT, typename ValueT>
ValueT* Walk(ItemT& item, const Path& path) {
  if (path.empty() || path[0].is_index) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  ValueT* v = &it->second;
  for (size_t i = 1; i < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.is_index) {
      if (v->type != AttrType::kL || e.index < 0 ||
          static_cast<size_t>(e.index) >= v->list.size()) {
        return nullptr;
      }
      v = &v->list[e.index];
    } else {
      if (v->type != AttrType::kM) return nullptr;
      auto m = v->map.find(e.name);
      if (m == v->map.end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

// The projection's paths as a tree: a leaf keeps the whole value below it.
struct ProjectionNode {
  bool leaf = false;
  std::map<std::string, ProjectionNode, std::less<>> names;
  std::map<int, ProjectionNode> indexes;
};

// Recurses once per path step: the parser rejects paths over kMaxPathDepth,
// and the walk stops there regardless.
std::optional<AttributeValue> Extract(const AttributeValue& v, const ProjectionNode& node,
                                      size_t depth) {
  if (node.leaf) return v;
  if (depth >= kMaxPathDepth) return std::nullopt;
  if (v.type == AttrType::kM && !node.names.empty()) {
    AttributeMap out;
    for (const auto& [name, child] : node.names) {
      auto it = v.map.find(name);
      if (it == v.map.end()) continue;
      if (auto r = Extract(it->second, child, depth + 1)) out.emplace(name, std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::M(std::move(out));
  }
  if (v.type == AttrType::kL && !node.indexes.empty()) {
    std::vector<AttributeValue> out;
    for (const auto& [index, child] : node.indexes) {
      if (index < 0 || static_cast<size_t>(index) >= v.list.size()) continue;
      if (auto r = Extract(v.list[index], child, depth + 1)) out.push_back(std::move(*r));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::L(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

const AttributeValue* ResolvePath(const Item& item, const Path& path) {
  return Walk<const Item, const AttributeValue>(item, path);
}

AttributeValue* ResolvePathMutable(Item& item, const Path& path) {
  return Walk<Item, AttributeValue>(item, path);
}

Result<Projection> ParseProjection(std::string_view text, ExpressionContext& ctx) {
  constexpr std::string_view kWhich = "ProjectionExpression";
  RETURN_IF_ERROR(CheckExpressionText(text, kWhich));
  SyntaxParser parser(text, kWhich);
  ASSIGN_OR_RETURN(auto raw, parser.ParseProjection());
  Resolver resolver(kWhich, ctx, Resolver::Mode::kProjection);
  Projection out;
  for (const auto& p : raw) out.paths.push_back(resolver.ResolvePath(p));
  std::string overlap = CheckPathsDisjoint(out.paths);
  if (!overlap.empty()) resolver.Record(Resolver::kOverlap, std::move(overlap));
  if (auto error = resolver.Finish()) return std::move(*error);
  return out;
}

Item Project(const Projection& p, const Item& item) {
  Item out;
  bool flat = true;
  for (const Path& path : p.paths) flat = flat && path.size() == 1;
  if (flat) {
    for (const Path& path : p.paths) {
      auto it = item.find(path[0].name);
      if (it != item.end()) out.insert(*it);
    }
    return out;
  }
  ProjectionNode root;
  for (const Path& path : p.paths) {
    ProjectionNode* node = &root;
    for (const PathElement& e : path) {
      node = e.is_index ? &node->indexes[e.index] : &node->names[e.name];
    }
    node->leaf = true;
  }
  for (const auto& [name, child] : root.names) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto r = Extract(it->second, child, 1)) out.emplace(name, std::move(*r));
  }
  return out;
}

}  // namespace ddb::expr
