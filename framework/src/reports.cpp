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
                       {std::string(t.file), t.line},
                       t.marks.markers,
                       t.marks.requirements,
                       t.enabled,
                       std::string(t.description),
                       path_of(t)});
  }
  return m;
}

namespace {

void fill(trace::TestOutcome& o, const TestInfo& t, const TestResult& r) {
  o.id = t.name;
  o.outcome = r.outcome;
  o.message = r.message;
  o.has_requirements = true;
  o.requirements = t.marks.requirements;
  o.markers = t.marks.markers;
  o.where.file.assign(t.file);  // into the storage the last test's path had
  o.where.line = t.line;
  o.duration_ms = r.duration_ms;
  o.phases = r.phases;
  o.failed_attempts = r.failed_attempts;
}

}  // namespace

trace::Results results_of(const std::string& binary, const std::vector<TestInfo>& tests,
                          const std::vector<TestResult>& results, const Summary& summary) {
  trace::Results out{binary, {}, summary};
  out.tests.resize(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    fill(out.tests[i], tests[results[i].test], results[i]);
    out.tests[i].binary = binary;
  }
  return out;
}

trace::ResultsSource results_source(const std::string& binary, const std::vector<TestInfo>& tests,
                                    const std::vector<TestResult>& results,
                                    const Summary& summary) {
  // Views of the collected test and its result: nothing copied per test.
  return {binary, summary, results.size(), [&tests, &results](std::size_t i) {
            const auto& r = results[i];
            const auto& t = tests[r.test];
            return trace::TestOutcomeView{
                t.name,           r.outcome,         r.duration_ms, &t.marks.requirements,
                &t.marks.markers, r.message,         t.file,        t.line,
                &r.phases,        &r.failed_attempts};
          }};
}

}  // namespace attest::detail
