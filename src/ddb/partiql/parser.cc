// A recursive-descent parser over the tokens of lexer.h. Expression depth is
// bounded (kMaxDepth) so that a hostile statement cannot exhaust the stack.
#include "ddb/partiql/parser.h"

#include <algorithm>

#include "ddb/model/number.h"
#include "ddb/partiql/lexer.h"

namespace ddb::partiql {
namespace {

// Nesting of parentheses, collections and operators. DynamoDB documents
// 32 levels for documents; expressions nest a little deeper in practice.
constexpr int kMaxDepth = 64;

Expr ValueExpr(AttributeValue v) {
  Expr e;
  e.kind = Expr::Kind::kValue;
  e.value = std::move(v);
  return e;
}

Expr Node(Expr::Kind kind, std::vector<Expr> args) {
  Expr e;
  e.kind = kind;
  e.args = std::move(args);
  return e;
}

// Members of a <<set>>: all strings, all numbers or all binaries.
Result<AttributeValue> MakeSet(std::vector<AttributeValue> members) {
  if (members.empty()) return Malformed("A set literal must not be empty");
  const AttrType t = members[0].type;
  if (t != AttrType::kS && t != AttrType::kN && t != AttrType::kB) {
    return Validation("Unsupported set element type: " + std::string(AttrTypeName(t)));
  }
  std::vector<std::string> out;
  for (auto& m : members) {
    if (m.type != t) return Validation("A set literal's elements must all have the same type");
    auto same = [&](const std::string& s) {
      return t == AttrType::kN ? CompareNumbers(s, m.scalar) == 0 : s == m.scalar;
    };
    if (std::find_if(out.begin(), out.end(), same) != out.end()) {
      return Validation(
          "One or more parameter values were invalid: Input collection contains "
          "duplicates.");
    }
    out.push_back(std::move(m.scalar));
  }
  if (t == AttrType::kS) return AttributeValue::SS(std::move(out));
  if (t == AttrType::kN) return AttributeValue::NS(std::move(out));
  return AttributeValue::BS(std::move(out));
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<AttributeValue>& params)
      : ts_(std::move(tokens)), params_(params) {}

  Result<Statement> ParseStatement() {
    Statement s;
    if (ts_.AcceptKeyword("SELECT")) {
      RETURN_IF_ERROR(ParseSelectRest(s));
    } else if (ts_.AcceptKeyword("INSERT")) {
      RETURN_IF_ERROR(ParseInsertRest(s));
    } else if (ts_.AcceptKeyword("UPDATE")) {
      RETURN_IF_ERROR(ParseUpdateRest(s));
    } else if (ts_.AcceptKeyword("DELETE")) {
      RETURN_IF_ERROR(ParseDeleteRest(s));
    } else if (ts_.AcceptKeyword("EXISTS")) {
      RETURN_IF_ERROR(ts_.Expect("("));
      RETURN_IF_ERROR(ts_.ExpectKeyword("SELECT"));
      RETURN_IF_ERROR(ParseSelectRest(s));
      RETURN_IF_ERROR(ts_.Expect(")"));
      s.kind = Statement::Kind::kExists;
    } else {
      return ts_.Unexpected();
    }
    if (!ts_.AtEnd()) return ts_.Unexpected();
    return s;
  }

 private:
  // A name: a bare identifier or a "quoted" one.
  Result<std::string> ParseName() {
    const Token& t = ts_.Peek();
    if (t.kind != Token::Kind::kIdent && t.kind != Token::Kind::kQuoted) return ts_.Unexpected();
    return ts_.Next().text;
  }

  Status ParseTable(Statement& s, bool allow_index) {
    ASSIGN_OR_RETURN(s.table, ParseName());
    if (allow_index && ts_.Accept(".")) {
      ASSIGN_OR_RETURN(auto index, ParseName());
      s.index = std::move(index);
    }
    return Status::Ok();
  }

