// The counters of every table (ItemCount, TableSizeBytes and the same per
// index) as a clean shutdown leaves them in the store, so that the next start
// need not recount every item.
//
// The record lives under keys::Meta("clean_stats") only between a clean
// Engine::Close and the next Catalog::Load: Load reads it and deletes it (a
// synced write) before any request runs, so a start after a crash finds none
// and recounts. Folders written before the record existed simply have none.
//
// Layout: a version byte (1), then the number of tables and for each its id,
// item count, size in bytes, number of indexes and for each index its id,
// item count and size, every number 8 bytes big-endian.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ddb/format/table_info.h"

namespace ddb {

// Table id -> its counters.
using SavedStats = std::map<uint64_t, TableStats>;

std::string EncodeSavedStats(const SavedStats& stats);

// nullopt for a record of another version or a truncated one (the caller
// then recounts).
std::optional<SavedStats> DecodeSavedStats(std::string_view record);

}  // namespace ddb
