#include "scopes.hpp"

#include <attest/scope.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/results_collector.hpp>
#include <boost/test/tree/test_unit.hpp>

#include <string>

namespace attest::detail {
namespace ut = boost::unit_test;

// The cases of a BOOST_DATA_TEST_CASE (`_0`, `_1`, ...) sit in a suite Boost makes for
// them: they share the resources of the suite the data test case is declared in.
ut::test_unit_id scope_suite(const ut::test_case& tc) {
  const auto& name = tc.p_name.get();
  bool data_case = name.size() >= 2 && name[0] == '_' &&
                   name.find_first_not_of("0123456789", 1) == std::string::npos;
  ut::test_unit_id id = tc.p_parent_id;
  if (data_case) {
    const auto& data_suite = ut::framework::get(id, ut::TUT_SUITE);
    if (data_suite.p_parent_id != ut::INV_TEST_UNIT_ID) id = data_suite.p_parent_id;
  }
  return id;
}

ScopeObserver::ScopeObserver() {
  set_suite_probe([]() -> std::uint64_t {
    if (!ut::framework::test_in_progress()) return 0;
    return scope_suite(ut::framework::current_test_case());
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