  // name ('.' name | '[' n ']' | '[' 'key' ']')*
  Result<expr::Path> ParsePath() {
    expr::Path p;
    ASSIGN_OR_RETURN(std::string first, ParseName());
    p.push_back(expr::PathElement{std::move(first), 0, false});
    while (true) {
      if (ts_.Accept(".")) {
        ASSIGN_OR_RETURN(std::string n, ParseName());
        p.push_back(expr::PathElement{std::move(n), 0, false});
      } else if (ts_.Peek().Is("[")) {
        ts_.Next();
        const Token& t = ts_.Peek();
        if (t.kind == Token::Kind::kNumber &&
            t.text.find_first_not_of("0123456789") == std::string::npos && t.text.size() < 10) {
          p.push_back(expr::PathElement{"", std::stoi(ts_.Next().text), true});
        } else if (t.kind == Token::Kind::kString) {
          p.push_back(expr::PathElement{ts_.Next().text, 0, false});
        } else {
          return ts_.Unexpected();
        }
        RETURN_IF_ERROR(ts_.Expect("]"));
      } else {
        return p;
      }
    }
  }

  Status ParseSelectRest(Statement& s) {
    s.kind = Statement::Kind::kSelect;
    if (!ts_.Accept("*")) {
      do {
        ASSIGN_OR_RETURN(expr::Path p, ParsePath());
        s.projection.push_back(std::move(p));
      } while (ts_.Accept(","));
    }
    RETURN_IF_ERROR(ts_.ExpectKeyword("FROM"));
    RETURN_IF_ERROR(ParseTable(s, true));
    if (ts_.AcceptKeyword("WHERE")) {
      ASSIGN_OR_RETURN(Expr w, ParseOr(0));
      s.where = std::move(w);
    }
    if (ts_.AcceptKeyword("ORDER")) {
      RETURN_IF_ERROR(ts_.ExpectKeyword("BY"));
      ASSIGN_OR_RETURN(std::string key, ParseName());
      s.order_by = std::move(key);
      if (ts_.AcceptKeyword("DESC")) {
        s.order_desc = true;
      } else {
        ts_.AcceptKeyword("ASC");
      }
    }
    return Status::Ok();
  }

  Status ParseInsertRest(Statement& s) {
    s.kind = Statement::Kind::kInsert;
    RETURN_IF_ERROR(ts_.ExpectKeyword("INTO"));
    RETURN_IF_ERROR(ParseTable(s, false));
    RETURN_IF_ERROR(ts_.ExpectKeyword("VALUE"));
    ASSIGN_OR_RETURN(Expr v, ParsePrimary(0));
    if (v.kind != Expr::Kind::kValue || v.value.type != AttrType::kM) {
      return Malformed("The VALUE of an INSERT must be a tuple such as {'name': 'value'}");
    }
    s.item = std::move(v.value.map);
    return Status::Ok();
  }

  Status ParseReturning(Statement& s, bool update) {
    if (!ts_.AcceptKeyword("RETURNING")) return Status::Ok();
    bool all;
    if (ts_.AcceptKeyword("ALL")) {
      all = true;
    } else if (ts_.AcceptKeyword("MODIFIED")) {
      all = false;
    } else {
      return ts_.Unexpected();
    }
    bool old;
    if (ts_.AcceptKeyword("OLD")) {
      old = true;
    } else if (ts_.AcceptKeyword("NEW")) {
      old = false;
    } else {
      return ts_.Unexpected();
    }
    RETURN_IF_ERROR(ts_.Expect("*"));
    s.returning = all ? (old ? Returning::kAllOld : Returning::kAllNew)
                      : (old ? Returning::kModifiedOld : Returning::kModifiedNew);
    if (!update && s.returning != Returning::kAllOld) {
      // Wording is this engine's: the documentation allows only ALL OLD *
      // for DELETE.
      return Validation("DELETE statements only support RETURNING ALL OLD *");
    }
    return Status::Ok();
  }

