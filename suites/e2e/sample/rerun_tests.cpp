// The runner's rerun, timeout, abort and ordering behaviour, exercised by
// runner_test.cpp through selection (-k): most of these fail on purpose.
#include <attest/attest.hpp>

#include <boost/mpl/list.hpp>

#include <csignal>
#include <cstdlib>

namespace utf = boost::unit_test;

BOOST_AUTO_TEST_SUITE(flakes, *attest::mark("failing"))

// Fails its first two attempts, then passes: flaky.
BOOST_AUTO_TEST_CASE(passes_on_the_third_attempt,
                     *attest::flaky(3) * attest::requirement("FR-001")) {
  static int attempts = 0;
  ++attempts;
  BOOST_TEST(attempts >= 3, "attempt " << attempts << " of 3 fails");
}

// Never passes: failed, with every attempt's message.
BOOST_AUTO_TEST_CASE(always_fails, *attest::flaky(1) * attest::requirement("FR-001")) {
  static int attempts = 0;
  BOOST_TEST(++attempts < 0, "attempt " << attempts << " fails");
}

// Fails once; passes under --reruns 1 (no decorator).
BOOST_AUTO_TEST_CASE(fails_once, *attest::requirement("FR-001")) {
  static int attempts = 0;
  BOOST_TEST(++attempts > 1, "the first attempt fails");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(timing, *attest::mark("failing"))

// Waits 5 s for nothing: --timeout 1 stops it.
BOOST_AUTO_TEST_CASE(waits_too_long, *attest::requirement("FR-002")) {
  attest::wait_for_condition([] { return false; },
                             {.timeout = std::chrono::seconds(5), .description = "nothing"});
}

// Boost's own timeout decorator wins over --timeout.
BOOST_AUTO_TEST_CASE(own_timeout, *utf::timeout(30) * attest::requirement("FR-002")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(waits, *attest::mark("failing"))

// A wait that times out is a failed check at this line.
BOOST_AUTO_TEST_CASE(times_out_here, *attest::requirement("FR-003")) {
  attest::wait_for_condition([] { return false; },  // LINE-WAIT
                             {.timeout = std::chrono::milliseconds(20), .description = "the flag"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chain)

BOOST_AUTO_TEST_CASE(prerequisite, *attest::requirement("FR-004")) { BOOST_TEST(true); }

BOOST_AUTO_TEST_CASE(dependent,
                     *utf::depends_on("chain/prerequisite") * attest::requirement("FR-004")) {
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_SUITE_END()

using small_types = boost::mpl::list<int, unsigned char>;
BOOST_AUTO_TEST_CASE_TEMPLATE(sized, T, small_types) { BOOST_TEST(sizeof(T) <= sizeof(int)); }

BOOST_AUTO_TEST_SUITE(crash, *attest::mark("failing"))

// A memory access violation is fatal to the whole module in Boost.Test: what was
// left to run is reported as not run, not silently dropped.
BOOST_AUTO_TEST_CASE(crashes, *attest::requirement("FR-005")) { std::raise(SIGSEGV); }

BOOST_AUTO_TEST_CASE(never_runs, *attest::requirement("FR-005")) { BOOST_TEST(true); }

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(after_crash)

BOOST_AUTO_TEST_CASE(never_runs_either, *attest::requirement("FR-005")) { BOOST_TEST(true); }

BOOST_AUTO_TEST_SUITE_END()
