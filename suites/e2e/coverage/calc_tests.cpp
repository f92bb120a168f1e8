#include <attest/attest.hpp>

#include <boost/test/unit_test.hpp>

#include "calc.hpp"

BOOST_AUTO_TEST_CASE(adds, *attest::requirement("CALC-001") * attest::mark("unit")) {
  BOOST_TEST(clamp_add(2, 3, 10) == 5);
}

BOOST_AUTO_TEST_CASE(signs, *attest::requirement("CALC-002") * attest::mark("unit")) {
  BOOST_TEST(sign(-4) == -1);
}

BOOST_AUTO_TEST_CASE(reaches_nothing, *attest::requirement("CALC-003") * attest::mark("unit")) {
  BOOST_TEST(1 + 1 == 2);
}
