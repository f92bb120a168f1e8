// attest::main's main(). A test source that still defines BOOST_TEST_MODULE
// (a suite migrating from plain Boost.Test) provides init_unit_test(), which
// names the master suite; one written for Boost's classic registration defines
// init_unit_test_suite(argc, argv), whose suite joins the master suite. Both are
// declared weak so attest runs without them too.
#include <attest/runner.hpp>

#include <boost/test/framework.hpp>
#include <boost/test/tree/test_unit.hpp>

bool init_unit_test() __attribute__((weak));
boost::unit_test::test_suite* init_unit_test_suite(int argc, char* argv[]) __attribute__((weak));

namespace {

// Boost's classic API, as its static-library main runs it: with the arguments left
// after Boost (and attest) took their own flags out.
bool classic_init() {
  auto& master = boost::unit_test::framework::master_test_suite();
  if (auto* suite = init_unit_test_suite(master.argc, master.argv))
    boost::unit_test::framework::master_test_suite().add(suite);
  return true;
}

}  // namespace

// Referenced by every program that links attest::main (see framework/CMakeLists.txt):
// a program with a main() of its own then fails to link ("multiple definition of
// `main'") instead of running without attest. Link attest::framework and call
// attest::run() from your main() instead.
extern "C" const char attest_main_provides_main[] = "attest::main";

int main(int argc, char* argv[]) {
  bool (*init)() = init_unit_test ? &init_unit_test : init_unit_test_suite ? &classic_init : nullptr;
  return attest::run(argc, argv, init);
}
