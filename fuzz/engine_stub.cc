// Stand-ins for the Engine members that src/ddb/protocol/dynamodb_json.cc
// calls, so that json_codec_fuzz links that file without building the engine
// (and RocksDB) in the fuzz tree. The fuzzers never execute requests: the
// Execute stand-ins abort if anything ever does.
#include <cstdlib>

#include "ddb/engine/engine.h"

namespace ddb {

bool Engine::Supports(std::string_view operation) { return !operation.empty(); }

bool Engine::SupportsStreams(std::string_view operation) { return !operation.empty(); }

Status Engine::Execute(std::string_view, const rapidjson::Value&, JsonWriter&) { std::abort(); }

Status Engine::ExecuteStreams(std::string_view, const rapidjson::Value&, JsonWriter&) {
  std::abort();
}

}  // namespace ddb