  Status ParseUpdateRest(Statement& s) {
    s.kind = Statement::Kind::kUpdate;
    RETURN_IF_ERROR(ParseTable(s, false));
    bool any = false;
    while (true) {
      if (ts_.AcceptKeyword("SET")) {
        do {
          SetClause c;
          ASSIGN_OR_RETURN(c.path, ParsePath());
          RETURN_IF_ERROR(ts_.Expect("="));
          ASSIGN_OR_RETURN(c.value, ParseAdditive(0));
          s.sets.push_back(std::move(c));
        } while (ts_.Accept(","));
      } else if (ts_.AcceptKeyword("REMOVE")) {
        do {
          ASSIGN_OR_RETURN(expr::Path p, ParsePath());
          s.removes.push_back(std::move(p));
        } while (ts_.Accept(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any) return ts_.Unexpected();
    RETURN_IF_ERROR(ts_.ExpectKeyword("WHERE"));
    ASSIGN_OR_RETURN(Expr w, ParseOr(0));
    s.where = std::move(w);
    return ParseReturning(s, true);
  }

  Status ParseDeleteRest(Statement& s) {
    s.kind = Statement::Kind::kDelete;
    RETURN_IF_ERROR(ts_.ExpectKeyword("FROM"));
    RETURN_IF_ERROR(ParseTable(s, false));
    RETURN_IF_ERROR(ts_.ExpectKeyword("WHERE"));
    ASSIGN_OR_RETURN(Expr w, ParseOr(0));
    s.where = std::move(w);
    return ParseReturning(s, false);
  }

  Status CheckDepth(int depth) {
    if (depth > kMaxDepth) return Malformed("Expression nesting is too deep");
    return Status::Ok();
  }

  Result<Expr> ParseOr(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    ASSIGN_OR_RETURN(Expr left, ParseAnd(depth + 1));
    if (!ts_.Peek().IsKeyword("OR")) return left;
    std::vector<Expr> args;
    args.push_back(std::move(left));
    while (ts_.AcceptKeyword("OR")) {
      ASSIGN_OR_RETURN(Expr right, ParseAnd(depth + 1));
      args.push_back(std::move(right));
    }
    return Node(Expr::Kind::kOr, std::move(args));
  }

  Result<Expr> ParseAnd(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    ASSIGN_OR_RETURN(Expr left, ParseNot(depth + 1));
    if (!ts_.Peek().IsKeyword("AND")) return left;
    std::vector<Expr> args;
    args.push_back(std::move(left));
    while (ts_.AcceptKeyword("AND")) {
      ASSIGN_OR_RETURN(Expr right, ParseNot(depth + 1));
      args.push_back(std::move(right));
    }
    return Node(Expr::Kind::kAnd, std::move(args));
  }

  Result<Expr> ParseNot(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    if (ts_.AcceptKeyword("NOT")) {
      ASSIGN_OR_RETURN(Expr inner, ParseNot(depth + 1));
      std::vector<Expr> args;
      args.push_back(std::move(inner));
      return Node(Expr::Kind::kNot, std::move(args));
    }
    return ParsePredicate(depth + 1);
  }

  static Expr Negate(Expr e) {
    std::vector<Expr> args;
    args.push_back(std::move(e));
    return Node(Expr::Kind::kNot, std::move(args));
  }

  Result<Expr> ParsePredicate(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    ASSIGN_OR_RETURN(Expr left, ParseAdditive(depth + 1));
    static constexpr std::string_view kCompare[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
    for (std::string_view op : kCompare) {
      if (ts_.Accept(op)) {
        ASSIGN_OR_RETURN(Expr right, ParseAdditive(depth + 1));
        std::vector<Expr> args;
        args.push_back(std::move(left));
        args.push_back(std::move(right));
        Expr e = Node(Expr::Kind::kCompare, std::move(args));
        e.op = op == "!=" ? "<>" : std::string(op);
        return e;
      }
    }
    if (ts_.AcceptKeyword("IS")) {
      bool negated = ts_.AcceptKeyword("NOT");
      const bool is_null = ts_.AcceptKeyword("NULL");
      if (!is_null) RETURN_IF_ERROR(ts_.ExpectKeyword("MISSING"));
      std::vector<Expr> args;
      args.push_back(std::move(left));
      Expr e = Node(is_null ? Expr::Kind::kIsNull : Expr::Kind::kIsMissing, std::move(args));
      e.negated = negated;
      return e;
    }
    bool negated = false;
    if (ts_.Peek().IsKeyword("NOT") &&
        (ts_.Peek(1).IsKeyword("BETWEEN") || ts_.Peek(1).IsKeyword("IN"))) {
      ts_.Next();
      negated = true;
    }
    if (ts_.AcceptKeyword("BETWEEN")) {
      ASSIGN_OR_RETURN(Expr low, ParseAdditive(depth + 1));
      RETURN_IF_ERROR(ts_.ExpectKeyword("AND"));
      ASSIGN_OR_RETURN(Expr high, ParseAdditive(depth + 1));
      std::vector<Expr> args;
      args.push_back(std::move(left));
      args.push_back(std::move(low));
      args.push_back(std::move(high));
      Expr e = Node(Expr::Kind::kBetween, std::move(args));
      return negated ? Negate(std::move(e)) : std::move(e);
    }
    if (ts_.AcceptKeyword("IN")) {
      std::string close;
      if (ts_.Accept("[")) {
        close = "]";
      } else if (ts_.Accept("(")) {
        close = ")";
      } else if (ts_.Peek().kind == Token::Kind::kParam) {
        // IN ? with a list parameter.
        ASSIGN_OR_RETURN(Expr list, ParsePrimary(depth + 1));
        if (list.value.type != AttrType::kL || list.value.list.empty()) {
          return Validation("The IN operator requires a non-empty list");
        }
        std::vector<Expr> args;
        args.push_back(std::move(left));
        for (auto& v : list.value.list) args.push_back(ValueExpr(std::move(v)));
        Expr e = Node(Expr::Kind::kIn, std::move(args));
        return negated ? Negate(std::move(e)) : std::move(e);
      } else {
        return ts_.Unexpected();
      }
      std::vector<Expr> args;
      args.push_back(std::move(left));
      do {
        ASSIGN_OR_RETURN(Expr v, ParseAdditive(depth + 1));
        args.push_back(std::move(v));
      } while (ts_.Accept(","));
      RETURN_IF_ERROR(ts_.Expect(close));
      Expr e = Node(Expr::Kind::kIn, std::move(args));
      return negated ? Negate(std::move(e)) : std::move(e);
    }
    if (negated) return ts_.Unexpected();
    return left;
  }

  Result<Expr> ParseAdditive(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    ASSIGN_OR_RETURN(Expr left, ParsePrimary(depth + 1));
    while (ts_.Peek().Is("+") || ts_.Peek().Is("-")) {
      std::string op = ts_.Next().text;
      ASSIGN_OR_RETURN(Expr right, ParsePrimary(depth + 1));
      std::vector<Expr> args;
      args.push_back(std::move(left));
      args.push_back(std::move(right));
      left = Node(Expr::Kind::kArith, std::move(args));
      left.op = std::move(op);
    }
    return left;
  }

  // The value of an element of a collection literal.
  Result<AttributeValue> ParseElement(int depth) {
    ASSIGN_OR_RETURN(Expr e, ParseAdditive(depth + 1));
    if (e.kind != Expr::Kind::kValue) {
      // Wording is this engine's.
      return Validation("Unsupported operation: collection literals may hold only values");
    }
    return std::move(e.value);
  }

  Result<Expr> ParsePrimary(int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    const Token& t = ts_.Peek();
    switch (t.kind) {
      case Token::Kind::kString:
        return ValueExpr(AttributeValue::S(ts_.Next().text));
      case Token::Kind::kNumber: {
        ASSIGN_OR_RETURN(std::string n, NormalizeNumber(ts_.Next().text));
        return ValueExpr(AttributeValue::N(std::move(n)));
      }
      case Token::Kind::kParam:
        ts_.Next();
        if (next_param_ >= params_.size()) {
          return Validation("Number of parameters in request and statement don't match.");
        }
        return ValueExpr(params_[next_param_++]);
      case Token::Kind::kQuoted: {
        ASSIGN_OR_RETURN(expr::Path p, ParsePath());
        Expr e;
        e.kind = Expr::Kind::kPath;
        e.path = std::move(p);
        return e;
      }
      case Token::Kind::kIdent:
        return ParseIdentStart(depth);
      case Token::Kind::kPunct:
        break;
      case Token::Kind::kEnd:
        return ts_.Unexpected();
    }
    if (ts_.Accept("-")) {
      if (ts_.Peek().kind != Token::Kind::kNumber) return ts_.Unexpected();
      ASSIGN_OR_RETURN(std::string n, NormalizeNumber("-" + ts_.Next().text));
      return ValueExpr(AttributeValue::N(std::move(n)));
    }
    if (ts_.Accept("(")) {
      ASSIGN_OR_RETURN(Expr inner, ParseOr(depth + 1));
      RETURN_IF_ERROR(ts_.Expect(")"));
      return inner;
    }
    if (ts_.Accept("{")) {
      AttributeMap m;
      if (!ts_.Accept("}")) {
        do {
          const Token& k = ts_.Peek();
          if (k.kind != Token::Kind::kString && k.kind != Token::Kind::kQuoted) {
            return ts_.Unexpected();
          }
          std::string name = ts_.Next().text;
          RETURN_IF_ERROR(ts_.Expect(":"));
          ASSIGN_OR_RETURN(AttributeValue v, ParseElement(depth));
          if (!m.emplace(std::move(name), std::move(v)).second) {
            // Wording is this engine's.
            return Validation("Duplicate attribute name in a tuple literal");
          }
        } while (ts_.Accept(","));
        RETURN_IF_ERROR(ts_.Expect("}"));
      }
      return ValueExpr(AttributeValue::M(std::move(m)));
    }
    if (ts_.Accept("[")) {
      std::vector<AttributeValue> l;
      if (!ts_.Accept("]")) {
        do {
          ASSIGN_OR_RETURN(AttributeValue v, ParseElement(depth));
          l.push_back(std::move(v));
        } while (ts_.Accept(","));
        RETURN_IF_ERROR(ts_.Expect("]"));
      }
      return ValueExpr(AttributeValue::L(std::move(l)));
    }
    if (ts_.Accept("<<")) {
      std::vector<AttributeValue> members;
      if (!ts_.Accept(">>")) {
        do {
          ASSIGN_OR_RETURN(AttributeValue v, ParseElement(depth));
          members.push_back(std::move(v));
        } while (ts_.Accept(","));
        RETURN_IF_ERROR(ts_.Expect(">>"));
      }
      ASSIGN_OR_RETURN(AttributeValue set, MakeSet(std::move(members)));
      return ValueExpr(std::move(set));
    }
    return ts_.Unexpected();
  }

  // A bare identifier: a keyword literal, a function call or a path.
  Result<Expr> ParseIdentStart(int depth) {
    const Token& t = ts_.Peek();
    if (t.IsKeyword("TRUE") || t.IsKeyword("FALSE")) {
      bool b = t.IsKeyword("TRUE");
      ts_.Next();
      return ValueExpr(AttributeValue::Bool(b));
    }
    if (t.IsKeyword("NULL")) {
      ts_.Next();
      return ValueExpr(AttributeValue::Null());
    }
    if (ts_.Peek(1).Is("(")) {
      Expr call;
      call.kind = Expr::Kind::kCall;
      call.op = ts_.Next().text;
      std::transform(call.op.begin(), call.op.end(), call.op.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      ts_.Next();  // (
      if (!ts_.Accept(")")) {
        do {
          ASSIGN_OR_RETURN(Expr arg, ParseAdditive(depth + 1));
          call.args.push_back(std::move(arg));
        } while (ts_.Accept(","));
        RETURN_IF_ERROR(ts_.Expect(")"));
      }
      return call;
    }
    ASSIGN_OR_RETURN(expr::Path p, ParsePath());
    Expr e;
    e.kind = Expr::Kind::kPath;
    e.path = std::move(p);
    return e;
  }

  TokenStream ts_;
  const std::vector<AttributeValue>& params_;
  size_t next_param_ = 0;
};

}  // namespace

Result<Statement> Parse(std::string_view text, const std::vector<AttributeValue>& params) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, Lex(text));
  size_t placeholders = 0;
  for (const Token& t : tokens) placeholders += t.kind == Token::Kind::kParam;
  if (placeholders != params.size()) {
    return Validation("Number of parameters in request and statement don't match.");
  }
  Parser p(std::move(tokens), params);
  return p.ParseStatement();
}

}  // namespace ddb::partiql
