// The runner's side of the wire formats: the collected tests and their results
// as traceability's model, which owns the writers (attest/trace/formats.hpp).
#pragma once

#include <string>
#include <vector>

#include <attest/trace/formats.hpp>

#include "collection.hpp"
#include "results.hpp"
#include "sharding.hpp"

namespace attest::detail {

/// The manifest (★ contract) of the selected tests: pytest's --collect-only lists what would run.
trace::Manifest manifest_of(const std::string& binary, const std::vector<TestInfo>& tests,
                            const std::optional<ShardSpec>& shard = std::nullopt);

/// The results document for --junitxml (JUnit groups tests by suite: it needs them all).
trace::Results results_of(const std::string& binary, const std::vector<TestInfo>& tests,
                          const std::vector<TestResult>& results, const Summary& summary);

/// The same results, one at a time (for --report-json and the run cache): one reused outcome
/// instead of a document of 10,000. `tests` and `results` must outlive it.
trace::ResultsSource results_source(const std::string& binary, const std::vector<TestInfo>& tests,
                                    const std::vector<TestResult>& results, const Summary& summary);

}  // namespace attest::detail
