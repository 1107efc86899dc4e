#include "ddb/engine/ion_reader.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "base/bounded_json.h"
#include "ddb/engine/ion_text.h"
#include "ddb/model/json_codec.h"

namespace ddb::ion {
namespace {

// Annotations on one value: a set needs one; more are refused anyway.
constexpr size_t kMaxAnnotations = 8;

}  // namespace

class RecordReader::Parser {
 public:
  enum class Outcome { kEnd, kValue, kMarker, kSyntaxError, kBadValue };

  Parser(ByteSource& in, const ReaderLimits& limits)
      : in_(in, limits.max_record_bytes), limits_(limits), w_(buf_) {}

  // Parses the next top-level value. kValue: *json holds its DynamoDB JSON.
  // kSyntaxError / kBadValue: *why says what is wrong (after a syntax
  // error the caller skips the line).
  Outcome ParseTop(std::string* json, std::string* why) {
    // Whitespace and comments between values count toward no record.
    while (true) {
      in_.StartRecord();
      const int c = in_.Peek();
      if (c < 0) return Outcome::kEnd;
      if (IsWhitespace(c)) {
        in_.Take();
        continue;
      }
      if (c == '/' && (in_.Peek(1) == '/' || in_.Peek(1) == '*')) {
        if (!in_.SkipComment()) return SyntaxError(why);
        continue;
      }
      break;
    }
    in_.StartRecord();
    bad_.clear();
    marker_ = false;
    stack_.clear();
    buf_.Clear();
    w_.Reset(buf_);
    if (!ParseValue()) return SyntaxError(why);
    if (marker_) return Outcome::kMarker;
    if (!bad_.empty()) {
      *why = bad_;
      return Outcome::kBadValue;
    }
    json->assign(buf_.GetString(), buf_.GetSize());
    return Outcome::kValue;
  }

  // Skips the rest of the line where a syntax error was found.
  void SkipLine() { in_.SkipLine(); }

 private:
  enum class Kind : uint8_t { kStruct, kList, kSet };
  struct Frame {
    Kind kind;
    AttrType set_type = AttrType::kSS;
    std::unordered_set<std::string> names;  // a struct's field names so far
  };
  enum class State { kValue, kAfter, kField, kElement };

  // ---- outcomes -------------------------------------------------------

  // A syntax error: false (parsing stops).
  bool Fail(const char* what) { return in_.Fail(what); }
  Outcome SyntaxError(std::string* why) {
    if (in_.overflow()) {
      *why = "the record is longer than " + std::to_string(limits_.max_record_bytes) + " bytes";
    } else {
      *why = in_.error().empty() ? "the record is not valid Ion text" : in_.error();
    }
    return Outcome::kSyntaxError;
  }
  // Well-formed Ion that is no DynamoDB value: parsing goes on to the end
  // of the record, which is then refused. True.
  bool Bad(const std::string& what) {
    if (bad_.empty()) bad_ = what;
    return true;
  }
  bool emitting() const { return bad_.empty(); }

  // ---- values -----------------------------------------------------------

