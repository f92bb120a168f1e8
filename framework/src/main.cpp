// attest::main's main(). A test source that still defines BOOST_TEST_MODULE
// (a suite migrating from plain Boost.Test) provides init_unit_test(), which
// names the master suite; it is declared weak so attest runs without it too.
#include <attest/runner.hpp>

bool init_unit_test() __attribute__((weak));

int main(int argc, char* argv[]) {
  return attest::run(argc, argv, init_unit_test ? &init_unit_test : nullptr);
}
