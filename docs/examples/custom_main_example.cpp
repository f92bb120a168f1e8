// [custom-main]
// Link attest::framework (not attest::main) and call attest::run yourself.
#include <attest/attest.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
  ::setenv("TZ", "UTC", 1);  // process-wide set-up before any test
  return attest::run(argc, argv);
}
// [custom-main]

BOOST_AUTO_TEST_CASE(runs_under_a_custom_main,
                     *attest::requirement("FR-018") * attest::mark("unit")) {
  BOOST_TEST(std::string(std::getenv("TZ")) == "UTC");
}
