// Backfill of a global secondary index added to an existing table: every
// item already in the table gets its index entry, then the index turns
// ACTIVE. Writes that happen meanwhile maintain the CREATING index
// themselves, so the index is exact once the backfill ends.
#pragma once

#include <cstdint>
#include <string>

#include "ddb/jobs/job_context.h"

namespace ddb {

// Starts the backfill of index `index_id` of table `table_name` (instance
// `table_id`) on a background thread. Safe to call again after a restart:
// entries that exist are left alone.
void StartIndexBackfill(const JobContext& jobs, const std::string& table_name, uint64_t table_id,
                        uint64_t index_id);

// Resumes the backfill of every index still CREATING (after a restart).
void ResumeIndexBackfills(const JobContext& jobs);

}  // namespace ddb
