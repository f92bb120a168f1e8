// A source migrated from plain Boost.Test that still defines BOOST_TEST_MODULE:
// attest::main runs it and keeps the module name.
#define BOOST_TEST_MODULE legacy_module
#include <attest/attest.hpp>

BOOST_AUTO_TEST_CASE(still_runs, *attest::requirement("FR-001")) {
  BOOST_TEST(boost::unit_test::framework::master_test_suite().p_name.get() == "legacy_module");
}
