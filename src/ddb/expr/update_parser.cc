// ParseUpdate: the two passes of parser.h for update expressions, with the
// clause, operand-type and overlapping-path rules.
#include "ddb/expr/parser.h"

namespace ddb::expr {

namespace {

// DynamoDB's long type names in ADD / DELETE operand messages.
std::string_view LongTypeName(AttrType t) {
  switch (t) {
    case AttrType::kS:
      return "STRING";
    case AttrType::kN:
      return "NUMBER";
    case AttrType::kB:
      return "BINARY";
    case AttrType::kBool:
      return "BOOLEAN";
    case AttrType::kNull:
      return "NULL";
    case AttrType::kM:
      return "MAP";
    case AttrType::kL:
      return "LIST";
    case AttrType::kSS:
      return "STRING_SET";
    case AttrType::kNS:
      return "NUMBER_SET";
    case AttrType::kBS:
      return "BINARY_SET";
  }
  return "";
}

}  // namespace

Result<Update> ParseUpdate(std::string_view text, ExpressionContext& ctx) {
  constexpr std::string_view kWhich = "UpdateExpression";
  RETURN_IF_ERROR(CheckExpressionText(text, kWhich));
  SyntaxParser parser(text, kWhich);
  ASSIGN_OR_RETURN(RawUpdate raw, parser.ParseUpdate());
  Resolver resolver(kWhich, ctx, Resolver::Mode::kUpdate);
  if (!raw.duplicate_section.empty()) {
    resolver.Record(Resolver::kSection, "The \"" + raw.duplicate_section +
                                            "\" section can only be used once in an update "
                                            "expression;");
  }
  auto plan = std::make_shared<UpdatePlan>();
  for (const RawUpdateAction& ra : raw.actions) {
    UpdateAction action;
    action.kind = ra.kind;
    action.path = resolver.ResolvePath(ra.path);
    switch (ra.kind) {
      case UpdateAction::Kind::kSet:
        action.value = resolver.UpdateValue(ra.value);
        break;
      case UpdateAction::Kind::kRemove:
        break;
      case UpdateAction::Kind::kAdd:
      case UpdateAction::Kind::kDelete: {
        action.value.kind = Operand::Kind::kValue;
        auto v = resolver.ResolveValue(ra.value.text);
        if (!v) break;
        bool add = ra.kind == UpdateAction::Kind::kAdd;
        bool ok = v->is_set() || (add && v->type == AttrType::kN);
        if (!ok) {
          resolver.Record(
              Resolver::kOperandType,
              std::string("Incorrect operand type for operator or function; operator: ") +
                  (add ? "ADD" : "DELETE") +
                  ", operand type: " + std::string(LongTypeName(v->type)) +
                  ", typeSet: " + (add ? "ALLOWED_FOR_ADD_OPERAND" : "ALLOWED_FOR_DELETE_OPERAND"));
        }
        action.value.value = std::move(*v);
        break;
      }
    }
    plan->updated_paths.push_back(action.path);
    plan->actions.push_back(std::move(action));
  }
  std::string overlap = CheckPathsDisjoint(plan->updated_paths);
  if (!overlap.empty()) resolver.Record(Resolver::kOverlap, std::move(overlap));
  if (auto error = resolver.Finish()) return std::move(*error);
  return Update(std::move(plan));
}

const std::vector<Path>& UpdatedPaths(const UpdatePlan& update) { return update.updated_paths; }

}  // namespace ddb::expr