  // Emits a scalar: S, N or B from `text`, or BOOL / NULL.
  void EmitScalar(AttrType type, const std::string& text, bool boolean,
                  const std::vector<std::string>& annotations) {
    if (!annotations.empty()) {
      Bad("annotations other than the set types have no DynamoDB meaning");
      return;
    }
    if (!stack_.empty() && stack_.back().kind == Kind::kSet) {
      const AttrType set = stack_.back().set_type;
      const bool fits = (set == AttrType::kSS && type == AttrType::kS) ||
                        (set == AttrType::kNS && type == AttrType::kN) ||
                        (set == AttrType::kBS && type == AttrType::kB);
      if (!fits) {
        Bad("a " + std::string(AttrTypeName(set)) + " set holds a value of another type");
        return;
      }
      if (emitting()) w_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()), true);
      return;
    }
    if (!emitting()) return;
    w_.StartObject();
    w_.Key(AttrTypeName(type).data(), static_cast<rapidjson::SizeType>(AttrTypeName(type).size()));
    if (type == AttrType::kBool) {
      w_.Bool(boolean);
    } else if (type == AttrType::kNull) {
      w_.Bool(true);
    } else {
      w_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()), true);
    }
    w_.EndObject();
  }

  bool Open(Kind kind, AttrType set_type) {
    if (stack_.size() >= limits_.max_depth) return Fail("the record nests deeper than an item may");
    if (!stack_.empty() && stack_.back().kind == Kind::kSet) {
      Bad("a set holds a container");
    }
    stack_.push_back(Frame{kind, set_type, {}});
    if (emitting()) {
      w_.StartObject();
      if (kind == Kind::kStruct) {
        w_.Key("M");
        w_.StartObject();
      } else {
        const std::string_view name = kind == Kind::kList ? "L" : AttrTypeName(set_type);
        w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        w_.StartArray();
      }
    }
    return true;
  }

  void Close() {
    const Kind kind = stack_.back().kind;
    stack_.pop_back();
    if (!emitting()) return;
    if (kind == Kind::kStruct) {
      w_.EndObject();
    } else {
      w_.EndArray();
    }
    w_.EndObject();
  }

  // A field name: identifier, 'symbol', "string" or '''long string'''.
  bool TakeFieldName(std::string* name) {
    const int c = in_.Peek();
    if (IdStart(c)) {
      in_.TakeIdentifier(name);
      if ((*name)[0] == '$' && name->size() > 1 &&
          name->find_first_not_of("0123456789", 1) == std::string::npos) {
        Bad("symbol ids ($n) need a symbol table, which is not supported");
      }
      return true;
    }
    if (c == '\'' && !in_.AtLongString()) {
      in_.Take();
      return in_.TakeQuoted('\'', name);
    }
    if (c == '"') {
      in_.Take();
      return in_.TakeQuoted('"', name);
    }
    if (in_.AtLongString()) return in_.TakeLongStrings(name);
    return Fail("a struct field needs a name");
  }

  // One value at a value position (annotations included), containers
  // opened rather than read; *state becomes what follows.
  bool TakeValueStart(State* state) {
    if (!in_.SkipSpace()) return false;
    std::vector<std::string> annotations;
    const bool top = stack_.empty();
    std::string symbol;
    bool have_symbol = false, quoted_symbol = false;
    while (true) {
      const int c = in_.Peek();
      if (IdStart(c)) {
        symbol.clear();
        in_.TakeIdentifier(&symbol);
        quoted_symbol = false;
      } else if (c == '\'' && !in_.AtLongString()) {
        in_.Take();
        symbol.clear();
        if (!in_.TakeQuoted('\'', &symbol)) return false;
        quoted_symbol = true;
      } else {
        break;
      }
      // null.type binds tightly.
      if (!quoted_symbol && symbol == "null" && in_.Peek() == '.') {
        in_.Take();
        std::string type;
        in_.TakeIdentifier(&type);
        if (type.empty()) return Fail("a malformed typed null");
        if (!IsStop(in_.Peek())) return Fail("a malformed typed null");
        if (type != "null") Bad("typed nulls (null." + type + ") have no DynamoDB type");
        EmitScalar(AttrType::kNull, "", true, annotations);
        *state = State::kAfter;
        return true;
      }
      if (!IsStop(in_.Peek())) return Fail("an identifier is not followed by a delimiter");
      if (!in_.SkipSpace()) return false;
      if (in_.Peek() == ':' && in_.Peek(1) == ':') {
        in_.Take();
        in_.Take();
        if (annotations.size() >= kMaxAnnotations) return Fail("too many annotations");
        annotations.push_back(symbol);
        if (!in_.SkipSpace()) return false;
        continue;
      }
      have_symbol = true;
      break;
    }
    if (have_symbol) {
      *state = State::kAfter;
      if (!quoted_symbol) {
        if (symbol == "null") {
          EmitScalar(AttrType::kNull, "", true, annotations);
          return true;
        }
        if (symbol == "true" || symbol == "false") {
          EmitScalar(AttrType::kBool, "", symbol == "true", annotations);
          return true;
        }
        if (symbol == "nan") return Bad("Ion nan has no DynamoDB type");
        if (top && annotations.empty() && symbol == "$ion_1_0") {
          marker_ = true;
          return true;
        }
        if (top && annotations.empty() && symbol.rfind("$ion_", 0) == 0) {
          return Bad("only Ion 1.0 is supported, not " + symbol);
        }
      }
      return Bad("Ion symbol values have no DynamoDB type");
    }
    const int c = in_.Peek();
    if (c == '{' && in_.Peek(1) == '{') {
      in_.Take();
      in_.Take();
      std::string base64;
      if (!in_.TakeLob(&base64)) return false;
      EmitScalar(AttrType::kB, base64, false, annotations);
      *state = State::kAfter;
      return true;
    }
    if (c == '{') {
      in_.Take();
      if (!annotations.empty()) Bad("annotations on a struct have no DynamoDB meaning");
      if (!Open(Kind::kStruct, AttrType::kM)) return false;
      *state = State::kField;
      return true;
    }
    if (c == '[') {
      in_.Take();
      Kind kind = Kind::kList;
      AttrType set_type = AttrType::kL;
      if (annotations.size() == 1 && annotations[0] == "$dynamodb_SS") {
        kind = Kind::kSet;
        set_type = AttrType::kSS;
      } else if (annotations.size() == 1 && annotations[0] == "$dynamodb_NS") {
        kind = Kind::kSet;
        set_type = AttrType::kNS;
      } else if (annotations.size() == 1 && annotations[0] == "$dynamodb_BS") {
        kind = Kind::kSet;
        set_type = AttrType::kBS;
      } else if (!annotations.empty()) {
        Bad("a list may only be annotated $dynamodb_SS, $dynamodb_NS or $dynamodb_BS");
      }
      if (!Open(kind, set_type)) return false;
      *state = State::kElement;
      return true;
    }
    if (c == '"') {
      in_.Take();
      std::string s;
      if (!in_.TakeQuoted('"', &s)) return false;
      EmitScalar(AttrType::kS, s, false, annotations);
      *state = State::kAfter;
      return true;
    }
    if (in_.AtLongString()) {
      std::string s;
      if (!in_.TakeLongStrings(&s)) return false;
      EmitScalar(AttrType::kS, s, false, annotations);
      *state = State::kAfter;
      return true;
    }
    if (IsDigit(c) || c == '-' || c == '+') {
      std::string n, no_type;
      if (!in_.TakeNumber(&n, &no_type)) return false;
      if (!no_type.empty()) {
        Bad(no_type);
      } else {
        EmitScalar(AttrType::kN, n, false, annotations);
      }
      *state = State::kAfter;
      return true;
    }
    if (c == '(') return Fail("s-expressions have no DynamoDB type");
    if (c < 0) return Fail("the text ends where a value should be");
    return Fail("unexpected character where a value should be");
  }

  // One whole top-level value, with an explicit stack.
  bool ParseValue() {
    State state = State::kValue;
    while (true) {
      switch (state) {
        case State::kValue:
          if (!TakeValueStart(&state)) return false;
          break;
        case State::kAfter: {
          if (stack_.empty()) return true;
          if (!in_.SkipSpace()) return false;
          const int c = in_.Peek();
          const Kind kind = stack_.back().kind;
          if (c == ',') {
            in_.Take();
            state = kind == Kind::kStruct ? State::kField : State::kElement;
          } else if ((c == '}' && kind == Kind::kStruct) || (c == ']' && kind != Kind::kStruct)) {
            in_.Take();
            Close();
          } else {
            return Fail("expected ',' or the end of a struct or list");
          }
          break;
        }
        case State::kField: {
          if (!in_.SkipSpace()) return false;
          if (in_.Peek() == '}') {
            in_.Take();
            Close();
            state = State::kAfter;
            break;
          }
          std::string name;
          if (!TakeFieldName(&name)) return false;
          if (!in_.SkipSpace()) return false;
          if (in_.Peek() != ':' || in_.Peek(1) == ':')
            return Fail("expected ':' after a field name");
          in_.Take();
          if (!stack_.back().names.insert(name).second) {
            Bad("the field name '" + name + "' appears twice in a struct");
          }
          if (emitting()) w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()), true);
          state = State::kValue;
          break;
        }
        case State::kElement:
          if (!in_.SkipSpace()) return false;
          if (in_.Peek() == ']') {
            in_.Take();
            Close();
            state = State::kAfter;
          } else {
            state = State::kValue;
          }
          break;
      }
    }
  }

  TextInput in_;
  ReaderLimits limits_;
  std::string bad_;
  bool marker_ = false;
  std::vector<Frame> stack_;
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

