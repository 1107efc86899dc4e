#include "ddb/partiql/expression_text.h"

#include "ddb/partiql/json_value.h"

namespace ddb::partiql {
namespace {

bool Is(const Expr& e, Expr::Kind k) { return e.kind == k; }

}  // namespace

Error Unsupported(std::string_view what) {
  return Validation("Unsupported operation: " + std::string(what));
}

std::string ExpressionBuilder::Name(const std::string& name) {
  auto it = names_.find(name);
  if (it != names_.end()) return it->second;
  std::string p = "#n" + std::to_string(names_.size());
  names_.emplace(name, p);
  return p;
}

std::string ExpressionBuilder::Value(const AttributeValue& value) {
  values_.push_back(value);
  return ":v" + std::to_string(values_.size() - 1);
}

std::string ExpressionBuilder::PathText(const expr::Path& path) {
  std::string out;
  for (const auto& el : path) {
    if (el.is_index) {
      out += "[" + std::to_string(el.index) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += Name(el.name);
    }
  }
  return out;
}

Result<std::string> ExpressionBuilder::Operand(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kPath:
      return PathText(e.path);
    case Expr::Kind::kValue:
      return Value(e.value);
    case Expr::Kind::kCall:
      if (e.op == "size") {
        if (e.args.size() != 1 || !Is(e.args[0], Expr::Kind::kPath)) {
          return Unsupported("size takes one document path");
        }
        return "size(" + PathText(e.args[0].path) + ")";
      }
      return Unsupported("function " + e.op + " as an operand");
    case Expr::Kind::kArith:
      return Unsupported("arithmetic in a WHERE clause");
    default:
      return Unsupported("a condition as an operand");
  }
}

Result<std::string> ExpressionBuilder::Condition(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kCompare: {
      ASSIGN_OR_RETURN(std::string a, Operand(e.args[0]));
      ASSIGN_OR_RETURN(std::string b, Operand(e.args[1]));
      return a + " " + e.op + " " + b;
    }
    case Expr::Kind::kBetween: {
      ASSIGN_OR_RETURN(std::string a, Operand(e.args[0]));
      ASSIGN_OR_RETURN(std::string lo, Operand(e.args[1]));
      ASSIGN_OR_RETURN(std::string hi, Operand(e.args[2]));
      return a + " BETWEEN " + lo + " AND " + hi;
    }
    case Expr::Kind::kIn: {
      ASSIGN_OR_RETURN(std::string a, Operand(e.args[0]));
      std::string out = a + " IN (";
      for (size_t i = 1; i < e.args.size(); ++i) {
        ASSIGN_OR_RETURN(std::string v, Operand(e.args[i]));
        out += (i > 1 ? ", " : "") + v;
      }
      return out + ")";
    }
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr: {
      std::string out;
      for (size_t i = 0; i < e.args.size(); ++i) {
        ASSIGN_OR_RETURN(std::string c, Conjunct(e.args[i]));
        if (i) out += e.kind == Expr::Kind::kAnd ? " AND " : " OR ";
        out += c;
      }
      return out;
    }
    case Expr::Kind::kNot: {
      ASSIGN_OR_RETURN(std::string c, Condition(e.args[0]));
      return "NOT (" + c + ")";
    }
    case Expr::Kind::kIsMissing:
      if (!Is(e.args[0], Expr::Kind::kPath)) return Unsupported("IS MISSING of a non-path");
      return std::string(e.negated ? "attribute_exists(" : "attribute_not_exists(") +
             PathText(e.args[0].path) + ")";
    case Expr::Kind::kIsNull: {
      // PartiQL's IS NULL holds for a NULL value and for a missing
      // attribute (MISSING IS NULL is true); IS NOT NULL for a present,
      // non-NULL one. DynamoDB does not document its reading: a guess after
      // the PartiQL specification.
      if (!Is(e.args[0], Expr::Kind::kPath)) return Unsupported("IS NULL of a non-path");
      const std::string path = PathText(e.args[0].path);
      const std::string null_type = Value(AttributeValue::S("NULL"));
      if (e.negated) {
        return "attribute_exists(" + path + ") AND NOT attribute_type(" + path + ", " + null_type +
               ")";
      }
      return "attribute_not_exists(" + path + ") OR attribute_type(" + path + ", " + null_type +
             ")";
    }
    case Expr::Kind::kCall: {
      const std::string& f = e.op;
      if (f == "attribute_exists" || f == "attribute_not_exists") {
        if (e.args.size() != 1 || !Is(e.args[0], Expr::Kind::kPath)) {
          return Unsupported(f + " takes one document path");
        }
        return f + "(" + PathText(e.args[0].path) + ")";
      }
      if (f == "begins_with" || f == "contains" || f == "attribute_type") {
        if (e.args.size() != 2 || !Is(e.args[0], Expr::Kind::kPath)) {
          return Unsupported(f + " takes a document path and a value");
        }
        ASSIGN_OR_RETURN(std::string b, Operand(e.args[1]));
        return f + "(" + PathText(e.args[0].path) + ", " + b + ")";
      }
      if (f == "exists") return Unsupported("EXISTS outside a transaction's statement");
      return Unsupported("function " + f);
    }
    case Expr::Kind::kPath:
    case Expr::Kind::kValue:
    case Expr::Kind::kArith:
      return Unsupported("a WHERE clause that is not a condition");
  }
  return Unsupported("condition");
}

