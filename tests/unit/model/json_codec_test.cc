// DynamoDB JSON decoding (with DynamoDB's errors) and encoding.
#include "ddb/model/json_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace ddb {
namespace {

using AV = AttributeValue;

rapidjson::Document Parse(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

AV Decode(const std::string& text) {
  rapidjson::Document doc = Parse(text);
  auto r = DecodeAttributeValue(doc);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : AV::S("<error>");
}

// Returns "<type>: <message>" of the decode error.
std::string DecodeError(const std::string& text) {
  rapidjson::Document doc = Parse(text);
  auto r = DecodeAttributeValue(doc);
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  return r.error().Name() + ": " + r.error().message;
}

std::string Encode(const AV& v) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  EncodeAttributeValue(v, w);
  return std::string(buf.GetString(), buf.GetSize());
}

const std::string kVal = "ValidationException: ";
const std::string kSer = "SerializationException: ";
const std::string kInvalid = kVal + "One or more parameter values were invalid: ";

TEST(DecodeAttributeValue, AllTypes) {
  EXPECT_EQ(Decode(R"({"S":"hello"})"), AV::S("hello"));
  EXPECT_EQ(Decode(R"({"S":""})"), AV::S(""));
  EXPECT_EQ(Decode(R"({"N":"1.50"})"), AV::N("1.5"));
  EXPECT_EQ(Decode(R"({"N":"-0"})"), AV::N("0"));
  EXPECT_EQ(Decode(R"({"B":"aGk="})"), AV::B("hi"));
  EXPECT_EQ(Decode(R"({"B":""})"), AV::B(""));
  EXPECT_EQ(Decode(R"({"BOOL":true})"), AV::Bool(true));
  EXPECT_EQ(Decode(R"({"BOOL":false})"), AV::Bool(false));
  EXPECT_EQ(Decode(R"({"NULL":true})"), AV::Null());
  EXPECT_EQ(Decode(R"({"L":[]})"), AV::L({}));
  EXPECT_EQ(Decode(R"({"M":{}})"), AV::M({}));
  EXPECT_EQ(Decode(R"({"L":[{"S":"a"},{"N":"1e2"}]})"), AV::L({AV::S("a"), AV::N("100")}));
  EXPECT_EQ(Decode(R"({"M":{"a":{"M":{"b":{"BOOL":true}}}}})"),
            AV::M({{"a", AV::M({{"b", AV::Bool(true)}})}}));
  EXPECT_EQ(Decode(R"({"SS":["a","","b"]})"), AV::SS({"a", "", "b"}));
  EXPECT_EQ(Decode(R"({"NS":["1.0","2e1","-3"]})"), AV::NS({"1", "20", "-3"}));
  EXPECT_EQ(Decode(R"({"BS":["AQ==","Ag==",""]})"), AV::BS({"\x01", "\x02", ""}));
  // Set members keep their insertion order.
  EXPECT_EQ(Decode(R"({"SS":["z","a"]})").set, (std::vector<std::string>{"z", "a"}));
  // Unknown members and null members are ignored.
  EXPECT_EQ(Decode(R"({"S":"x","foo":1})"), AV::S("x"));
  EXPECT_EQ(Decode(R"({"S":null,"N":"1"})"), AV::N("1"));
}

TEST(DecodeAttributeValue, EmptyAndMultipleTypes) {
  const std::string empty =
      kVal +
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
  EXPECT_EQ(DecodeError("{}"), empty);
  EXPECT_EQ(DecodeError(R"({"a":""})"), empty);
  EXPECT_EQ(DecodeError(R"({"S":null})"), empty);
  EXPECT_EQ(DecodeError("null"), empty);
  EXPECT_EQ(DecodeError(R"({"M":{"a":{}}})"), empty);
  EXPECT_EQ(DecodeError(R"({"L":[{}]})"), empty);
  EXPECT_EQ(DecodeError(R"({"L":[{"a":{}}]})"), empty);
  EXPECT_EQ(DecodeError(R"({"S":"a","N":"1"})"),
            kVal +
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
                "of the supported datatypes");
  // Member errors are reported before the "more than one" error.
  EXPECT_EQ(DecodeError(R"({"S":"a","N":"b"})"),
            kVal + "The parameter cannot be converted to a numeric value: b");
}

TEST(DecodeAttributeValue, NumberErrors) {
  EXPECT_EQ(DecodeError(R"({"N":""})"),
            kVal + "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(DecodeError(R"({"N":"b"})"),
            kVal + "The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(DecodeError(R"({"NS":["1",""]})"),
            kVal + "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(DecodeError(R"({"NS":["1","b"]})"),
            kVal + "The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(DecodeError(R"({"N":"123456789012345678901234567890123456789"})"),
            kVal + "Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(DecodeError(R"({"N":"-1e126"})"),
            kVal +
                "Number overflow. Attempting to store a number with magnitude larger than "
                "supported range");
  EXPECT_EQ(DecodeError(R"({"N":"1e-131"})"),
            kVal +
                "Number underflow. Attempting to store a number with magnitude smaller than "
                "supported range");
}

TEST(DecodeAttributeValue, SetErrors) {
  EXPECT_EQ(DecodeError(R"({"SS":[]})"), kInvalid + "An string set  may not be empty");
  EXPECT_EQ(DecodeError(R"({"NS":[]})"), kInvalid + "An number set  may not be empty");
  EXPECT_EQ(DecodeError(R"({"BS":[]})"), kInvalid + "Binary sets should not be empty");
  EXPECT_EQ(DecodeError(R"({"SS":["a","a"]})"),
            kInvalid + "Input collection [a, a] contains duplicates.");
  EXPECT_EQ(DecodeError(R"({"SS":["b","a","b"]})"),
            kInvalid + "Input collection [b, a, b] contains duplicates.");
  EXPECT_EQ(DecodeError(R"({"BS":["Yg==","Yg=="]})"),
            kInvalid + "Input collection [Yg==, Yg==]of type BS contains duplicates.");
  EXPECT_EQ(DecodeError(R"({"NS":["1","1"]})"), kVal + "Input collection contains duplicates");
  // Numbers are compared by value.
  EXPECT_EQ(DecodeError(R"({"NS":["1","1.0"]})"), kVal + "Input collection contains duplicates");
  EXPECT_EQ(DecodeError(R"({"NS":["100","1e2"]})"), kVal + "Input collection contains duplicates");
  EXPECT_EQ(DecodeError(R"({"SS":["a",null]})"),
            kInvalid + "An string set may not have a null string as a member");
  EXPECT_EQ(DecodeError(R"({"NS":[null]})"),
            kVal + "The parameter cannot be converted to a numeric value");
  EXPECT_EQ(DecodeError(R"({"BS":[null]})"),
            kInvalid + "Binary sets may not contain null or empty values");
}

TEST(DecodeAttributeValue, NullMustBeTrue) {
  EXPECT_EQ(DecodeError(R"({"NULL":false})"),
            kInvalid + "Null attribute value types must have the value of true");
}

TEST(DecodeAttributeValue, WrongJsonTypesAreSerializationErrors) {
  // String-typed members (S, N, SS/NS members).
  for (const char* member : {"S", "N"}) {
    const std::string m = member;
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":true})"),
              kSer + "TRUE_VALUE cannot be converted to String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":false})"),
              kSer + "FALSE_VALUE cannot be converted to String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":5})"),
              kSer + "NUMBER_VALUE cannot be converted to String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":-2147483648})"),
              kSer + "NUMBER_VALUE cannot be converted to String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":34.56})"),
              kSer + "DECIMAL_VALUE cannot be converted to String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":[]})"),
              kSer + "Unrecognized collection type class java.lang.String");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":{}})"),
              kSer + "Start of structure or map found where not expected");
  }
  EXPECT_EQ(DecodeError(R"({"SS":[5]})"), kSer + "NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(DecodeError(R"({"NS":[1]})"), kSer + "NUMBER_VALUE cannot be converted to String");
  // Booleans.
  for (const char* member : {"BOOL", "NULL"}) {
    const std::string m = member;
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":"23"})"),
              kSer + "Unexpected token received from parser");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":23})"),
              kSer + "NUMBER_VALUE cannot be converted to Boolean");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":34.56})"),
              kSer + "DECIMAL_VALUE cannot be converted to Boolean");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":[]})"),
              kSer + "Unrecognized collection type class java.lang.Boolean");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":{}})"),
              kSer + "Start of structure or map found where not expected");
  }
  // Blobs.
  EXPECT_EQ(DecodeError(R"({"B":true})"),
            kSer + "only base-64-encoded strings are convertible to bytes");
  EXPECT_EQ(DecodeError(R"({"B":23})"),
            kSer + "only base-64-encoded strings are convertible to bytes");
  EXPECT_EQ(DecodeError(R"({"B":[]})"),
            kSer + "Unrecognized collection type class java.nio.ByteBuffer");
  EXPECT_EQ(DecodeError(R"({"B":{}})"),
            kSer + "Start of structure or map found where not expected");
  EXPECT_EQ(DecodeError(R"({"BS":[23]})"),
            kSer + "only base-64-encoded strings are convertible to bytes");
  // Lists (SS, NS, BS, L).
  for (const char* member : {"SS", "NS", "BS", "L"}) {
    const std::string m = member;
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":"23"})"), kSer + "Unexpected field type");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":true})"), kSer + "Unexpected field type");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":23})"), kSer + "Unexpected field type");
    EXPECT_EQ(DecodeError(R"({")" + m + R"(":{}})"),
              kSer + "Start of structure or map found where not expected");
  }
  // Maps.
  EXPECT_EQ(DecodeError(R"({"M":"23"})"), kSer + "Unexpected field type");
  EXPECT_EQ(DecodeError(R"({"M":23})"), kSer + "Unexpected field type");
  EXPECT_EQ(DecodeError(R"({"M":[]})"),
            kSer +
                "Unrecognized collection type java.util.Map<java.lang.String, "
                "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  // Values inside L and M (and the value itself).
  EXPECT_EQ(DecodeError(R"({"L":["23"]})"), kSer + "Unexpected value type in payload");
  EXPECT_EQ(DecodeError(R"({"L":[23]})"), kSer + "Unexpected value type in payload");
  EXPECT_EQ(DecodeError(R"({"M":{"a":true}})"), kSer + "Unexpected value type in payload");
  EXPECT_EQ(
      DecodeError(R"({"L":[[]]})"),
      kSer + "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
  EXPECT_EQ(DecodeError(R"("x")"), kSer + "Unexpected value type in payload");
}

TEST(DecodeAttributeValue, Base64Errors) {
  EXPECT_EQ(DecodeError(R"({"B":"23456"})"),
            kSer + "Base64 encoded length is expected a multiple of 4 bytes but found: 5");
  EXPECT_EQ(DecodeError(R"({"B":"=+/="})"),
            kSer + "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(DecodeError(R"({"B":"+/+="})"),
            kSer + "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(DecodeError(R"({"B":"ab!d"})"),
            kSer + "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(DecodeError(R"({"BS":["AQ==","abc"]})"),
            kSer + "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
}

// In ExpressionAttributeValues, "One or more parameter values were invalid:
// <reason>" becomes "ExpressionAttributeValues contains invalid value: <reason>
// for key <key>"; every other error keeps its wording.
TEST(DecodeExpressionAttributeValue, RewordsOnlyInvalidParameterErrors) {
  auto error = [](const std::string& text) {
    rapidjson::Document doc = Parse(text);
    auto r = DecodeExpressionAttributeValue(doc, ":v");
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.error().Name() + ": " + r.error().message;
  };
  EXPECT_EQ(error(R"({"SS":[]})"),
            kVal +
                "ExpressionAttributeValues contains invalid value: An string set  may not be "
                "empty for key :v");
  EXPECT_EQ(error(R"({"NULL":false})"),
            kVal +
                "ExpressionAttributeValues contains invalid value: Null attribute value types "
                "must have the value of true for key :v");
  EXPECT_EQ(error(R"({"SS":["a","a"]})"),
            kVal +
                "ExpressionAttributeValues contains invalid value: Input collection [a, a] "
                "contains duplicates. for key :v");
  // Not "One or more parameter values were invalid": unchanged.
  EXPECT_EQ(error(R"({"N":"x"})"),
            kVal + "The parameter cannot be converted to a numeric value: x");
  EXPECT_EQ(error(R"({"NS":["1","1"]})"), kVal + "Input collection contains duplicates");
  EXPECT_EQ(error("{}"), kVal +
                             "Supplied AttributeValue is empty, must contain exactly one of the "
                             "supported datatypes");
  EXPECT_EQ(error(R"({"B":"!"})"),
            "SerializationException: Base64 encoded length is expected a multiple of 4 bytes but "
            "found: 1");
  // The first validation error decides, as in DecodeAttributeValue.
  EXPECT_EQ(error(R"({"L":[{"N":"x"},{"SS":[]}]})"),
            kVal + "The parameter cannot be converted to a numeric value: x");
  rapidjson::Document ok = Parse(R"({"SS":["a","b"]})");
  auto r = DecodeExpressionAttributeValue(ok, ":v");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->set.size(), 2u);
}

TEST(DecodeAttributeValue, SerializationBeatsValidation) {
  // A validation error earlier in the document does not hide a later
  // serialization error (DynamoDB deserializes before validating).
  EXPECT_EQ(DecodeError(R"({"L":[{"N":"x"},{"S":5}]})"),
            kSer + "NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(DecodeError(R"({"M":{"a":{"SS":[]},"b":{"B":"!"}}})"),
            kSer + "Base64 encoded length is expected a multiple of 4 bytes but found: 1");
  // Among validation errors the first in document order wins.
  EXPECT_EQ(DecodeError(R"({"L":[{"NULL":false},{"SS":[]}]})"),
            kInvalid + "Null attribute value types must have the value of true");
}

std::string Nested(int containers, const std::string& leaf) {
  std::string s;
  for (int i = 0; i < containers; ++i) s += (i % 2 ? R"({"M":{"k":)" : R"({"L":[)");
  s += leaf;
  for (int i = containers - 1; i >= 0; --i) s += (i % 2 ? "}}" : "]}");
  return s;
}

TEST(DecodeAttributeValue, NestingLimit) {
  const std::string too_deep =
      kVal +
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
      "beyond supported limit";
  // 31 containers + the leaf = 32 levels: accepted.
  AV ok = Decode(Nested(31, R"({"S":"x"})"));
  int depth = 0;
  const AV* p = &ok;
  while (p->type == AttrType::kL || p->type == AttrType::kM) {
    ++depth;
    p = p->type == AttrType::kL ? &p->list[0] : &p->map.at("k");
  }
  EXPECT_EQ(depth, 31);
  EXPECT_EQ(*p, AV::S("x"));
  EXPECT_EQ(DecodeError(Nested(32, R"({"S":"x"})")), too_deep);
  EXPECT_EQ(DecodeError(Nested(200, R"({"S":"x"})")), too_deep);
}

TEST(DecodeItem, MapsAndErrors) {
  rapidjson::Document doc =
      Parse(R"({"id":{"S":"1"},"n":{"N":"2.50"},"m":{"M":{"x":{"NULL":true}}}})");
  auto item = DecodeItem(doc);
  ASSERT_TRUE(item.ok());
  EXPECT_EQ(item->size(), 3u);
  EXPECT_EQ(item->at("n"), AV::N("2.5"));
  EXPECT_EQ(item->at("m"), AV::M({{"x", AV::Null()}}));

  doc = Parse("{}");
  ASSERT_TRUE(DecodeItem(doc).ok());
  EXPECT_TRUE(DecodeItem(doc)->empty());

  doc = Parse(R"({"a":{"S":"x"},"b":{}})");
  auto bad = DecodeItem(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      bad.error().message,
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");

  doc = Parse(R"({"a":{"NULL":false},"b":{"S":1}})");
  bad = DecodeItem(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().Name(), "SerializationException");

  doc = Parse("[]");
  bad = DecodeItem(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().Name(), "SerializationException");
  EXPECT_EQ(bad.error().message,
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  doc = Parse("5");
  bad = DecodeItem(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Unexpected field type");
  doc = Parse(R"({"a":"x"})");
  bad = DecodeItem(doc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Unexpected value type in payload");
}

TEST(Encode, AllTypes) {
  EXPECT_EQ(Encode(AV::S("a\"b")), R"({"S":"a\"b"})");
  EXPECT_EQ(Encode(AV::N("-1.5")), R"({"N":"-1.5"})");
  EXPECT_EQ(Encode(AV::B("hi")), R"({"B":"aGk="})");
  EXPECT_EQ(Encode(AV::Bool(false)), R"({"BOOL":false})");
  EXPECT_EQ(Encode(AV::Null()), R"({"NULL":true})");
  EXPECT_EQ(Encode(AV::L({AV::S("x"), AV::N("1")})), R"({"L":[{"S":"x"},{"N":"1"}]})");
  EXPECT_EQ(Encode(AV::M({{"b", AV::S("2")}, {"a", AV::S("1")}})),
            R"({"M":{"a":{"S":"1"},"b":{"S":"2"}}})");
  EXPECT_EQ(Encode(AV::SS({"z", "a"})), R"({"SS":["z","a"]})");
  EXPECT_EQ(Encode(AV::NS({"1", "2.5"})), R"({"NS":["1","2.5"]})");
  EXPECT_EQ(Encode(AV::BS({"\x01", ""})), R"({"BS":["AQ==",""]})");
  EXPECT_EQ(Encode(AV::S(std::string("a\0b", 3))), R"({"S":"a\u0000b"})");
}

TEST(Encode, ItemRoundTrip) {
  Item item = {
      {"id", AV::S("user#1")},
      {"n", AV::N("123.456")},
      {"bin", AV::B(std::string("\x00\xFF\x10", 3))},
      {"tags", AV::SS({"b", "a"})},
      {"nums", AV::NS({"-1", "0.001"})},
      {"blobs", AV::BS({"x", "yy", "zzz"})},
      {"nested", AV::M({{"l", AV::L({AV::Null(), AV::Bool(true), AV::M({})})}})},
      {"utf8", AV::S("h\xC3\xA9llo \xF0\x9F\x98\x80")},
  };
  std::string json = ItemToJson(item);
  rapidjson::Document doc = Parse(json);
  auto back = DecodeItem(doc);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, item);
  EXPECT_EQ(ItemToJson(*back), json);
}

// JsonWriter::RawValue copies raw JSON in as a value wherever a value may go:
// commas between array elements and after object keys as rapidjson writes
// them, and the writer's nesting stays right for what follows.
TEST(JsonWriterTest, RawValueInArraysAndObjects) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("Items");
  w.StartArray();
  const std::string a = R"({"pk":{"S":"a"}})", b = R"({"pk":{"S":"\u00e9"}})";
  EXPECT_TRUE(w.RawValue(a.data(), a.size(), rapidjson::kObjectType));
  EXPECT_TRUE(w.RawValue(b.data(), b.size(), rapidjson::kObjectType));
  w.EndArray();
  w.Key("Item");
  EXPECT_TRUE(w.RawValue(a.data(), a.size(), rapidjson::kObjectType));
  w.Key("Count");
  w.Int(2);
  w.EndObject();
  EXPECT_TRUE(w.IsComplete());
  EXPECT_EQ(
      std::string(buf.GetString(), buf.GetSize()),
      R"({"Items":[{"pk":{"S":"a"}},{"pk":{"S":"\u00e9"}}],"Item":{"pk":{"S":"a"}},"Count":2})");
  rapidjson::StringBuffer alone;
  JsonWriter top(alone);
  EXPECT_TRUE(top.RawValue(a.data(), a.size(), rapidjson::kObjectType));
  EXPECT_TRUE(top.IsComplete());
  EXPECT_EQ(std::string(alone.GetString(), alone.GetSize()), a);
}

}  // namespace
}  // namespace ddb
