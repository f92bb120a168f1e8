// Reruns (--reruns N, attest::flaky(N)): a test whose attempt fails runs again at
// once, in the same place of the run, until it passes or has no reruns left.
// Each attempt is a fresh run of the test's body (and of its fixture, which
// Boost builds inside the body for BOOST_FIXTURE_TEST_CASE); the failed ones'
// messages are kept as the result's failed attempts.
#pragma once

#include <vector>

#include "collection.hpp"
#include "registry.hpp"
#include "results.hpp"

namespace attest::detail {

/// Wraps the body of every selected test that has reruns (`reruns` from --reruns,
/// or its own attest::flaky). The recorder must outlive the run.
void enable_reruns(const std::vector<TestInfo>& tests, const Registry& registry, unsigned reruns,
                   ResultsRecorder& recorder);

}  // namespace attest::detail
