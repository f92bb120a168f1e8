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

// Code that runs after the last test (as a fixture's teardown or a static destructor does): not
// any test's, but a run's — in the .gcda files of a --cov run as of a run without it.
namespace {
struct AfterTheTests {
  ~AfterTheTests() { [[maybe_unused]] volatile int s = sign(-1); }
} after_the_tests;
}  // namespace
