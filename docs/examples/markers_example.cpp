// The TESTING.md examples, compiled and run by the build (ctest -L docs).
// Regions between `// [name]` lines are quoted verbatim in TESTING.md;
// ci/check-doc-snippets.py fails the build when the two drift apart.

// [first-test]
#include <attest/attest.hpp>

int with_vat(int cents) { return cents * 120 / 100; }

BOOST_AUTO_TEST_CASE(adds_vat, *attest::requirement("FR-018") * attest::mark("unit")) {
  BOOST_TEST(with_vat(1000) == 1200);
}
// [first-test]

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>

#include <vector>

// [suite-markers]
// Markers and requirements on a suite apply to every test inside it.
BOOST_AUTO_TEST_SUITE(orders, *attest::mark("integration") * attest::requirement("FR-018"))

BOOST_AUTO_TEST_CASE(creates_order) { BOOST_TEST(true); }  // integration, FR-018

BOOST_AUTO_TEST_CASE(full_resync, *attest::mark("slow") * attest::requirement("FR-015")) {
  BOOST_TEST(true);  // integration + slow, FR-018 + FR-015
}

BOOST_AUTO_TEST_SUITE_END()
// [suite-markers]

// [fixture-and-data]
struct Database {
  std::vector<int> rows{1, 2, 3};
};

// Fixture test cases take decorators after the fixture.
BOOST_FIXTURE_TEST_CASE(counts_rows, Database,
                        *attest::requirement("FR-018") * attest::mark("database")) {
  BOOST_TEST(rows.size() == 3u);
}

// Data test cases take them through BOOST_TEST_DECORATOR.
BOOST_TEST_DECORATOR(*attest::requirement("FR-018") * attest::mark("unit"))
BOOST_DATA_TEST_CASE(non_negative, boost::unit_test::data::make({0, 1, 2}), n) {
  BOOST_TEST(n >= 0);
}
// [fixture-and-data]

// [boost-decorators]
// attest's decorators combine with Boost's own.
BOOST_AUTO_TEST_CASE(with_timeout, *attest::requirement("FR-018") * attest::mark("slow") *
                                       boost::unit_test::timeout(30) *
                                       boost::unit_test::description("bounded")) {
  BOOST_TEST(true);
}
// [boost-decorators]
