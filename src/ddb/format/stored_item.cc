#include "ddb/format/stored_item.h"

#include <rapidjson/document.h>

#include "ddb/model/json_codec.h"

namespace ddb {

std::string EncodeStoredItem(const Item& item, size_t item_size) {
  std::string out;
  out.reserve(256);
  uint32_t s = static_cast<uint32_t>(item_size);
  out.push_back(static_cast<char>(s >> 24));
  out.push_back(static_cast<char>(s >> 16));
  out.push_back(static_cast<char>(s >> 8));
  out.push_back(static_cast<char>(s));
  out += ItemToJson(item);
  return out;
}

size_t StoredItemSize(std::string_view stored) {
  if (stored.size() < 4) return 0;
  auto b = [&](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(stored[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

std::string_view StoredItemJson(std::string_view stored) {
  return stored.size() < 4 ? std::string_view("{}") : stored.substr(4);
}

Result<Item> DecodeStoredItem(std::string_view stored) {
  rapidjson::Document doc;
  std::string_view json = StoredItemJson(stored);
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return Internal("corrupt stored item");
  return DecodeItem(doc);
}

Result<Item> DecodeStoredItem(const std::string& stored) {
  if (stored.size() < 4) return DecodeStoredItem(std::string_view(stored));
  // The JSON text ends at the string's terminating NUL (the encoder escapes
  // every NUL inside it), so RapidJSON's NUL-terminated stream reads it: its
  // fastest, scanning 16 bytes at a time (RAPIDJSON_SSE2, CMakeLists.txt).
  rapidjson::Document doc;
  doc.Parse(stored.c_str() + 4);
  if (doc.HasParseError()) return Internal("corrupt stored item");
  return DecodeItem(doc);
}

}  // namespace ddb
