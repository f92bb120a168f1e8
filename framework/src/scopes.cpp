#include "scopes.hpp"

#include <attest/scope.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/tree/test_unit.hpp>

namespace attest::detail {
namespace ut = boost::unit_test;

ScopeObserver::ScopeObserver() {
  set_suite_probe([]() -> std::uint64_t {
    if (!ut::framework::test_in_progress()) return 0;
    return ut::framework::current_test_case().p_parent_id;
  });
  ut::framework::register_observer(*this);
}

ScopeObserver::~ScopeObserver() {
  ut::framework::deregister_observer(*this);
  set_suite_probe({});
}

void ScopeObserver::test_unit_finish(const ut::test_unit& tu, unsigned long) {
  if (tu.p_type != ut::TUT_SUITE) return;
  end_suite_scope(tu.p_id, !ut::results_collector.results(tu.p_id).passed(), tu.full_name());
}

}  // namespace attest::detail
