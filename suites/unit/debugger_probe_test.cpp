// Boost.Test's debugger probe (debug::under_debugger), which Boost asks before every test case,
// is answered once per run by attest's runner: asked again, it reads nothing from /proc.
#include <attest/attest.hpp>

#include <boost/test/debug.hpp>

#include <fstream>
#include <string>

namespace {

// The read(2) calls this thread has made so far (/proc/thread-self/io's syscr: other threads
// of the process, if any, do not count).
long long read_calls() {
  std::ifstream io("/proc/thread-self/io");
  std::string key;
  long long value = -1;
  while (io >> key >> value)
    if (key == "syscr:") return value;
  return -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(debugger_probe)

BOOST_AUTO_TEST_CASE(boost_asks_proc_once_per_run_not_per_test, *attest::requirement("FR-168")) {
  BOOST_TEST_REQUIRE(read_calls() >= 0, "/proc/thread-self/io is not readable here");
  const bool first = boost::debug::under_debugger();  // (Boost asked before this test began)
  // A reading of /proc/self/io costs the same read calls each time: the baseline.
  auto r0 = read_calls();
  auto r1 = read_calls();
  const bool again = boost::debug::under_debugger();
  auto r2 = read_calls();
  // Boost's own probe opens and reads /proc/<pid>/stat of this process and each ancestor.
  BOOST_TEST(r2 - r1 == r1 - r0);
  BOOST_TEST(again == first);
}

BOOST_AUTO_TEST_SUITE_END()
