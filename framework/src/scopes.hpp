// The Boost.Test side of fixture scopes (<attest/scope.hpp>): which suite the
// running test belongs to, and the end of each suite.
#pragma once

#include <boost/test/tree/observer.hpp>
#include <boost/test/tree/test_unit.hpp>

namespace attest::detail {

/// The suite whose scope a test case's suite_scoped resources belong to: its parent, or,
/// for a data test case's cases, the suite that data test case is declared in.
boost::unit_test::test_unit_id scope_suite(const boost::unit_test::test_case& tc);

class ScopeObserver final : public boost::unit_test::test_observer {
 public:
  /// Installs the suite probe; registers and deregisters itself with Boost.Test.
  ScopeObserver();
  ~ScopeObserver() override;
  ScopeObserver(const ScopeObserver&) = delete;
  ScopeObserver& operator=(const ScopeObserver&) = delete;

  void test_unit_finish(const boost::unit_test::test_unit& tu, unsigned long) override;
  // Boost calls test_unit_finish in reverse priority order: below results_collector
  // (3), so that a suite's own result (did a test in it fail?) is known by then.
  int priority() override { return 2; }
};

}  // namespace attest::detail
