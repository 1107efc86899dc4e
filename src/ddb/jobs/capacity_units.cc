#include "ddb/jobs/capacity_units.h"

namespace ddb {

double Consumed::Total() const {
  double t = table;
  for (const auto& [_, u] : gsis) t += u;
  for (const auto& [_, u] : lsis) t += u;
  return t;
}

void Consumed::Add(const Consumed& other) {
  table += other.table;
  for (const auto& [n, u] : other.gsis) gsis[n] += u;
  for (const auto& [n, u] : other.lsis) lsis[n] += u;
}

void Consumed::Scale(double factor) {
  table *= factor;
  for (auto& [_, u] : gsis) u *= factor;
  for (auto& [_, u] : lsis) u *= factor;
}

}  // namespace ddb