RecordReader::RecordReader(ByteSource& in, ReaderLimits limits)
    : parser_(std::make_unique<Parser>(in, limits)), limits_(limits) {}

RecordReader::~RecordReader() = default;

bool RecordReader::NextValue(std::string* json, Status* problem) {
  std::string why;
  while (true) {
    switch (parser_->ParseTop(json, &why)) {
      case Parser::Outcome::kEnd:
        return false;
      case Parser::Outcome::kMarker:
        continue;
      case Parser::Outcome::kValue:
        *problem = Status::Ok();
        return true;
      case Parser::Outcome::kSyntaxError:
        parser_->SkipLine();
        *problem = Validation(why);
        return true;
      case Parser::Outcome::kBadValue:
        *problem = Validation(why);
        return true;
    }
  }
}

bool RecordReader::Next(Item* item, Status* problem) {
  std::string json;
  if (!NextValue(&json, problem)) return false;
  if (problem->ok()) {
    Result<Item> decoded = RecordItem(json, limits_);
    if (decoded.ok()) {
      *item = std::move(decoded).value();
    } else {
      *problem = decoded.error();
    }
  }
  return true;
}

Result<Item> RecordItem(std::string_view value_json, const ReaderLimits& limits) {
  rapidjson::Document d;
  // Each Ion container is two JSON levels ({"M":{...}}).
  base::JsonParseOutcome parsed = base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(
      &d, value_json, 2 * limits.max_depth + 2, nullptr);
  if (!parsed.ok() || !d.IsObject()) return Validation("the record could not be read");
  // The top-level value's {"M":{...}}, its Item member's {"M":{...}}.
  auto struct_of = [](const rapidjson::Value& v) -> const rapidjson::Value* {
    if (!v.IsObject() || !v.HasMember("M") || !v["M"].IsObject()) return nullptr;
    return &v["M"];
  };
  const rapidjson::Value* record = struct_of(d);
  if (!record) return Validation("the record is not an Ion struct");
  if (!record->HasMember("Item")) return Validation("the record has no Item field");
  const rapidjson::Value* item = struct_of((*record)["Item"]);
  if (!item) return Validation("the record's Item is not a struct");
  return DecodeItem(*item);
}

}  // namespace ddb::ion