Result<std::string> ExpressionBuilder::Conjunct(const Expr& e) {
  ASSIGN_OR_RETURN(std::string c, Condition(e));
  // IS [NOT] NULL is written as an AND / OR of functions.
  if (e.kind == Expr::Kind::kAnd || e.kind == Expr::Kind::kOr || e.kind == Expr::Kind::kIsNull) {
    return "(" + c + ")";
  }
  return c;
}

Result<std::string> ExpressionBuilder::SetValue(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kPath:
    case Expr::Kind::kValue:
      return Operand(e);
    case Expr::Kind::kArith: {
      ASSIGN_OR_RETURN(std::string a, Operand(e.args[0]));
      ASSIGN_OR_RETURN(std::string b, Operand(e.args[1]));
      return a + " " + e.op + " " + b;
    }
    case Expr::Kind::kCall:
      if (e.op == "list_append" && e.args.size() == 2) {
        ASSIGN_OR_RETURN(std::string a, SetValue(e.args[0]));
        ASSIGN_OR_RETURN(std::string b, SetValue(e.args[1]));
        return "list_append(" + a + ", " + b + ")";
      }
      if (e.op == "if_not_exists" && e.args.size() == 2 && Is(e.args[0], Expr::Kind::kPath)) {
        ASSIGN_OR_RETURN(std::string b, SetValue(e.args[1]));
        return "if_not_exists(" + PathText(e.args[0].path) + ", " + b + ")";
      }
      return Unsupported("function " + e.op + " in SET");
    default:
      return Unsupported("a condition as a SET value");
  }
}

void ExpressionBuilder::AddTo(rapidjson::Document& body) const {
  auto& alloc = body.GetAllocator();
  if (!names_.empty()) {
    rapidjson::Value names(rapidjson::kObjectType);
    for (const auto& [name, p] : names_) {
      names.AddMember(JsonString(p, alloc), JsonString(name, alloc), alloc);
    }
    body.AddMember("ExpressionAttributeNames", names, alloc);
  }
  if (!values_.empty()) {
    rapidjson::Value values(rapidjson::kObjectType);
    for (size_t i = 0; i < values_.size(); ++i) {
      values.AddMember(JsonString(":v" + std::to_string(i), alloc),
                       JsonAttributeValue(values_[i], alloc), alloc);
    }
    body.AddMember("ExpressionAttributeValues", values, alloc);
  }
}

}  // namespace ddb::partiql
