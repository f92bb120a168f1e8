// The Boost.Test side of fixture scopes (<attest/scope.hpp>): which suite the
// running test belongs to, and the end of each suite.
#pragma once

#include <boost/test/tree/observer.hpp>

namespace attest::detail {

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
