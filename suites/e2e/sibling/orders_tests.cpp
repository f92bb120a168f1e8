// A project marker ("db") and a project requirement pattern: both known only from attest.json.
#include <attest/attest.hpp>

BOOST_AUTO_TEST_CASE(totals_add_up, *attest::mark("db") * attest::requirement("ORD-001")) {
  BOOST_TEST(2 + 2 == 4);
}
