// Boost.Test's classic registration: no automatic test cases, an
// init_unit_test_suite() that builds the tree. Driven by runner_test.cpp.
#include <attest/attest.hpp>

using namespace boost::unit_test;

namespace {
void adds() { BOOST_TEST(1 + 1 == 2); }
void multiplies() { BOOST_TEST(2 * 3 == 6); }
}  // namespace

test_suite* init_unit_test_suite(int, char*[]) {
  framework::master_test_suite().add(BOOST_TEST_CASE(&adds));
  test_suite* arithmetic = BOOST_TEST_SUITE("arithmetic");
  arithmetic->add(BOOST_TEST_CASE(&multiplies));
  return arithmetic;
}
