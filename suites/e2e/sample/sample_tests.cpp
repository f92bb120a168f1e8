// A sample project's test binary, driven by the runner e2e tests: every
// selection, collection, report and exit-code behaviour is checked against it.
// Its failing tests fail on purpose, and only run when selected explicitly.
#include <attest/attest.hpp>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <stdexcept>

namespace utf = boost::unit_test;

BOOST_AUTO_TEST_CASE(plain_unmarked) { BOOST_TEST(1 + 1 == 2); }

BOOST_AUTO_TEST_CASE(parses_orders, *attest::requirement("FR-001") * attest::mark("unit")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(two_requirements, *attest::requirement("FR-002", "SC-001") *
                                           attest::mark("unit") *
                                           utf::description("verifies two requirements")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE(db, *attest::mark("integration") * attest::requirement("FR-010"))

BOOST_AUTO_TEST_CASE(inserts_rows) { BOOST_TEST(true); }

BOOST_AUTO_TEST_CASE(full_sync, *attest::mark("slow") * attest::requirement("FR-011")) {
  BOOST_TEST(true);
}

struct Connection {
  int rows = 3;
};

BOOST_FIXTURE_TEST_CASE(fixture_rows, Connection, *attest::mark("database")) {
  BOOST_TEST(rows == 3);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_TEST_DECORATOR(*attest::requirement("FR-020") * attest::mark("unit"))
BOOST_DATA_TEST_CASE(squares, boost::unit_test::data::make({1, 2, 3}), value) {
  BOOST_TEST(value * value >= value);
}

BOOST_AUTO_TEST_CASE(disabled_case, *attest::requirement("FR-030") * utf::disabled()) {
  BOOST_TEST(false);
}

BOOST_AUTO_TEST_SUITE(failing, *attest::mark("failing"))

BOOST_AUTO_TEST_CASE(wrong_count, *attest::requirement("FR-040")) {
  int rows = 10;
  BOOST_TEST(rows == 5);
}

BOOST_AUTO_TEST_CASE(throws, *attest::requirement("FR-041")) {
  throw std::runtime_error("connection refused");
}

BOOST_AUTO_TEST_CASE(after_failures, *attest::requirement("FR-042")) { BOOST_TEST(true); }

BOOST_AUTO_TEST_SUITE_END()
