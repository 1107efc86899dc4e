// The stored form of an item (the value under its item key, keys.h) and of
// an index entry's projected item (index_keys.h):
//   <4-byte big-endian DynamoDB item size> <item as DynamoDB JSON>
// The size header lets scans, statistics and capacity use the item's
// DynamoDB size without decoding it; the JSON text is written raw into
// responses.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ddb/common/error.h"
#include "ddb/model/attribute_value.h"

namespace ddb {

std::string EncodeStoredItem(const Item& item, size_t item_size);
// The item's DynamoDB size, from the header.
size_t StoredItemSize(std::string_view stored);
// The JSON text part (ready to be written raw into a response).
std::string_view StoredItemJson(std::string_view stored);
Result<Item> DecodeStoredItem(std::string_view stored);
// The same, faster: the string's terminating NUL ends the JSON text.
Result<Item> DecodeStoredItem(const std::string& stored);

}  // namespace ddb
