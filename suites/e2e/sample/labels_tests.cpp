// Plain Boost.Test labels, as existing suites carry them: attest takes them as markers.
// Driven by runner_test.cpp.
#include <attest/attest.hpp>

namespace utf = boost::unit_test;

BOOST_AUTO_TEST_SUITE(labelled, *utf::label("nightly"))

BOOST_AUTO_TEST_CASE(fast_case, *utf::label("fast") * attest::requirement("FR-001")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(slow_case, *attest::mark("slow") * attest::requirement("FR-002")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()
