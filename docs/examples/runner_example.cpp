// TESTING.md, "Running tests": decorators the runner acts on.
#include <attest/attest.hpp>

#include <chrono>

namespace utf = boost::unit_test;

// [flaky]
// A test known to fail now and then (a race in the service under test): a failed
// attempt runs again, up to 2 more times. A pass on a rerun is reported as
// "passed, flaky" with every failed attempt's message; --fail-on-flaky fails the run.
BOOST_AUTO_TEST_CASE(eventually_consistent_read, *attest::flaky(2) * attest::mark("unit") *
                                                     attest::requirement("FR-081")) {
  int replicas_in_sync = 3;
  BOOST_TEST(replicas_in_sync == 3);
}

// Boost's own timeout wins over the runner's --timeout default.
BOOST_AUTO_TEST_CASE(bounded_by_its_own_timeout, *utf::timeout(10) * attest::mark("unit") *
                                                     attest::requirement("FR-082")) {
  attest::wait_for_condition([] { return true; }, {.timeout = std::chrono::seconds(5)});
}
// [flaky]
