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

/// The results document for --report-json and --junitxml.
trace::Results results_of(const std::string& binary, const std::vector<TestInfo>& tests,
                          const std::vector<TestResult>& results, const Summary& summary);

}  // namespace attest::detail
