// Result files: attest results JSON (★ contract) and JUnit XML carrying the
// `verifies` and `markers` properties per testcase (sphinx-test-reports style).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "collection.hpp"
#include "results.hpp"

namespace attest::detail {

void write_results_json(std::ostream& out, const std::string& binary,
                        const std::vector<TestInfo>& tests, const std::vector<TestResult>& results,
                        const Summary& summary);

void write_junit_xml(std::ostream& out, const std::string& binary,
                     const std::vector<TestInfo>& tests, const std::vector<TestResult>& results,
                     const Summary& summary);

}  // namespace attest::detail
