// libFuzzer target: Amazon Ion text through ddb::ion::RecordReader
// (ddb/engine/ion_reader.h), the reader of ImportTable's InputFormat ION,
// with its default bounds and again with tiny ones (depth 6, 64-byte
// records). Oracles besides the sanitizers: reading always moves on (no
// more records than bytes), and every item it decodes, written back by
// ddb/engine/ion_writer.h as an export writes it, reads back to the same
// item.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ddb/engine/ion_reader.h"
#include "ddb/engine/ion_writer.h"
#include "ddb/model/json_codec.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const bool tiny : {false, true}) {
    ddb::ion::ReaderLimits limits;
    if (tiny) {
      limits.max_depth = 6;
      limits.max_record_bytes = 64;
    }
    ddb::ion::StringSource source(text);
    ddb::ion::RecordReader reader(source, limits);
    ddb::Item item;
    ddb::Status problem;
    size_t records = 0;
    while (reader.Next(&item, &problem)) {
      FUZZ_CHECK(++records <= size);
      if (!problem.ok() || tiny) continue;
      std::string line(ddb::ion::kVersionMarker);
      line += " {Item:";
      ddb::ion::AppendStruct(item, &line);
      line += "}\n";
      ddb::ion::StringSource again(line);
      ddb::ion::RecordReader back_reader(again);
      ddb::Item back;
      ddb::Status back_problem;
      FUZZ_CHECK(back_reader.Next(&back, &back_problem));
      FUZZ_CHECK(back_problem.ok());
      FUZZ_CHECK(ddb::ItemToJson(back) == ddb::ItemToJson(item));
      FUZZ_CHECK(!back_reader.Next(&back, &back_problem));
    }
  }
  return 0;
}
