// A TableInfo with every field set, for the tests of its catalog form
// (format/table_info_test.cc) and of its description
// (engine/table_description_test.cc).
#pragma once

#include "ddb/format/table_info.h"

namespace ddb::testing {

inline TableInfo SampleTable() {
  TableInfo t;
  t.name = "orders.v2";
  t.id = 42;
  t.key.hash = {"pk", AttrType::kS};
  t.key.range = KeyAttr{"sk", AttrType::kN};
  t.attribute_definitions = {{"pk", AttrType::kS}, {"sk", AttrType::kN}, {"g", AttrType::kB}};
  t.billing_mode = "PROVISIONED";
  t.throughput = {5, 7, 1699999000.25, 1699999500.125, 2};
  t.creation_time = 1699990000.123;
  t.status = "ACTIVE";
  IndexInfo gsi;
  gsi.name = "by-g";
  gsi.key.hash = {"g", AttrType::kB};
  gsi.projection_type = "INCLUDE";
  gsi.non_key_attributes = {"a", "b"};
  gsi.throughput = {3, 4, 0, 0, 0};
  gsi.status = "CREATING";
  gsi.backfilling = true;
  gsi.id = 43;
  t.gsis.push_back(gsi);
  IndexInfo lsi;
  lsi.name = "by-sk2";
  lsi.key.hash = {"pk", AttrType::kS};
  lsi.key.range = KeyAttr{"g", AttrType::kB};
  lsi.projection_type = "KEYS_ONLY";
  lsi.id = 44;
  t.lsis.push_back(lsi);
  t.tags = {{"env", "prod"}, {"team", ""}};
  t.table_class = "STANDARD_INFREQUENT_ACCESS";
  t.deletion_protection = true;
  t.stream_enabled = true;
  t.stream_view_type = "NEW_AND_OLD_IMAGES";
  t.stream_label = "2023-11-14T22:13:20.000";
  t.region = "eu-west-1";
  t.account = "123456789012";
  return t;
}

}  // namespace ddb::testing
