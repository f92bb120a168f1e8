// What tests report about themselves while they run (skips, phases), kept per
// test unit until the results recorder collects it at the test's end.
#pragma once

#include <boost/test/tree/test_unit.hpp>

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace attest::detail {

struct PhaseRecord {
  std::string name;
  bool passed;
  double duration_ms;
};

struct TestEvents {
  std::unordered_map<boost::unit_test::test_unit_id, std::string> skipped;  // id -> reason
  std::unordered_map<boost::unit_test::test_unit_id, std::vector<PhaseRecord>> phases;
  // Tests whose timeout message already says where they waited (coroutine tests).
  std::unordered_set<boost::unit_test::test_unit_id> timeouts_described;

  static TestEvents& instance();
};

}  // namespace attest::detail
