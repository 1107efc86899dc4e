// What the expression fuzzers parse against: a request's
// ExpressionAttributeNames and ExpressionAttributeValues (fixed, so that the
// input is just the expression text and the seed files stay readable), and
// items to evaluate, project and update. The placeholders are listed in
// expression.dict.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

#include "ddb/expr/expression.h"
#include "ddb/model/json_codec.h"
#include "fuzz_check.h"

namespace fuzz {

inline ddb::Item ItemFromJson(const char* json) {
  rapidjson::Document doc;
  doc.Parse(json);
  auto item = ddb::DecodeItem(doc);
  FUZZ_CHECK(item.ok());
  return std::move(item).value();
}

struct ExprFixture {
  std::map<std::string, std::string> names = {
      {"#a", "a"},   {"#b", "b"},    {"#c", "c"},   {"#n", "name"}, {"#pk", "pk"},
      {"#sk", "sk"}, {"#l", "list"}, {"#m", "map"}, {"#s", "sk"},   {"#d", "x.y"},
      {"#ss", "ss"}, {"#ns", "ns"},  {"#bs", "bs"}, {"#x", "x"},    {"#size", "size"},
      {"#0", "a"},   {"#1", "b"},
  };
  ddb::Item values = ItemFromJson(R"({
    ":a": {"S": "a"}, ":b": {"S": "b"}, ":s": {"S": "abc"}, ":e": {"S": ""},
    ":n": {"N": "1"}, ":n2": {"N": "-2.5"}, ":zero": {"N": "0"},
    ":big": {"N": "9.9999999999999999999999999999999999999E+125"},
    ":tiny": {"N": "1E-130"}, ":bin": {"B": "AAEC"}, ":t": {"BOOL": true},
    ":f": {"BOOL": false}, ":null": {"NULL": true},
    ":l": {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"N": "2"}]}]}, ":el": {"L": []},
    ":m": {"M": {"k": {"S": "v"}, "n": {"M": {"d": {"N": "3"}}}}}, ":em": {"M": {}},
    ":ss": {"SS": ["a", "b"]}, ":ns": {"NS": ["1", "2.5"]}, ":bs": {"BS": ["AA==", "AQ=="]},
    ":v0": {"S": "v0"}, ":v1": {"N": "10"}, ":v2": {"N": "20"}, ":v3": {"S": "z"},
    ":v": {"N": "1"}, ":w": {"S": "w"}, ":x": {"S": "x"}, ":h": {"S": "p"},
    ":he": {"S": "he"}, ":ll": {"S": "ll"}, ":one": {"N": "1"}, ":two": {"N": "2"},
    ":ten": {"N": "10"}, ":seven": {"N": "7"}, ":n3": {"N": "3"}, ":n4": {"N": "4"},
    ":n5": {"N": "5"}, ":n6": {"N": "6"}, ":S": {"S": "S"}, ":NS": {"S": "NS"},
    ":Lt": {"S": "L"}, ":b12": {"B": "AQI="}, ":mv": {"M": {"k": {"S": "v"}}},
    ":ssa": {"SS": ["a"]}, ":ssab": {"SS": ["a", "b"]}, ":ssc": {"SS": ["c"]}
  })");
  std::vector<ddb::Item> items = {
      ItemFromJson(R"({
        "pk": {"S": "p"}, "sk": {"N": "5"}, "a": {"S": "abc"}, "b": {"N": "2"},
        "c": {"B": "AAEC"}, "name": {"S": "n"}, "x.y": {"BOOL": true}, "size": {"NULL": true},
        "list": {"L": [{"N": "1"}, {"S": "x"}, {"L": [{"N": "2"}, {"M": {"q": {"S": "r"}}}]}]},
        "map": {"M": {"k": {"S": "v"}, "n": {"M": {"d": {"N": "3"}, "l": {"L": []}}}}},
        "ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["1", "-1", "1E+10"]},
        "bs": {"BS": ["AA==", "AQ=="]}
      })"),
      ItemFromJson(R"({"pk": {"S": "q"}, "a": {"N": "1"}, "list": {"S": "not a list"}})"),
      ddb::Item{},  // "no item"
  };

  // A fresh context for one input (it records the placeholders used).
  ddb::expr::ExpressionContext Context() const {
    ddb::expr::ExpressionContext ctx;
    ctx.names = &names;
    ctx.values = &values;
    return ctx;
  }
};

// Built once per process.
inline const ExprFixture& Fixture() {
  static const ExprFixture* fixture = new ExprFixture();
  return *fixture;
}

// Whatever an update or a projection leaves is still an item DynamoDB JSON
// can carry: it re-encodes and decodes to an equal item.
inline void CheckRoundTrip(const ddb::Item& item) {
  std::string json = ddb::ItemToJson(item);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  FUZZ_CHECK(!doc.HasParseError());
  auto again = ddb::DecodeItem(doc);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again.value() == item);
}

}  // namespace fuzz
