#include "reports.hpp"

namespace attest::detail {

trace::Manifest manifest_of(const std::string& binary, const std::vector<TestInfo>& tests,
                            const std::optional<ShardSpec>& shard) {
  trace::Manifest m{binary, {}, std::nullopt};
  if (shard) m.shard = trace::ShardOf{shard->index, shard->total};
  m.tests.reserve(tests.size());
  for (const auto& t : tests) {
    if (!t.selected) continue;
    m.tests.push_back({binary,
                       t.name,
                       {t.file, t.line},
                       t.marks.markers,
                       t.marks.requirements,
                       t.enabled,
                       t.description,
                       t.path});
  }
  return m;
}

trace::Results results_of(const std::string& binary, const std::vector<TestInfo>& tests,
                          const std::vector<TestResult>& results, const Summary& summary) {
  trace::Results out{binary, {}, summary};
  out.tests.reserve(results.size());
  for (const auto& r : results) {
    const auto& t = tests[r.test];
    trace::TestOutcome o;
    o.binary = binary;
    o.id = t.name;
    o.outcome = r.outcome;
    o.message = r.message;
    o.has_requirements = true;
    o.requirements = t.marks.requirements;
    o.markers = t.marks.markers;
    o.where = {t.file, t.line};
    o.duration_ms = r.duration_ms;
    o.phases = r.phases;
    o.failed_attempts = r.failed_attempts;
    out.tests.push_back(std::move(o));
  }
  return out;
}

}  // namespace attest::detail
