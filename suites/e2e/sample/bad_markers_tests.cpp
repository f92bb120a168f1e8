// A test binary with declaration mistakes: attest must refuse to run it.
#include <attest/attest.hpp>

#include <cstdlib>

BOOST_AUTO_TEST_CASE(good, *attest::requirement("FR-001") * attest::mark("unit")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(typo_marker, *attest::mark("integraton")) {
  std::abort();  // must never run: collection errors stop the binary first
}

BOOST_AUTO_TEST_SUITE(suite_with_bad_id, *attest::requirement("FR-1"))
BOOST_AUTO_TEST_CASE(inside) { std::abort(); }
BOOST_AUTO_TEST_SUITE_END()
