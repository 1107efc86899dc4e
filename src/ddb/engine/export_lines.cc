#include "ddb/engine/export_lines.h"

#include <rapidjson/stringbuffer.h>

#include "ddb/engine/ion_writer.h"
#include "ddb/format/stored_item.h"
#include "ddb/model/json_codec.h"

namespace ddb::exports {
namespace {

Result<Item> Decode(std::string_view stored) {
  Result<Item> item = DecodeStoredItem(stored);
  if (!item.ok()) return Internal("Internal server error");
  return item;
}

}  // namespace

DataFormat DataFormatFromName(std::string_view export_format) {
  return export_format == "ION" ? DataFormat::kIon : DataFormat::kDynamoDbJson;
}

std::string_view DataFileExtension(DataFormat f) {
  return f == DataFormat::kIon ? ".ion.gz" : ".json.gz";
}

Result<std::string> FullExportLine(DataFormat f, std::string_view stored) {
  std::string line;
  if (f == DataFormat::kDynamoDbJson) {
    // The stored JSON text is the item's DynamoDB JSON: copied as it is.
    const std::string_view json = StoredItemJson(stored);
    line.reserve(json.size() + 10);
    line += "{\"Item\":";
    line += json;
    line += '}';
    return line;
  }
  ASSIGN_OR_RETURN(Item item, Decode(stored));
  line += ion::kVersionMarker;
  line += " {Item:";
  ion::AppendStruct(item, &line);
  line += '}';
  return line;
}

Result<std::string> IncrementalExportLine(DataFormat f, const ChangeLine& c) {
  const std::string micros = std::to_string(c.write_time_us);
  if (f == DataFormat::kDynamoDbJson) {
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    w.Key("Metadata");
    w.StartObject();
    w.Key("WriteTimestampMicros");
    w.StartObject();
    w.Key("N");
    w.String(micros);
    w.EndObject();
    w.EndObject();
    w.Key("Keys");
    EncodeItem(*c.keys, w);
    auto image = [&](const char* key, const std::optional<std::string_view>& stored) {
      if (!stored) return;
      w.Key(key);
      const std::string_view json = StoredItemJson(*stored);
      w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
    };
    image("NewImage", c.new_image);
    image("OldImage", c.old_image);
    w.EndObject();
    return std::string(buf.GetString(), buf.GetSize());
  }
  std::string line(ion::kVersionMarker);
  line += " {Metadata:{WriteTimestampMicros:";
  ion::AppendDecimal(micros, &line);
  line += "},Keys:";
  ion::AppendStruct(*c.keys, &line);
  auto image = [&](const char* key, const std::optional<std::string_view>& stored) -> Status {
    if (!stored) return Status::Ok();
    ASSIGN_OR_RETURN(Item item, Decode(*stored));
    line += ',';
    line += key;
    line += ':';
    ion::AppendStruct(item, &line);
    return Status::Ok();
  };
  RETURN_IF_ERROR(image("NewImage", c.new_image));
  RETURN_IF_ERROR(image("OldImage", c.old_image));
  line += '}';
  return line;
}

}  // namespace ddb::exports
