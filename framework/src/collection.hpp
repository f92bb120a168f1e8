// The collected test tree as attest sees it: one TestInfo per test case, in
// Boost's declaration order, with effective markers and requirements; plus the
// strict validation of what the decorators declared, and the manifest/listing.
#pragma once

#include <boost/test/tree/test_unit.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <attest/config.hpp>
#include "registry.hpp"

namespace attest::detail {

struct TestInfo {
  boost::unit_test::test_unit_id id;
  std::string name;  // Boost full name: suite/case
  // Boost's own view of the registering macro's __FILE__: it outlives the run (10,000 tests
  // held as strings were ~1 MB of the run's peak).
  std::string_view file;
  std::size_t line;
  Marks marks;              // effective: inherited from suites
  std::string_view description;  // Boost's description decorator (Boost's string: lives as long)
  bool enabled;             // Boost's default run status before attest's selection
  bool selected = true;     // attest's -m/-k/--req verdict
  /// The suites' names and the case's, below the master suite — only when a name holds a '/'
  /// itself (registered by hand); else `name` split at '/' says it (path_of).
  std::vector<std::string> path = {};
};

/// The suites' names and the case's, below the master suite.
std::vector<std::string> path_of(const TestInfo& test);

/// Walks the tree (after framework::finalize_setup_phase) collecting every test case.
std::vector<TestInfo> collect_tests(const Registry& registry);

/// Unknown markers and malformed requirement IDs, as `file:line: message`, sorted.
std::vector<std::string> validate_marks(const Registry& registry, const Config& config);

/// The human listing for --collect-only.
void write_collection_text(std::ostream& out, const std::vector<TestInfo>& tests);

}  // namespace attest::detail
